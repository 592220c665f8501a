"""监管对象 pages: vehicles, enterprises, persons and licences (lists, details, create/edit forms).

Reads go through ``registry.selectors`` (scoped to the actor's jurisdiction: a record of another county
is a 404); writes through ``registry.services.subject_save``, the same upsert as the import and the API.
Business roles only: the 三员 get 403 (三员分立, they see no business data).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from zhifa.accounts.views_admin import business_required, error_context
from zhifa.core.errors import DomainError
from zhifa.core.listing import list_page
from zhifa.registry import cleaning, list_exports, selectors, services
from zhifa.registry.enums import (
    BusinessType,
    LicenceKind,
    LicenceStatus,
    PermitAction,
    PermitCategory,
    QualificationCategory,
    SubjectStatus,
    VehicleType,
)
from zhifa.registry.models import PLATE_COLOR_CHOICES

EXPIRING_DAYS = 60

TABS = [("vehicles", "车辆"), ("enterprises", "企业"), ("persons", "自然人"), ("licences", "证照")]
KIND_LABELS = dict(TABS)


def _ctx(tab: str, **extra) -> dict:
    return {"tabs": TABS, "tab": tab, "page_title": KIND_LABELS[tab], **extra}


def _choice_label(choices, value) -> str:
    return dict(choices).get(value, value)


# --- lists ---------------------------------------------------------------------------------------


@business_required
def index(request):
    return redirect("registry_vehicles")


@business_required
def vehicle_list(request):
    q = request.GET.get("q", "").strip()
    vehicle_type = request.GET.get("vehicle_type", "")
    plate_color = request.GET.get("plate_color", "")
    enterprise_raw = request.GET.get("enterprise", "")
    enterprise = None
    if enterprise_raw.isdigit():
        enterprise = selectors.enterprises_visible(request.user).filter(pk=int(enterprise_raw)).first()
    qs = selectors.vehicle_search(
        request.user,
        q=q,
        vehicle_type=vehicle_type,
        plate_color=plate_color,
        enterprise_id=enterprise.pk if enterprise else None,
    )
    return list_page(
        request,
        "registry/vehicle_list.html",
        qs,
        context=_ctx(
            "vehicles",
            q=q,
            vehicle_type=vehicle_type,
            plate_color=plate_color,
            type_choices=VehicleType.choices,
            color_choices=PLATE_COLOR_CHOICES,
            enterprise=enterprise,
        ),
        export=list_exports.VEHICLES,
    )


@business_required
def enterprise_list(request):
    q = request.GET.get("q", "").strip()
    business_type = request.GET.get("business_type", "")
    status = request.GET.get("status", "")
    qs = selectors.enterprise_search(request.user, q=q, business_type=business_type, status=status)
    return list_page(
        request,
        "registry/enterprise_list.html",
        qs,
        context=_ctx(
            "enterprises",
            q=q,
            business_type=business_type,
            status=status,
            type_choices=BusinessType.choices,
            status_choices=SubjectStatus.choices,
        ),
        export=list_exports.ENTERPRISES,
    )


@business_required
def person_list(request):
    q = request.GET.get("q", "").strip()
    qualified_raw = request.GET.get("qualified", "")
    qualified = {"1": True, "0": False}.get(qualified_raw)
    qs = selectors.person_search(request.user, q=q, qualified=qualified)
    return list_page(
        request,
        "registry/person_list.html",
        qs,
        context=_ctx("persons", q=q, qualified=qualified_raw),
        export=list_exports.PERSONS,
    )


@business_required
def licence_list(request):
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    expiring = request.GET.get("expiring", "") == "1"
    to_return = request.GET.get("to_return", "") == "1"
    today = date.today()
    qs = selectors.licence_search(
        request.user, q=q, kind=kind, on=today, expiring_within=EXPIRING_DAYS if expiring else None,
        due_back=to_return,
    )
    if status in LicenceStatus.values:
        qs = qs.filter(status=status)
    if expiring:
        qs = qs.order_by("valid_to", "pk")
    return list_page(
        request,
        "registry/licence_list.html",
        qs,
        context=_ctx(
            "licences",
            q=q,
            kind=kind,
            status=status,
            expiring=expiring,
            to_return=to_return,
            kind_choices=LicenceKind.choices,
            status_choices=LicenceStatus.choices,
            today=today,
            expiring_days=EXPIRING_DAYS,
        ),
        export=list_exports.LICENCES,
    )


# --- details -------------------------------------------------------------------------------------


@business_required
def vehicle_detail(request, pk: int):
    vehicle = get_object_or_404(selectors.vehicles_visible(request.user), pk=pk)
    return render(
        request,
        "registry/vehicle_detail.html",
        _ctx(
            "vehicles",
            page_title=f"车辆 {vehicle.plate}",
            vehicle=vehicle,
            licences=selectors.licences_visible(request.user).filter(vehicle=vehicle),
            today=date.today(),
        ),
    )


@business_required
def enterprise_detail(request, pk: int):
    actor = request.user
    ent = get_object_or_404(selectors.enterprises_visible(actor), pk=pk)
    vehicles = selectors.vehicles_visible(actor).filter(enterprise=ent)
    return render(
        request,
        "registry/enterprise_detail.html",
        _ctx(
            "enterprises",
            page_title=f"企业 {ent.name}",
            ent=ent,
            vehicles=vehicles[:50],
            vehicle_count=vehicles.count(),
            employee_count=selectors.persons_visible(actor).filter(employer=ent).count(),
            licences=selectors.licences_visible(actor).filter(enterprise=ent),
            today=date.today(),
        ),
    )


@business_required
def person_detail(request, pk: int):
    person = get_object_or_404(selectors.persons_visible(request.user), pk=pk)
    return render(
        request,
        "registry/person_detail.html",
        _ctx(
            "persons",
            page_title=f"自然人 {person.name}",
            person=person,
            licences=selectors.licences_visible(request.user).filter(person=person),
            today=date.today(),
            can_reveal=request.user.has_role(*services.EDITORS),
        ),
    )


@require_POST
@business_required
def person_reveal_idcard(request, pk: int):
    """The full ID number (htmx fragment); the service checks the role and audits the reveal."""
    person = get_object_or_404(selectors.persons_visible(request.user), pk=pk)
    try:
        value = services.person_idcard_reveal(person=person, actor=request.user)
    except DomainError as e:
        return HttpResponse(format_html('<span class="errorlist">{}</span>', e.message), status=e.status)
    if request.headers.get("HX-Request"):
        return render(request, "registry/_idcard.html", {"idcard": value})
    return render(
        request,
        "registry/person_detail.html",
        _ctx(
            "persons",
            page_title=f"自然人 {person.name}",
            person=person,
            revealed=value,
            licences=selectors.licences_visible(request.user).filter(person=person),
            today=date.today(),
            can_reveal=True,
        ),
    )


@business_required
def licence_detail(request, pk: int):
    lic = get_object_or_404(selectors.licences_visible(request.user), pk=pk)
    return render(
        request,
        "registry/licence_detail.html",
        _ctx(
            "licences",
            page_title=str(lic),
            lic=lic,
            today=date.today(),
            decisions=selectors.permit_decisions(request.user, licence=lic),
        ),
    )


# --- create / edit -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str = "text"  # text | select | date | number
    choices: list = field(default_factory=list)
    required: bool = False
    key: bool = False  # part of the natural key: fixed when editing
    help: str = ""
    max_length: int | None = None


FORMS: dict[str, list[Field]] = {
    "vehicles": [
        Field("plate", "车牌号", required=True, key=True, max_length=10, help="如 粤A12345"),
        Field("plate_color", "车牌颜色", "select", PLATE_COLOR_CHOICES, required=True, key=True),
        Field("vehicle_type", "车辆类型", "select", VehicleType.choices, required=True),
        Field("axle_count", "轴数", "number"),
        Field("gross_mass_kg", "总质量（千克）", "number"),
        Field("vin", "车辆识别代号", max_length=17),
        Field("transport_cert_no", "道路运输证号", max_length=30),
        Field("enterprise_uscc", "所属企业统一社会信用代码", max_length=18, help="企业须已登记"),
        Field("status", "状态", "select", SubjectStatus.choices),
    ],
    "enterprises": [
        Field("uscc", "统一社会信用代码", required=True, key=True, max_length=18),
        Field("name", "企业名称", required=True, max_length=200),
        Field("business_type", "经营类别", "select", BusinessType.choices, required=True),
        Field("legal_rep", "法定代表人", max_length=50),
        Field("address", "地址", max_length=200),
        Field("phone", "联系电话", max_length=30),
        Field("status", "状态", "select", SubjectStatus.choices),
    ],
    "persons": [
        Field("name", "姓名", required=True, max_length=50),
        Field("idcard", "身份证号码", required=True, key=True, max_length=18),
        Field("phone", "联系电话", max_length=20),
        Field("employer_uscc", "所在企业统一社会信用代码", max_length=18, help="企业须已登记"),
    ],
    "licences": [
        Field("kind", "证照类型", "select", LicenceKind.choices, required=True, key=True),
        Field("number", "证号", required=True, key=True, max_length=40),
        Field("holder_uscc", "持证企业统一社会信用代码", max_length=18, help="道路运输经营许可证填写"),
        Field("holder_plate", "车牌号", max_length=10, help="道路运输证填写"),
        Field("holder_plate_color", "车牌颜色", "select", PLATE_COLOR_CHOICES, help="道路运输证填写"),
        Field("holder_idcard", "持证人身份证号码", max_length=18, help="从业资格证填写"),
        Field("category", "从业资格类别", "select", QualificationCategory.choices, help="从业资格证填写"),
        Field("scope", "经营范围", max_length=200),
        Field("issuing_authority", "发证机关", required=True, max_length=100),
        Field("valid_from", "有效期起", "date", required=True),
        Field("valid_to", "有效期至", "date", required=True),
        # no status field: a licence's status changes only through a 许可决定 (services.permit_decide)
    ],
}


def _s(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _initial(kind: str, obj) -> dict[str, str]:
    """Form values of an existing record. Encrypted fields (ID number, phone) are not filled in."""
    if kind == "vehicles":
        data = {
            f: _s(getattr(obj, f))
            for f in (
                "plate",
                "plate_color",
                "vehicle_type",
                "axle_count",
                "gross_mass_kg",
                "vin",
                "transport_cert_no",
                "status",
            )
        }
        data["enterprise_uscc"] = obj.enterprise.uscc if obj.enterprise_id else ""
        return data
    if kind == "enterprises":
        return {
            f: _s(getattr(obj, f))
            for f in ("uscc", "name", "business_type", "legal_rep", "address", "phone", "status")
        }
    if kind == "persons":
        return {
            "name": obj.name,
            "idcard": "",
            "phone": "",
            "employer_uscc": obj.employer.uscc if obj.employer_id else "",
        }
    data = {
        f: _s(getattr(obj, f))
        for f in (
            "kind",
            "number",
            "category",
            "scope",
            "issuing_authority",
            "valid_from",
            "valid_to",
        )
    }
    data.update(
        holder_uscc=obj.enterprise.uscc if obj.enterprise_id else "",
        holder_plate=obj.vehicle.plate if obj.vehicle_id else "",
        holder_plate_color=obj.vehicle.plate_color if obj.vehicle_id else "",
        holder_idcard="",
    )
    return data


def _visible(kind: str, actor):
    return {
        "vehicles": selectors.vehicles_visible,
        "enterprises": selectors.enterprises_visible,
        "persons": selectors.persons_visible,
        "licences": selectors.licences_visible,
    }[kind](actor)


def _saved_record(kind: str, data: dict, actor):
    """The record ``subject_save`` just wrote, found again by its natural key (None if not visible)."""
    try:
        if kind == "vehicles":
            row = cleaning.clean_vehicle(data)
            return (
                selectors.vehicles_visible(actor)
                .filter(plate=row["plate"], plate_color=row["plate_color"])
                .first()
            )
        if kind == "enterprises":
            return (
                selectors.enterprises_visible(actor)
                .filter(uscc=cleaning.clean_enterprise(data)["uscc"])
                .first()
            )
        if kind == "persons":
            return selectors.person_search(actor, q=cleaning.clean_person(data)["idcard"]).first()
        row = cleaning.clean_licence(data)
        return selectors.licences_visible(actor).filter(kind=row["kind"], number=row["number"]).first()
    except cleaning.Invalid:
        return None


DETAIL_URLS = {
    "vehicles": "registry_vehicle",
    "enterprises": "registry_enterprise",
    "persons": "registry_person",
    "licences": "registry_licence",
}
LIST_URLS = {
    "vehicles": "registry_vehicles",
    "enterprises": "registry_enterprises",
    "persons": "registry_persons",
    "licences": "registry_licences",
}


@business_required
def subject_form(request, kind: str, pk: int | None = None):
    if kind not in FORMS:
        raise Http404
    actor = request.user
    obj = get_object_or_404(_visible(kind, actor), pk=pk) if pk is not None else None
    editing = obj is not None
    initial = _initial(kind, obj) if editing else {}
    data = dict(initial)
    ctx = _ctx(
        kind,
        page_title=f"{'修改' if editing else '新增'}{KIND_LABELS[kind]}",
        kind=kind,
        obj=obj,
        editing=editing,
        field_errors={},
    )
    if request.method == "POST":
        data = {f.name: request.POST.get(f.name, "").strip() for f in FORMS[kind]}
        if editing:  # the natural key identifies the record: it cannot be changed from its edit page
            for f in FORMS[kind]:
                if f.key and not (kind == "persons" and f.name == "idcard"):
                    data[f.name] = initial[f.name]
        problem = _edit_identity_problem(kind, obj, data, actor) if editing else ""
        if problem:
            ctx.update(error=problem, field_errors={"idcard": problem})
        else:
            try:
                result = services.subject_save(kind=kind, data=data, actor=actor)
            except DomainError as e:
                ctx.update(error_context(e))
            else:
                messages.success(request, f"{KIND_LABELS[kind]}已保存（{services.RESULT_LABEL[result]}）")
                saved = _saved_record(kind, data, actor)
                if saved is not None:
                    return redirect(DETAIL_URLS[kind], pk=saved.pk)
                return redirect(LIST_URLS[kind])
    errors = ctx["field_errors"]
    ctx["fields"] = [
        {
            "f": f,
            "value": data.get(f.name, ""),
            "error": errors.get(f.name, ""),
            "locked": editing and f.key and not (kind == "persons" and f.name == "idcard"),
            "value_label": _choice_label(f.choices, data.get(f.name, "")) if f.choices else "",
        }
        for f in FORMS[kind]
    ]
    ctx["notes"] = _form_notes(kind, obj)
    if editing and kind == "licences" and obj.status in (LicenceStatus.VALID, LicenceStatus.SUSPENDED):
        ctx["actions"] = [(f"/registry/licences/{obj.pk}/decisions/new/",
                           "记录许可决定（变更、延续、注销、撤销、暂扣、发还、吊销）")]
    elif editing and kind == "licences" and obj.status == LicenceStatus.REVOKED:
        ctx["actions"] = [
            (f"/registry/licences/{obj.pk}/decisions/new/", "记录恢复决定（吊销决定经复议、诉讼撤销）")
        ]
    return render(request, "registry/form.html", ctx, status=422 if ctx.get("error") else 200)


def _edit_identity_problem(kind: str, obj, data: dict, actor) -> str:
    """A person is keyed by the ID number, which is stored encrypted and never put back into a form: the
    editor types it again and it must be this person's (else the save would create someone else)."""
    if kind != "persons":
        return ""
    match = selectors.person_search(actor, q=data.get("idcard", "")).first() if data.get("idcard") else None
    if match is None or match.pk != obj.pk:
        return "身份证号码与该自然人不符，请输入该自然人的完整身份证号码"
    return ""


