"""Writes of regulated subjects. Single records go through the same upsert as imports."""

from __future__ import annotations

from django.db import transaction

from zhifa.accounts.enums import Role
from zhifa.accounts.models import User
from zhifa.accounts.services import require_role
from zhifa.core.audit import audit_record
from zhifa.core.crypto import decrypt_field
from zhifa.core.errors import ErrorCode
from zhifa.core.imports import ImportContext, RowError, get_importer
from zhifa.registry.models import Person

EDITORS = (Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD)
IMPORTERS = (Role.LEGAL_REVIEWER, Role.HEAD)


class RegistryError(ErrorCode):
    INVALID = "registry.invalid", "{detail}", 422
    REJECTED = "registry.rejected", "{detail}", 409


RESULT_LABEL = {"created": "新增", "updated": "更新", "unchanged": "未变化"}


@transaction.atomic
def subject_save(*, kind: str, data: dict[str, str], actor: User) -> str:
    """Create or update one subject of ``kind`` (enterprises, persons, vehicles, licences) by its
    natural key; returns "created", "updated" or "unchanged". Invalid data raises with the field."""
    require_role(actor, *EDITORS)
    importer = get_importer(kind)
    ctx = ImportContext(actor=actor, org=actor.org)
    try:
        row = importer.clean({k: ("" if v is None else str(v)) for k, v in data.items()}, ctx=ctx)
    except RowError as e:
        raise RegistryError.INVALID.error(detail=str(e), fields={e.field: str(e)} if e.field else None) from None
    out = importer.apply([(1, row)], ctx=ctx)
    if out.errors:
        raise RegistryError.REJECTED.error(detail=out.errors[0][1])
    result = "created" if out.created else "updated" if out.updated else "unchanged"
    audit_record(action=f"registry.{kind}.save", actor=actor, target_type=f"registry.{kind}",
                 target_repr=_repr(kind, row), detail={"result": result})
    return result


def _repr(kind: str, row: dict) -> str:
    if kind == "enterprises":
        return f"{row['name']}（{row['uscc']}）"
    if kind == "vehicles":
        return row["plate"]
    if kind == "persons":
        return row["name"]
    return f"{row['kind']} {row['number']}"


def person_idcard_reveal(*, person: Person, actor: User) -> str:
    """The full ID number, for business roles only; each reveal is an audited sensitive read."""
    require_role(actor, *EDITORS)
    value = decrypt_field(person.idcard_enc, purpose="person.idcard")
    audit_record(action="person.idcard_view", actor=actor, target=person)
    return value
