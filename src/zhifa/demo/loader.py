"""Load the demo county into an empty database.

The organisation tree, the eight demo accounts, officers and their certificates are written through
the accounts services (``actor=None``, the installer); the regulated subjects are written as CSV files
and imported with :func:`zhifa.core.imports.run_import` into each county's bureau, the same code path
(validation, natural-key upsert, import job, audit entry) that users' imports take. The licences granted
within the last year are not imported but granted by 行政许可决定 through the registry's permit service
(some later changed, cancelled or revoked: :mod:`zhifa.demo.permits`), so their 双公示 records and credit
files follow from the decisions. The whole load is one transaction: a failure leaves the database empty.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from zhifa.accounts import services as acc
from zhifa.accounts.enums import OfficerStatus, Role
from zhifa.accounts.models import Certificate, Officer, Org, User
from zhifa.core.audit import audit_record
from zhifa.core.errors import DomainError
from zhifa.core.imports import get_importer, run_import
from zhifa.core.models import AuditRecord
from zhifa.demo.generator import CERT_AUTHORITY, ORG_BY_KEY, ORG_TREE, DemoData, generate_demo
from zhifa.demo.permits import load_demo_permits, split_decided
from zhifa.registry.enums import LicenceKind
from zhifa.registry.models import Enterprise, Licence, Person, Vehicle

DEMO_PASSWORD = "Zhifa@2026"  # printed by `zhifa demo`; 10 characters, 4 character classes
DEMO_ACTION = "demo.load"

Progress = Callable[[str], None]


@dataclass
class DemoSummary:
    orgs: int
    users: list[tuple[str, str, str]]  # (username, role label, unit)
    officers: int
    certificates_expiring: int  # within 60 days of ``today``, active officers, not withdrawn
    certificates_expired: int
    enterprises: int
    vehicles: int
    persons: int
    practitioners: int  # persons holding a 从业资格证
    licences: int


def demo_loaded() -> bool:
    """True once the demo county has been loaded into this database (the load leaves an audit record)."""
    return AuditRecord.objects.filter(action=DEMO_ACTION, success=True).exists()


def database_empty() -> bool:
    """No unit, account, officer or regulated subject yet (the migration-created rows do not count)."""
    return not any(m.objects.exists() for m in (Org, User, Officer, Enterprise, Person, Vehicle, Licence))


def _demo_rules(seed: int, today: date, scale: float) -> str:
    from zhifa.rules.services import load_starter_catalogue

    c = load_starter_catalogue().created
    return f"规则库：法律依据 {c.get('legal_bases', 0)} 条，违法行为 {c.get('violations', 0)} 项，程序参数 {c.get('params', 0)} 项"


def _demo_inspections(seed: int, today: date, scale: float) -> str:
    from zhifa.demo.inspections import load_demo_inspections

    return f"双随机抽查：{load_demo_inspections(seed=seed, today=today)}"


# Demo cases render their documents through the real services (about 0.4 s a case), so the demo
# county gets a hundred at scale 1.0; `zhifa demo --scale 3` gives the few hundred of a real year.
DEMO_CASES_PER_SCALE = 100
# Unread notifications each demo account starts with (the newest hand-offs of the replayed history).
DEMO_UNREAD_KEPT = 5


def _demo_cases(seed: int, today: date, scale: float) -> str:
    from zhifa.demo.cases import load_demo_cases

    n = load_demo_cases(seed=seed, today=today, scale=scale * DEMO_CASES_PER_SCALE / 300)
    return f"执法案件 {n} 件"


def _demo_overload(seed: int, today: date, scale: float) -> str:
    from zhifa.demo.overload import load_demo_overload

    return f"治超：{load_demo_overload(seed=seed, today=today, scale=scale)}"


def _demo_monitoring(seed: int, today: date, scale: float) -> str:
    from zhifa.demo.monitoring import load_demo_monitoring

    return f"两客一危：{load_demo_monitoring(seed=seed, today=today, scale=scale)}"


def _demo_jt809(seed: int, today: date, scale: float) -> str:
    from zhifa.demo.jt809 import load_demo_jt809

    return f"平台对接：{load_demo_jt809(seed=seed, today=today, scale=scale)}"


def _demo_disclosure(seed: int, today: date, scale: float) -> str:
    from zhifa.demo.disclosure import load_demo_disclosure

    return f"双公示与信用：{load_demo_disclosure(seed=seed, today=today, scale=scale)}"


def _demo_complaints(seed: int, today: date, scale: float) -> str:
    from zhifa.demo.complaints import load_demo_complaints

    return load_demo_complaints(seed=seed, today=today, scale=scale)


def _demo_window(seed: int, today: date, scale: float) -> str:
    from zhifa.demo.window import load_demo_window

    return load_demo_window(seed=seed, today=today, scale=scale)


def _demo_legal(seed: int, today: date, scale: float) -> str:
    from zhifa.demo.legal import load_demo_legal

    return load_demo_legal(seed=seed, today=today, scale=scale)


def _demo_people(seed: int, today: date, scale: float) -> str:
    from zhifa.demo.people import load_demo_people

    return f"队伍与保障：{load_demo_people(seed=seed, today=today, scale=scale)}"


def _demo_reports(seed: int, today: date, scale: float) -> str:
    from zhifa.demo.reports import load_demo_reports

    return load_demo_reports(seed=seed, today=today, scale=scale)


# One line a module, so that a new module's line merges without touching the others.
MODULE_LABELS = {
    "rules": "规则库",
    "inspections": "双随机抽查",
    "cases": "执法案件",
    "overload": "治超",
    "monitoring": "两客一危动态监控",
    "jt809": "平台对接（JT/T 809）",
    "disclosure": "双公示与信用",
    "complaints": "投诉举报",
    "window": "行政许可与政务服务",
    "legal": "法制工作",
    "people": "队伍与保障",
    "reports": "统计与报告",
}

# The modules that add their demo data on top of the county, in dependency order.
MODULES: dict[str, Callable[[int, date, float], str]] = {
    "rules": _demo_rules,
    "inspections": _demo_inspections,
    "cases": _demo_cases,
    "overload": _demo_overload,
    "monitoring": _demo_monitoring,
    "jt809": _demo_jt809,
    "disclosure": _demo_disclosure,
    "complaints": _demo_complaints,
    "window": _demo_window,
    "people": _demo_people,
    "legal": _demo_legal,
    "reports": _demo_reports,  # last: reads what every module above wrote
}


def load_demo(
    *, seed: int = 2022, scale: float = 1.0, today: date | None = None, progress: Progress | None = None,
    modules: tuple[str, ...] | None = None,
) -> DemoSummary:
    """Generate the demo county from ``seed`` and write it; refuses a database that already has data.

    ``scale`` multiplies the numbers of enterprises, vehicles and persons (1.0: about 300 enterprises,
    3,000 vehicles, 2,000 persons in 郁南); the org tree, the eight accounts and the officers are always
    created. ``progress`` receives Chinese status lines. ``modules`` names the modules whose demo data
    is added (default: all of :data:`MODULES`; tests of the base county pass ``()``).
    """
    say = progress or (lambda message: None)
    today = today or timezone.localdate()  # the county's date (Asia/Shanghai)
    if not scale > 0:
        raise DomainError("demo.scale", "演示数据规模倍数必须大于 0", status=422)
    if not database_empty():
        raise DomainError("demo.not_empty", "数据库中已有数据，演示数据只能载入空库", status=409)
    data = generate_demo(seed=seed, scale=scale, today=today)
    say("正在计算演示账户密码……")
    encoded = make_password(DEMO_PASSWORD)  # slow by design; computed once for all eight accounts
    with transaction.atomic():
        if not database_empty():  # checked again inside the transaction
            raise DomainError("demo.not_empty", "数据库中已有数据，演示数据只能载入空库", status=409)
        say("正在创建单位……")
        orgs = _create_orgs()
        say("正在创建演示账户与执法人员……")
        users = _create_accounts(data, orgs, encoded)
        _create_officers(data, orgs, users)
        with tempfile.TemporaryDirectory(prefix="zhifa-demo-") as tmp:
            for county in data.counties:
                decided = _import_county(county, orgs[county.bureau], Path(tmp), say, today=today, scale=scale)
                say(f"正在记录{orgs[county.bureau].name}本年度行政许可决定（准予许可 {len(decided)} 件）……")
                load_demo_permits(bureau=orgs[county.bureau], rows=decided, today=today, seed=seed)
        for name in MODULES if modules is None else modules:
            say(f"正在生成演示数据：{MODULE_LABELS.get(name, name)}……")
            say(MODULES[name](seed, today, scale))
        if modules is None or "cases" in modules:
            from zhifa.notifications.services import notifications_keep_latest_unread

            # the cases were walked through years of steps in one go: keep each person's newest few unread.
            # Registered from a commit callback so that it runs after the notifications that other commit
            # callbacks (event listeners) write.
            transaction.on_commit(lambda: transaction.on_commit(
                lambda: notifications_keep_latest_unread(keep=DEMO_UNREAD_KEPT)))
        audit_record(
            action=DEMO_ACTION,
            actor=None,
            target=orgs["yunan"],
            detail={"seed": seed, "scale": scale, "today": today.isoformat()},
        )
    say("演示数据载入完成。")
    return _summary(data)


def _create_orgs() -> dict[str, Org]:
    orgs: dict[str, Org] = {}
    for spec in ORG_TREE:
        orgs[spec.key] = acc.org_create(
            name=spec.name,
            kind=spec.kind,
            parent=orgs.get(spec.parent or ""),
            short_name=spec.short_name,
            division_code=spec.division_code,
            uscc=spec.uscc,
            actor=None,
        )
    return orgs


def _create_accounts(data: DemoData, orgs: dict[str, Org], encoded: str) -> dict[str, User]:
    return {
        a.username: acc.user_create(
            username=a.username,
            display_name=a.display_name,
            org=orgs[a.org],
            roles={a.role},
            password="",
            password_encoded=encoded,
            actor=None,
        )
        for a in data.accounts
    }


def _create_officers(data: DemoData, orgs: dict[str, Org], users: dict[str, User]) -> None:
    for spec in data.officers:
        officer = acc.officer_create(
            org=orgs[spec.org],
            name=spec.name,
            idcard=spec.idcard,
            position=spec.position,
            user=users.get(spec.account),
            actor=None,
        )
        if spec.cert is not None:
            c = spec.cert
            acc.certificate_add(
                officer=officer,
                number=c.number,
                issuing_authority=CERT_AUTHORITY,
                field=c.field,
                valid_from=c.valid_from,
                valid_to=c.valid_to,
                review_status=c.review_status,
                reviewed_on=c.reviewed_on,
                actor=None,
            )
        if spec.left_on is not None:
            acc.officer_leave(
                officer=officer,
                on=spec.left_on,
                status=OfficerStatus.LEFT,
                reason="调往云浮市交通运输局工作",
                actor=None,
            )


# Import order: holders before what refers to them.
_KINDS = (
    ("enterprises", "enterprises", "企业"),
    ("persons", "persons", "从业人员"),
    ("vehicles", "vehicles", "车辆"),
    ("licences", "licences", "证照"),
)


def _import_county(county, bureau: Org, tmp: Path, say: Progress, *, today: date, scale: float) -> list[dict]:
    """Import the county's subjects; returns the licence rows left to be granted by decision."""
    decided: list[dict] = []
    for kind, attr, label in _KINDS:
        rows = getattr(county, attr)
        if kind == "licences":
            rows, decided = split_decided(rows, today=today, scale=scale)
        importer = get_importer(kind)
        fields = list(importer.columns)
        path = tmp / f"演示数据_{bureau.name}_{label}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(importer.template_header())
            w.writerows([row.get(f, "") for f in fields] for row in rows)
        say(f"正在导入{bureau.name}{label}（{len(rows)} 条）……")
        job = run_import(kind, path, actor=None, org=bureau)
        if job.failed or job.created != len(rows):
            # The generator produced something the platform rejects: a bug, never a user error.
            first = "；".join(f"第 {e['row']} 行：{e['reason']}" for e in job.errors[:3])
            raise RuntimeError(f"演示数据导入失败（{label}）：{job.message}。{first}")
    return decided


def _summary(data: DemoData) -> DemoSummary:
    today = data.today
    active_certs = Certificate.objects.filter(officer__status=OfficerStatus.ACTIVE, withdrawn_on__isnull=True)
    return DemoSummary(
        orgs=Org.objects.count(),
        users=[(a.username, Role(a.role).label, ORG_BY_KEY[a.org].name) for a in data.accounts],
        officers=Officer.objects.count(),
        certificates_expiring=active_certs.filter(
            valid_to__gte=today, valid_to__lte=today + timedelta(days=60)
        ).count(),
        certificates_expired=active_certs.filter(valid_to__lt=today).count(),
        enterprises=Enterprise.objects.count(),
        vehicles=Vehicle.objects.count(),
        persons=Person.objects.count(),
        practitioners=Person.objects.filter(licences__kind=LicenceKind.QUALIFICATION).distinct().count(),
        licences=Licence.objects.count(),
    )