def _form_notes(kind: str, obj) -> list[str]:
    notes = []
    if obj is not None and kind == "persons":
        notes.append(
            f"为保护个人信息，身份证号码（{obj.idcard_masked}）"
            "和联系电话不回显：请重新输入完整身份证号码以核对身份。"
        )
        if obj.phone_masked:
            notes.append(
                f"现登记的联系电话为 {obj.phone_masked}：如不修改请重新输入完整号码，留空将清除联系电话。"
            )
    if obj is not None and kind == "licences" and obj.person_id:
        notes.append(
            f"持证人为 {obj.person.name}（{obj.person.idcard_masked}）：请重新输入持证人完整身份证号码。"
        )
    if obj is not None and kind == "licences":
        notes.append(
            f"证照状态（现为“{obj.get_status_display()}”）不在此修改：注销、撤销、吊销以及变更、延续，"
            "请记录许可决定并写明理由，决定将同时更新双公示记录并记入信用档案。"
        )
    if kind == "licences":
        notes.append(
            "按证照类型填写持证对象：道路运输经营许可证填写企业信用代码，道路运输证填写车牌号和车牌颜色，"
            "从业资格证填写持证人身份证号码和从业资格类别。"
        )
    return notes


# --- 行政许可决定 --------------------------------------------------------------------------------------

