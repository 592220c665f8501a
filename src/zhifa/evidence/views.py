"""全过程记录 pages: the evidence list, one target's evidence with its upload form and custody log, an
item's page with playback, and the download/playback URLs with HTTP Range support.

Reads go through ``evidence.selectors`` (a sibling unit's evidence is a 404); writes and every access
log through ``evidence.services``. Business roles only: the 三员 get 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from zhifa.accounts.enums import Role
from zhifa.accounts.views_admin import business_required
from zhifa.core.errors import DomainError
from zhifa.core.labels import model_label, object_label
from zhifa.core.listing import list_page
from zhifa.evidence import http, selectors, services
from zhifa.evidence.enums import CustodyAction, EvidenceKind
from zhifa.evidence.lookups import DEVICE_LABEL
from zhifa.evidence.targets import registered_types

STEPS = [
    "立案",
    "调查取证",
    "先行登记保存",
    "告知",
    "陈述申辩",
    "听证",
    "法制审核",
    "集体讨论",
    "决定",
    "送达",
    "执行",
    "结案",
    "现场检查",
    "非现场检测",
]


def _item(request, pk: int):
    try:
        return selectors.evidence_get(request.user, pk)
    except DomainError as e:
        raise Http404(e.message) from e


@business_required
def evidence_list(request):
    f = {k: request.GET.get(k, "").strip() for k in ("q", "kind", "target_type", "target_id", "step")}
    qs = selectors.evidence_search(request.user, **f)
    return list_page(
        request,
        "evidence/list.html",
        qs,
        context={"page_title": "全过程记录", "f": f, "kind_choices": EvidenceKind.choices,
                 "target_choices": [(t, model_label(t)) for t in registered_types()]},
    )


@business_required
def target_page(request, target_type: str, target_id: str):
    actor = request.user
    if not selectors.target_visible(actor, target_type, target_id):
        raise Http404("证据所属对象不存在或无权查看")
    if request.method == "POST":
        upload = request.FILES.get("file")
        step = request.POST.get("step", "").strip()
        if upload is None:
            messages.error(request, "请选择要上传的文件")
        else:
            org = services.target_org(target_type, target_id, default=actor.org)
            try:
                with upload.open("rb") as fh:
                    item = services.evidence_ingest(
                        fh,
                        filename=upload.name,
                        content_type=upload.content_type or "",
                        target_type=target_type,
                        target_id=target_id,
                        step=step,
                        org=org,
                        actor=actor,
                        kind=request.POST.get("kind", ""),
                        description=request.POST.get("description", ""),
                        expected_size=upload.size,
                    )
            except DomainError as e:
                messages.error(request, e.message)
            else:
                messages.success(
                    request, f"已上传“{item.filename}”，{item.digest_algorithm} 摘要 {item.digest}"
                )
        return redirect(reverse("evidence_target", args=[target_type, target_id]))
    items = list(selectors.evidence_for(target_type, target_id, actor=actor))
    custody = list(selectors.custody_for_target(target_type, target_id, actor=actor))
    return render(
        request,
        "evidence/target.html",
        {
            "page_title": f"证据材料 · {object_label(target_type, target_id)}",
            "target_type": target_type,
            "target_id": target_id,
            "items": items,
            "custody": custody,
            "steps": STEPS,
            "kind_choices": EvidenceKind.choices,
        },
    )


@business_required
def item_page(request, pk: int):
    item = _item(request, pk)
    services.evidence_access(item=item, action=CustodyAction.VIEW, actor=request.user)
    return render(
        request,
        "evidence/item.html",
        {
            "page_title": f"证据材料 {item.filename}",
            "item": item,
            "custody": selectors.custody_for(item),
            "inline": http.inline_ok(item.content_type),
            "device": DEVICE_LABEL(item.device_ref) if item.device_ref else None,
            "can_void": request.user.has_role(Role.HEAD, Role.LEGAL_REVIEWER) and not item.is_void,
            "same_digest": selectors.evidence_visible(request.user)
            .filter(digest=item.digest)
            .exclude(pk=item.pk)[:20],
        },
    )


@require_http_methods(["GET", "HEAD"])
@business_required
def download(request, pk: int):
    return http.serve(request, _item(request, pk), inline=False)


@require_http_methods(["GET", "HEAD"])
@business_required
def play(request, pk: int):
    return http.serve(request, _item(request, pk), inline=True)


@require_POST
@business_required
def verify(request, pk: int):
    item = _item(request, pk)
    try:
        outcome = services.evidence_verify(item=item, actor=request.user)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        (messages.success if outcome.ok else messages.error)(request, outcome.message)
    return redirect(reverse("evidence_item", args=[item.pk]))


@require_POST
@business_required
def void(request, pk: int):
    item = _item(request, pk)
    try:
        services.evidence_void(item=item, actor=request.user, reason=request.POST.get("reason", ""))
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, "已作废（文件仍保留，作废记录已写入保管链）")
    return redirect(reverse("evidence_item", args=[item.pk]))
