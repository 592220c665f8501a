"""The portal's pages of 普法 (no login): the 以案释法 a head has published — the facts without personal data
(scrubbed when the story was written) and the 释法说理."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from zhifa.core.listing import list_page

from . import selectors


def public_stories(request):
    return list_page(request, "people/public_stories.html", selectors.public_stories())


def public_story(request, pk: int):
    story = selectors.public_stories().filter(pk=pk).first()
    if story is None:
        raise Http404("该以案释法不存在或未公开")
    return render(request, "people/public_story.html", {"s": story})
