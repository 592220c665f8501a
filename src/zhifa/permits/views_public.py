"""The public's side of 行政许可 (no login): 办事指南 per item, the application form, the status page (with
the 补正 list, the confirmation that the materials were added, and the 好差评 once done) and the 电子证照
verification page the QR code points to (status and SM2 signature), plus an upload to check a PDF."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from zhifa.accounts.enums import OrgKind
from zhifa.accounts.models import Org
from zhifa.core.errors import DomainError

from . import certificates, selectors, services
from .enums import Channel, Grade, ItemKind, State
from .models import Rating

FIELDS = ("org", "applicant", "applicant_uscc", "contact_phone", "content", "tier", "pledge_text")


def _bureaus():
    return Org.objects.filter(kind=OrgKind.BUREAU).order_by("path")


def guide_list(request):
    items = selectors.items_current(timezone.localdate())
    return render(request, "permits/public_guides.html", {"items": items})


def _item(code: str):
    item = selectors.item_current(code, timezone.localdate())
    if item is None:
        raise Http404
    return item


def guide(request, code: str):
    item = _item(code)
    return render(
        request, "permits/public_guide.html", {"item": item, "permit": item.kind == ItemKind.PERMIT}
    )


@never_cache
def apply(request, code: str):
    item = _item(code)
    form = {k: "" for k in FIELDS}
    error, done = "", None
    if request.method == "POST":
        form = {k: request.POST.get(k, "").strip()[:2000] for k in FIELDS}
        try:
            org = _bureaus().filter(pk=int(form["org"]) if form["org"].isdigit() else 0).first()
            if org is None:
                raise DomainError(
                    "permits.invalid", "请选择受理单位", fields={"org": "请选择受理单位"}, status=422
                )
            done = services.application_submit(
                actor=None,
                org=org,
                item=item,
                channel=Channel.PORTAL,
                applicant=form["applicant"],
                applicant_uscc=form["applicant_uscc"],
                contact_phone=form["contact_phone"],
                content=form["content"],
                tier=form["tier"],
                pledge=bool(request.POST.get("pledge")),
                pledge_text=form["pledge_text"],
                received_on=timezone.localdate(),
            )
        except DomainError as e:
            error = e.message
    return render(
        request,
        "permits/public_apply.html",
        {"item": item, "form": form, "error": error, "done": done, "bureaus": _bureaus()},
    )


@never_cache
def status(request):
    src = request.POST if request.method == "POST" else request.GET
    number, code = src.get("number", "").strip(), src.get("code", "").strip()
    app = selectors.public_application(number, code) if number and code else None
    error, notice = "", ""
    if app is not None and request.method == "POST":
        try:
            if src.get("action") == "corrected":
                services.application_corrected(app=app, actor=None, on=timezone.localdate())
                notice = "已确认补正材料提交，请等待受理。"
            elif src.get("action") == "rate":
                services.rating_submit(
                    app=app,
                    grade=src.get("grade", ""),
                    channel=Channel.PORTAL,
                    on=timezone.localdate(),
                    comment=src.get("comment", ""),
                )
                notice = "感谢您的评价。"
        except DomainError as e:
            error = e.message
        app.refresh_from_db()
    return render(
        request,
        "permits/public_status.html",
        {
            "number": number,
            "code": code,
            "a": app,
            "asked": bool(number or code),
            "error": error,
            "notice": notice,
            "steps": app.steps.all() if app else [],
            "grades": Grade.choices,
            "can_rate": app is not None
            and app.state in services.DONE
            and not Rating.objects.filter(application=app).exists(),
            "correction": app is not None and app.state == State.CORRECTION,
        },
    )


def verify(request, cert_id: str):
    cert = selectors.certificate_public(cert_id)
    if cert is None:
        return render(request, "permits/public_verify.html", {"cert_id": cert_id, "cert": None}, status=404)
    check = certificates.verify_bytes(bytes(cert.pdf))
    return render(
        request,
        "permits/public_verify.html",
        {
            "cert_id": cert_id,
            "cert": cert,
            "status": certificates.status_of(cert.licence, timezone.localdate()),
            "check": check,
            "items": list(cert.data.items()),
        },
    )


@never_cache
def verify_upload(request):
    check = None
    if request.method == "POST":
        f = request.FILES.get("file")
        data = f.read(5 * 1024 * 1024 + 1) if f else b""
        check = (
            certificates.verify_bytes(data) if data else certificates.Check(False, "请选择电子证照PDF文件")
        )
        cert = selectors.certificate_public(check.cert_id) if check.cert_id else None
        return render(
            request,
            "permits/public_verify_upload.html",
            {
                "check": check,
                "cert": cert,
                "status": certificates.status_of(cert.licence, timezone.localdate()) if cert else "",
            },
        )
    return render(request, "permits/public_verify_upload.html", {"check": check})