_FAULT_CHOICES = [("1", "是（第六十九条第二款，计入失信记录）")]
_DECISION_FIELDS = [
    Field("doc_no", "许可决定书文号", required=True, max_length=80, help="如 郁交运许〔2026〕15号"),
    Field("doc_name", "行政许可决定文书名称", max_length=60, help="不填按决定类型取默认名称"),
    Field("permit_category", "许可类别", "select", PermitCategory.choices, help="双公示数据项（普通、特许、认可、核准、登记、其他）"),
    Field("content", "许可内容", max_length=500, help="准予许可时必填：许可事项和经营范围等"),
    Field("decided_on", "决定日期", "date", required=True),
    Field("valid_from", "有效期自", "date"),
    Field("valid_to", "有效期至", "date", help="长期有效填 2099-12-31"),
    Field("authority", "许可机关", "select"),
]
_GRANT_FIELDS = [
    Field("kind", "证照类型", "select", LicenceKind.choices, required=True),
    Field("number", "许可证书编号（证号）", required=True, max_length=40),
    Field("category", "从业资格类别", "select", QualificationCategory.choices, help="从业资格证填写"),
]
_CHANGE_FIELDS = [
    Field(
        "action",
        "决定类型",
        "select",
        [(a, lab) for a, lab in PermitAction.choices if a != PermitAction.GRANT],
        required=True,
        help="撤销、暂扣、吊销、恢复须由法制审核人员或执法部门负责人记录",
    ),
    Field("reason", "理由", max_length=500, help="变更事项；注销、撤销、暂扣、发还、吊销的事实和理由"),
    Field("holder_fault", "被许可人以欺骗、贿赂等不正当手段取得", "select", _FAULT_CHOICES, help="仅撤销决定"),
    Field("suspend_until", "暂扣期限至", "date", help="仅暂扣决定"),
    Field("early", "原暂扣决定已撤销或变更（期满前发还）", "select", [("1", "是")], help="仅发还"),
    Field(
        "appeal_doc_no",
        "撤销吊销决定的行政复议决定书或行政判决书文号",
        max_length=80,
        help="恢复时必填（《中华人民共和国行政复议法》第六十四条、《中华人民共和国行政诉讼法》第七十条）",
    ),
]
_HOLDER_KINDS = {"enterprises": LicenceKind.BUSINESS_PERMIT, "vehicles": LicenceKind.VEHICLE_CERT,
                 "persons": LicenceKind.QUALIFICATION}


