"""The public's side of 投诉举报 (no login): the complaint form (offline captcha, a limit per address, nearby
reports of the same thing offered first), the tracking number and 查询码, and the status page that shows only
the stages and the reply — never a complainant's or a third party's personal data."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from zhifa.accounts.enums import OrgKind
from zhifa.accounts.models import Org
from zhifa.core.crypto import blind_index
from zhifa.core.errors import DomainError
from zhifa.core.middleware import client_ip

from . import attachments, captcha, rules, selectors, services
from .enums import Category, Channel
from .errors import ComplaintError

PUBLIC_CATEGORIES = [(c.value, c.label) for c in (Category.COMPLAINT, Category.REPORT, Category.CONSULT,
                                                  Category.SUGGEST, Category.HELP, Category.PRAISE)]
FIELDS = ("org", "category", "title", "content", "subject_text", "place", "lat", "lng", "name", "phone")


def _bureaus():
    return Org.objects.filter(kind=OrgKind.BUREAU).order_by("path")


@never_cache
def captcha_image(request):
    return HttpResponse(captcha.new_challenge(request.session), content_type="image/svg+xml")


@never_cache
def public_form(request):
    form = {k: "" for k in FIELDS} | {"category": Category.COMPLAINT}
    error, duplicates, done = "", [], None
    if request.method == "POST":
        form = {k: request.POST.get(k, "").strip()[:2000] for k in FIELDS}
        try:
            if not captcha.check(request.session, request.POST.get("captcha", "")):
                raise ComplaintError.CAPTCHA.error()
            source = blind_index(client_ip(request) or "unknown", purpose="complaint.source")
            services.portal_rate_check(source)
            org = _bureaus().filter(pk=int(form["org"]) if form["org"].isdigit() else 0).first()
            if org is None:
                raise ComplaintError.INVALID.error(detail="请选择受理单位")
            if form["category"] not in dict(PUBLIC_CATEGORIES):
                raise ComplaintError.INVALID.error(detail="请选择类别")
            today = timezone.localdate()
            if request.POST.get("confirm") != "1":
                duplicates = selectors.near_duplicates(category=form["category"], lat=form["lat"] or None,
                                                       lng=form["lng"] or None, on=today, place=form["place"],
                                                       org=org)
            files = attachments.portal_files_check(request.FILES.getlist("files"))
            if not duplicates:
                with transaction.atomic():
                    done, _ = services.order_create(
                        actor=None, org=org, channel=Channel.PORTAL, category=form["category"],
                        title=form["title"], content=form["content"], received_on=today,
                        subject_text=form["subject_text"], place=form["place"], lat=form["lat"] or None,
                        lng=form["lng"] or None, complainant=services.Complainant(form["name"], form["phone"]),
                        anonymous=not (form["name"] or form["phone"]), source_index=source)
                    attachments.portal_files_receive(order=done, files=files)
        except ValueError:
            error = "坐标格式有误"
        except DomainError as e:
            error = e.message
    return render(request, "complaints/public_form.html", {
        "form": form, "error": error, "duplicates": duplicates, "done": done, "bureaus": _bureaus(),
        "categories": PUBLIC_CATEGORIES, "files_max": rules.portal_files_max(),
        "file_kb": rules.portal_file_bytes() // 1024})


@never_cache
def public_status(request):
    number, code = request.GET.get("number", "").strip(), request.GET.get("code", "").strip()
    order = selectors.public_order(number, code) if number and code else None
    return render(request, "complaints/public_status.html", {
        "number": number, "code": code, "order": order, "asked": bool(number or code),
        "stages": selectors.public_stages(order) if order else [],
        "reply": (order.reply_text if order and order.replied_on else ""),
    })
