"""The portal's pages of 法制工作 (no login): the 有效文件目录 generated from the register (documents in force
today, with their validity dates) and the 权责清单 (the version of each item in force today)."""

from __future__ import annotations

from django.utils import timezone

from zhifa.core.listing import list_page

from . import selectors
from .enums import PowerKind


def public_documents(request):
    today = timezone.localdate()
    q = request.GET.get("q", "").strip()[:50]
    return list_page(
        request,
        "legal/public_documents.html",
        selectors.public_documents(on=today, q=q),
        context={"q": q, "today": today},
    )


def public_powers(request):
    today = timezone.localdate()
    q = request.GET.get("q", "").strip()[:50]
    kind = request.GET.get("kind", "")
    kind = kind if kind in PowerKind.values else ""
    return list_page(
        request,
        "legal/public_powers.html",
        selectors.public_powers(on=today, q=q, kind=kind),
        context={"q": q, "kind": kind, "kinds": PowerKind.choices, "today": today},
    )