def _decision_form(request, *, kind: str, obj, licence, holder, title: str, fields: list[Field], initial: dict):
    """GET shows the form, POST records the decision through ``services.permit_decide``."""
    actor = request.user
    authorities = services.permit_authorities(actor.org) if actor.org_id else []
    choices = {"authority": [(str(a.pk), a.name) for a in authorities]}
    data = {"decided_on": date.today().isoformat(), "authority": str(authorities[0].pk) if authorities else "",
            **initial}
    ctx = _ctx(kind, page_title=title, kind=kind, obj=obj, editing=False, field_errors={})
    if request.method == "POST":
        data = {f.name: request.POST.get(f.name, "").strip() for f in fields}
        data.update({k: v for k, v in initial.items() if k == "kind" and kind != "licences"})
        authority = next((a for a in authorities if str(a.pk) == data.get("authority")), None)
        try:
            decision = services.permit_decide(
                action=data.get("action") or PermitAction.GRANT,
                data=data,
                actor=actor,
                licence=licence,
                holder=holder,
                authority=authority,
            )
        except DomainError as e:
            ctx.update(error_context(e))
        else:
            messages.success(
                request,
                f"已记录{decision.get_action_display()}决定 {decision.doc_no}；"
                + (
                    "公示记录自动生成，法定期限为决定之日起7个工作日"
                    if decision.action in services.GRANTING
                    else "原许可公示记录重新公示"
                    if decision.action == PermitAction.RESTORE
                    else "原公示记录按规定撤回"
                ),
            )
            return redirect("registry_licence", pk=decision.licence_id)
    errors = ctx["field_errors"]
    ctx["fields"] = [
        {
            "f": f if f.name not in choices else Field(f.name, f.label, "select", choices[f.name], f.required,
                                                       help=f.help),
            "value": data.get(f.name, ""),
            "error": errors.get(f.name, ""),
            "locked": f.name == "kind" and kind != "licences",
            "value_label": _choice_label(choices.get(f.name, f.choices), data.get(f.name, "")),
        }
        for f in fields
    ]
    ctx["notes"] = [
        "记录后自动生成双公示行政许可记录（自决定之日起7个工作日内公示），并记入持证对象的信用档案；"
        "变更、延续、注销、撤销、吊销决定将撤回原决定的公示记录（3个工作日内）；暂扣（填写暂扣期限至）与发还不撤回，"
        "许可仍然存在；吊销决定经复议或诉讼撤销的，作出恢复决定（填写复议决定书或判决书文号），原许可公示记录重新公示。"
    ]
    return render(request, "registry/form.html", ctx, status=422 if ctx.get("error") else 200)


