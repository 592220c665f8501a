"""The notifications page: the list, opening one (marks it read and goes where the action is done), and
marking read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import selectors, services

PAGE_SIZE = 100


@login_required
def notification_list(request):
    unread_only = request.GET.get("unread") == "1"
    qs = selectors.notifications_for(request.user, unread_only=unread_only)
    return render(
        request,
        "notifications/list.html",
        {"page_title": "消息提醒", "items": list(qs[:PAGE_SIZE]), "unread_only": unread_only,
         "more": qs.count() > PAGE_SIZE},
    )


@login_required
def notification_open(request, pk: int):
    n = services.notification_mark_read(user=request.user, notification_id=pk)
    if n is None:
        raise Http404("消息不存在")
    return redirect(n.link or "notifications")


@login_required
@require_POST
def notification_read(request, pk: int):
    if services.notification_mark_read(user=request.user, notification_id=pk) is None:
        raise Http404("消息不存在")
    return redirect("notifications")


@login_required
@require_POST
def notification_read_all(request):
    n = services.notifications_mark_all_read(user=request.user)
    messages.success(request, f"已将 {n} 条消息标为已读")
    return redirect("notifications")
