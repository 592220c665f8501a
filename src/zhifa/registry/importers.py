"""Upsert of regulated subjects by natural key: the one write path for imports, the API and pages.

A batch is a list of ``(row number, cleaned row)``; each row is created, updated or left unchanged, or
rejected with its row number and a Chinese reason. Rows referring to other subjects (a vehicle's
enterprise, a licence's holder) are resolved inside the actor's jurisdiction only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models

from zhifa.accounts.models import Org
from zhifa.accounts.selectors import jurisdiction_of
from zhifa.core.crypto import blind_index, decrypt_field, encrypt_field
from zhifa.core.identifiers import idcard_birth_date, idcard_sex, mask_idcard, mask_phone
from zhifa.core.imports import BatchOutcome, ImportContext, Importer, RowError, register
from zhifa.registry import cleaning
from zhifa.registry.enums import LicenceKind
from zhifa.registry.models import Enterprise, Licence, Person, Vehicle


def _root(ctx: ImportContext) -> Org:
    if "root" not in ctx.cache:
        ctx.cache["root"] = jurisdiction_of(ctx.org)
    return ctx.cache["root"]


def _lookup(ctx: ImportContext, model: type[models.Model], field: str, keys: set) -> dict:
    """Map natural key -> id for ``model`` rows in the jurisdiction (cached across the import)."""
    cache = ctx.cache.setdefault((model, field), {})
    missing = {k for k in keys if k and k not in cache}
    if missing:
        root = _root(ctx)
        for chunk_start in range(0, len(missing), 900):  # SQLite's host-parameter limit
            part = list(missing)[chunk_start:chunk_start + 900]
            for pk, key in model.objects.filter(**{f"{field}__in": part}, org__path__startswith=root.path
                                                ).values_list("pk", field):
                cache[key] = pk
    return cache


def _check_seen(ctx: ImportContext, kind: str, key: Any, rownum: int) -> None:
    seen = ctx.cache.setdefault(("seen", kind), {})
    if key in seen:
        raise RowError(f"与第 {seen[key]} 行重复（同一{kind}）")
    seen[key] = rownum


def upsert(model: type[models.Model], batch: list[tuple[int, dict]], *, ctx: ImportContext, key_label: str,
           key_of: Callable[[dict], Any], existing_by_keys: Callable[[list], dict[Any, models.Model]],
           values_of: Callable[[dict, models.Model | None], dict[str, Any]]) -> BatchOutcome:
    """Create or update ``model`` rows; ``values_of`` may raise RowError (e.g. unknown enterprise).

    ``existing_by_keys`` looks in the importing jurisdiction only: a key registered by another unit is not
    seen, and the row creates this unit's own record (models: natural keys are unique per unit), so the
    answer is the same whether or not another county holds the identifier (issue 16 item 12)."""
    out = BatchOutcome()
    root = _root(ctx)
    prepared = []
    for rownum, row in batch:
        try:
            key = key_of(row)
            _check_seen(ctx, key_label, key, rownum)
            prepared.append((rownum, row, key))
        except RowError as e:
            out.errors.append((rownum, str(e)))
    existing = existing_by_keys([k for _, _, k in prepared])
    new, changed, changed_fields = [], [], set()
    for rownum, row, key in prepared:
        obj = existing.get(key)
        try:
            values = values_of(row, obj)
        except RowError as e:
            out.errors.append((rownum, str(e)))
            continue
        if obj is None:
            new.append(model(org=root, **values))
            continue
        diff = {f: v for f, v in values.items() if getattr(obj, f) != v}
        if not diff:
            out.unchanged += 1
            continue
        for f, v in values.items():
            setattr(obj, f, v)
        changed.append(obj)
        changed_fields.update(diff)
    if new:
        model.objects.bulk_create(new, batch_size=500)
    if changed:
        fields = sorted(changed_fields | {"updated_at"})
        model.objects.bulk_update(changed, fields, batch_size=500)
    out.created, out.updated = len(new), len(changed)
    return out


def _by(model, field, ctx: ImportContext, *, extra_select=("org",)):
    """Existing rows of ``model`` by ``field`` in the importing jurisdiction (never another unit's)."""
    def fetch(keys: list) -> dict:
        root = _root(ctx)
        result = {}
        for i in range(0, len(keys), 900):
            for obj in model.objects.filter(**{f"{field}__in": keys[i:i + 900]},
                                            org__path__startswith=root.path).select_related(*extra_select):
                result[getattr(obj, field)] = obj
        return result
    return fetch


class EnterpriseImporter(Importer):
    kind = "enterprises"
    label = "企业"
    columns = {
        "uscc": ("统一社会信用代码", "信用代码"),
        "name": ("企业名称", "名称"),
        "business_type": ("经营类别", "业户类别"),
        "legal_rep": ("法定代表人", "负责人"),
        "address": ("地址", "经营地址"),
        "phone": ("联系电话", "电话"),
        "status": ("状态",),
    }
    required = ("uscc", "name", "business_type")

    def clean(self, raw, *, ctx):
        try:
            return cleaning.clean_enterprise(raw)
        except cleaning.Invalid as e:
            raise RowError(e.reason, e.field) from None

    def apply(self, rows, *, ctx):
        return upsert(Enterprise, rows, ctx=ctx, key_label="统一社会信用代码", key_of=lambda r: r["uscc"],
                      existing_by_keys=_by(Enterprise, "uscc", ctx), values_of=lambda r, o: dict(r))


class PersonImporter(Importer):
    kind = "persons"
    label = "自然人（从业人员）"
    columns = {
        "name": ("姓名",),
        "idcard": ("身份证号码", "身份证号", "公民身份号码"),
        "phone": ("联系电话", "手机号"),
        "employer_uscc": ("所在企业统一社会信用代码", "企业信用代码"),
    }
    required = ("name", "idcard")

    def clean(self, raw, *, ctx):
        try:
            row = cleaning.clean_person(raw)
        except cleaning.Invalid as e:
            raise RowError(e.reason, e.field) from None
        row["idcard_index"] = blind_index(row["idcard"], purpose="person.idcard")
        return row

    def apply(self, rows, *, ctx):
        employers = _lookup(ctx, Enterprise, "uscc", {r["employer_uscc"] for _, r in rows})

        def values(r, obj):
            employer_id = None
            if r["employer_uscc"]:
                employer_id = employers.get(r["employer_uscc"])
                if employer_id is None:
                    raise RowError(f"所在企业 {r['employer_uscc']} 未登记（请先导入企业）")
            old_phone = decrypt_field(obj.phone_enc, purpose="person.phone") if obj and obj.phone_enc else ""
            return {
                "name": r["name"],
                "idcard_index": r["idcard_index"],
                "idcard_enc": obj.idcard_enc if obj else encrypt_field(r["idcard"], purpose="person.idcard"),
                "idcard_masked": mask_idcard(r["idcard"]),
                "sex": idcard_sex(r["idcard"]),
                "birth_date": idcard_birth_date(r["idcard"]),
                "phone_enc": (obj.phone_enc if obj and old_phone == r["phone"] else
                              encrypt_field(r["phone"], purpose="person.phone") if r["phone"] else ""),
                "phone_masked": mask_phone(r["phone"]) if r["phone"] else "",
                "employer_id": employer_id,
            }

        return upsert(Person, rows, ctx=ctx, key_label="身份证号码", key_of=lambda r: r["idcard_index"],
                      existing_by_keys=_by(Person, "idcard_index", ctx), values_of=values)


class VehicleImporter(Importer):
    kind = "vehicles"
    label = "车辆"
    columns = {
        "plate": ("车牌号", "号牌号码", "车牌号码"),
        "plate_color": ("车牌颜色", "号牌颜色"),
        "vehicle_type": ("车辆类型",),
        "axle_count": ("轴数",),
        "gross_mass_kg": ("总质量（千克）", "总质量(千克)", "总质量"),
        "vin": ("车辆识别代号", "VIN"),
        "transport_cert_no": ("道路运输证号",),
        "enterprise_uscc": ("所属企业统一社会信用代码", "企业信用代码"),
        "status": ("状态",),
    }
    required = ("plate", "plate_color", "vehicle_type")

    def clean(self, raw, *, ctx):
        try:
            return cleaning.clean_vehicle(raw)
        except cleaning.Invalid as e:
            raise RowError(e.reason, e.field) from None

    def apply(self, rows, *, ctx):
        enterprises = _lookup(ctx, Enterprise, "uscc", {r["enterprise_uscc"] for _, r in rows})

        def fetch(keys):
            plates = [p for p, _ in keys]
            result = {}
            for i in range(0, len(plates), 900):
                for v in Vehicle.objects.filter(plate__in=plates[i:i + 900],
                                                org__path__startswith=_root(ctx).path).select_related("org"):
                    result[(v.plate, v.plate_color)] = v
            return result

        def values(r, obj):
            ent = None
            if r["enterprise_uscc"]:
                ent = enterprises.get(r["enterprise_uscc"])
                if ent is None:
                    raise RowError(f"所属企业 {r['enterprise_uscc']} 未登记（请先导入企业）")
            v = {k: r[k] for k in ("plate", "plate_color", "vehicle_type", "axle_count", "gross_mass_kg", "vin",
                                   "transport_cert_no", "status")}
            v["enterprise_id"] = ent
            return v

        return upsert(Vehicle, rows, ctx=ctx, key_label="车辆（车牌号+颜色）",
                      key_of=lambda r: (r["plate"], r["plate_color"]), existing_by_keys=fetch, values_of=values)


class LicenceImporter(Importer):
    kind = "licences"
    label = "证照"
    columns = {
        "kind": ("证照类型",),
        "number": ("证号", "证照编号"),
        "holder_uscc": ("持证企业统一社会信用代码",),
        "holder_plate": ("车牌号",),
        "holder_plate_color": ("车牌颜色",),
        "holder_idcard": ("持证人身份证号码",),
        "category": ("从业资格类别",),
        "scope": ("经营范围",),
        "issuing_authority": ("发证机关",),
        "valid_from": ("有效期起",),
        "valid_to": ("有效期至",),
        "status": ("状态",),
    }
    required = ("kind", "number", "issuing_authority", "valid_from", "valid_to")

    def clean(self, raw, *, ctx):
        try:
            row = cleaning.clean_licence(raw)
        except cleaning.Invalid as e:
            raise RowError(e.reason, e.field) from None
        if row["holder_idcard"]:
            row["holder_index"] = blind_index(row["holder_idcard"], purpose="person.idcard")
        row["status_given"] = (raw.get("status") or "").strip()  # blank: a registered licence keeps its own
        return row

    def apply(self, rows, *, ctx):
        ents = _lookup(ctx, Enterprise, "uscc", {r["holder_uscc"] for _, r in rows})
        persons = _lookup(ctx, Person, "idcard_index", {r.get("holder_index", "") for _, r in rows})
        plates = sorted({r["holder_plate"] for _, r in rows if r["holder_plate"]})
        root = _root(ctx)
        vehicles = {}
        for i in range(0, len(plates), 900):  # SQLite's host-parameter limit
            vehicles.update({(p, c): pk for pk, p, c in Vehicle.objects.filter(
                plate__in=plates[i:i + 900], org__path__startswith=root.path).values_list("pk", "plate", "plate_color")})

        def fetch(keys):
            result = {}
            numbers = [n for _, n in keys]
            for i in range(0, len(numbers), 900):
                for lic in Licence.objects.filter(number__in=numbers[i:i + 900],
                                                  org__path__startswith=root.path).select_related("org"):
                    result[(lic.kind, lic.number)] = lic
            return result

        def values(r, obj):
            v = {k: r[k] for k in ("kind", "number", "category", "scope", "issuing_authority", "valid_from",
                                   "valid_to", "status")}
            if obj is not None:  # the status of a registered licence moves only through a 许可决定
                try:
                    v["status"] = cleaning.licence_status_kept(r["status_given"], r["status"], obj.status)
                except cleaning.Invalid as e:
                    raise RowError(e.reason, e.field) from None
            v.update(enterprise_id=None, vehicle_id=None, person_id=None)
            if r["kind"] == LicenceKind.BUSINESS_PERMIT:
                v["enterprise_id"] = ents.get(r["holder_uscc"])
                if v["enterprise_id"] is None:
                    raise RowError(f"持证企业 {r['holder_uscc']} 未登记")
            elif r["kind"] == LicenceKind.VEHICLE_CERT:
                v["vehicle_id"] = vehicles.get((r["holder_plate"], r["holder_plate_color"]))
                if v["vehicle_id"] is None:
                    raise RowError(f"车辆 {r['holder_plate']} 未登记")
            else:
                v["person_id"] = persons.get(r["holder_index"])
                if v["person_id"] is None:
                    raise RowError("持证人未登记（请先导入自然人）")
            return v

        return upsert(Licence, rows, ctx=ctx, key_label="证照（类型+证号）", key_of=lambda r: (r["kind"], r["number"]),
                      existing_by_keys=fetch, values_of=values)


for _imp in (EnterpriseImporter(), PersonImporter(), VehicleImporter(), LicenceImporter()):
    register(_imp)
