"""Import of officers and their enforcement certificates (执法证) from CSV/XLSX."""

from __future__ import annotations

from django.db import transaction

from zhifa.accounts.enums import CertField, ReviewStatus
from zhifa.accounts.models import Certificate, Officer, Org
from zhifa.core import cleaning
from zhifa.core.crypto import blind_index, encrypt_field
from zhifa.core.identifiers import mask_idcard
from zhifa.core.imports import BatchOutcome, Importer, RowError, register


class OfficerImporter(Importer):
    kind = "officers"
    label = "执法人员及执法证"
    columns = {
        "name": ("姓名",),
        "idcard": ("身份证号码", "身份证号"),
        "org": ("所在单位", "单位"),
        "position": ("职务",),
        "cert_number": ("执法证号", "证件号"),
        "issuing_authority": ("发证机关",),
        "field": ("执法门类",),
        "valid_from": ("有效期起",),
        "valid_to": ("有效期至",),
        "review_status": ("年审状态",),
    }
    required = ("name", "idcard", "org")

    def clean(self, raw, *, ctx):
        try:
            row = {
                "name": cleaning.text(raw, "name", "姓名", required=True, max_len=50),
                "idcard": cleaning.idcard_field(raw),
                "org": cleaning.text(raw, "org", "所在单位", required=True),
                "position": cleaning.text(raw, "position", "职务", max_len=50),
                "cert_number": cleaning.text(raw, "cert_number", "执法证号", max_len=30),
            }
            if row["cert_number"]:
                row.update(
                    issuing_authority=cleaning.text(raw, "issuing_authority", "发证机关", required=True),
                    field=cleaning.choice(raw, "field", "执法门类", CertField),
                    valid_from=cleaning.date_field(raw, "valid_from", "有效期起"),
                    valid_to=cleaning.date_field(raw, "valid_to", "有效期至"),
                    review_status=cleaning.choice(raw, "review_status", "年审状态", ReviewStatus,
                                                  default=ReviewStatus.PASSED),
                )
                if row["valid_to"] < row["valid_from"]:
                    raise cleaning.Invalid("valid_to", "有效期至不能早于有效期起")
        except cleaning.Invalid as e:
            raise RowError(e.reason, e.field) from None
        return row

    def apply(self, rows, *, ctx):
        out = BatchOutcome()
        units = {o.name: o for o in Org.objects.filter(path__startswith=ctx.org.path)}
        for rownum, r in rows:
            try:
                with transaction.atomic():  # a row applies whole or not at all
                    result = self._apply_row(r, units, ctx)
            except RowError as e:
                out.errors.append((rownum, str(e)))
                continue
            setattr(out, result, getattr(out, result) + 1)
        return out


    def _apply_row(self, r, units, ctx) -> str:
        org = units.get(r["org"])
        if org is None:
            raise RowError(f"单位“{r['org']}”不存在或不在本单位之下")
        index = blind_index(r["idcard"], purpose="officer.idcard")
        officer = Officer.objects.filter(idcard_index=index).select_related("org").first()
        changed = created = False
        if officer is None:
            officer = Officer.objects.create(
                org=org, name=r["name"], idcard_enc=encrypt_field(r["idcard"], purpose="officer.idcard"),
                idcard_index=index, idcard_masked=mask_idcard(r["idcard"]), position=r["position"])
            created = True
        elif not officer.org.path.startswith(ctx.org.path):
            raise RowError(f"该人员已登记在 {officer.org}，不在本单位之下")
        else:
            for f, v in (("org", org), ("name", r["name"]), ("position", r["position"])):
                if getattr(officer, f) != v:
                    setattr(officer, f, v)
                    changed = True
            if changed:
                officer.save()
        if r["cert_number"]:
            cert = Certificate.objects.filter(number=r["cert_number"]).first()
            values = {k: r[k] for k in ("issuing_authority", "field", "valid_from", "valid_to", "review_status")}
            if cert is None:
                Certificate.objects.create(officer=officer, number=r["cert_number"], **values)
                changed = True
            elif cert.officer_id != officer.pk:
                raise RowError(f"执法证号 {r['cert_number']} 已属于其他人员")
            elif any(getattr(cert, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(cert, k, v)
                cert.save()
                changed = True
        return "created" if created else "updated" if changed else "unchanged"


register(OfficerImporter())