@business_required
def permit_grant(request, kind: str, pk: int):
    """准予许可 from the holder's page (enterprise, vehicle or person): a new licence."""
    if kind not in _HOLDER_KINDS:
        raise Http404
    holder = get_object_or_404(_visible(kind, request.user), pk=pk)
    lic_kind = _HOLDER_KINDS[kind]
    fields = [f for f in _GRANT_FIELDS if f.name != "category" or lic_kind == LicenceKind.QUALIFICATION]
    initial = {"kind": lic_kind, "permit_category": PermitCategory.ORDINARY}
    if kind == "enterprises":
        initial["number"] = ""
    elif kind == "vehicles":
        initial["number"] = holder.transport_cert_no
    return _decision_form(
        request, kind=kind, obj=holder, licence=None, holder=holder, title=f"准予许可：{holder}",
        fields=fields + _DECISION_FIELDS, initial=initial,
    )


@business_required
def permit_decision_new(request, pk: int):
    """变更、延续、注销、撤销、暂扣、发还、吊销、恢复 of one licence, from its page."""
    lic = get_object_or_404(selectors.licences_visible(request.user), pk=pk)
    return _decision_form(
        request, kind="licences", obj=lic, licence=lic, holder=None, title=f"记录许可决定：{lic}",
        fields=_CHANGE_FIELDS[:1] + _DECISION_FIELDS + _CHANGE_FIELDS[1:],
        initial={"content": lic.scope},
    )
