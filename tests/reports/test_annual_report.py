"""The indicators behind the annual report recomputed by independent queries; the report's lint, issue (frozen
snapshots), edit-after-issue, masked version, DOCX; the provincial import; the dashboard's JSON."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.db import connection

from tests.cases.conftest import new_case, step
from zhifa.cases.models import Case
from zhifa.core import indicators as registry
from zhifa.core.errors import DomainError
from zhifa.reports import services
from zhifa.reports.models import AnnualReport, ProvincialValue

Y = 2026
ON = date(2026, 3, 2)


@pytest.fixture
def cases(kit):
    """Five cases of 第一中队 registered in 2026, three decided with a fine (ledger set on the decided rows),
    one in another county's tree is not visible; one registered in 2025 is outside the year."""
    out = []
    for i in range(5):
        c = new_case(kit, on=ON, party_name=f"郁南县第{i}运输有限公司")
        out.append(step(kit, c, "register", kit.head, on=ON))
    for c, fen in zip(out[:3], (200_000, 500_000, 1_234_500), strict=True):
        Case.objects.filter(pk=c.pk).update(outcome="penalty", decided_on=date(2026, 6, 1), fine_fen=fen)
    old = step(
        kit,
        new_case(kit, on=date(2025, 12, 1), occurred_on=date(2025, 12, 1)),
        "register",
        kit.head,
        on=date(2025, 12, 1),
    )
    return out, old


def _independent(kit) -> dict:
    """The report's figures by hand-written SQL over the raw tables (not the indicator code)."""
    path = kit.tree.bureau_a.path
    with connection.cursor() as cur:
        cur.execute(
            "SELECT COUNT(*) FROM cases_case c JOIN accounts_org o ON o.id = c.org_id "
            "WHERE o.path LIKE %s AND c.registered_on BETWEEN %s AND %s",
            [path + "%", date(Y, 1, 1), date(Y, 12, 31)],
        )
        registered = cur.fetchone()[0]
        cur.execute(
            "SELECT COUNT(*), COALESCE(SUM(c.fine_fen), 0) FROM cases_case c JOIN accounts_org o "
            "ON o.id = c.org_id WHERE o.path LIKE %s AND c.outcome = 'penalty' AND c.decided_on "
            "BETWEEN %s AND %s",
            [path + "%", date(Y, 1, 1), date(Y, 12, 31)],
        )
        penalties, fen = cur.fetchone()
    return {
        "cases.registered": registered,
        "cases.penalties": penalties,
        "cases.fines": round(int(fen) / 1_000_000, 2),
    }


def test_indicators_recomputed_independently(kit, cases):
    expected = _independent(kit)
    assert expected == {"cases.registered": 5, "cases.penalties": 3, "cases.fines": 1.93}
    start, end = services.period(Y)
    for ident, value in expected.items():
        assert registry.get(ident).total(kit.head, start=start, end=end).value == value, ident
    # the records behind the value are exactly the rows counted
    ids = set(
        registry.get("cases.registered")
        .rows_behind(kit.head, start=start, end=end)
        .values_list("pk", flat=True)
    )
    assert ids == {c.pk for c in cases[0]}
    # by state and by month add up to the total
    by_state = registry.get("cases.registered").values(kit.head, start=start, end=end, dimension="state")
    assert sum(v.value for v in by_state) == 5 and all(v.label != v.key for v in by_state)


def test_every_registered_indicator_computes(kit, cases):
    start, end = services.period(Y)
    for ind in registry.indicators():
        v = ind.total(kit.head, start=start, end=end)
        assert v.value is None or isinstance(v.value, int | float), ind.id
        ind.rows_behind(kit.head, start=start, end=end)
        for dim in ind.dimensions:
            ind.values(kit.head, start=start, end=end, dimension=dim)


def test_lint_flags_hand_typed_number_and_disagreement(kit, cases):
    report = services.report_create(actor=kit.head, org=kit.tree.bureau_a, year=Y)
    report = services.report_update(
        actor=kit.head,
        report=report,
        bodies={
            1: "全年立案查处案件【指标:cases.registered】。",
            2: "第一责任人2026年3月主持会议。",
            3: "立案查处案件 12 宗，另有问题 7 个方面。",
            4: "共开展培训 5",
            5: "【指标:cases.nothing】",
        },
    )
    found = services.lint(report, services.live_values(report, kit.head))
    texts = [(f.part, f.severity, f.text) for f in found]
    assert (3, "warning", "数字“12宗”为手工录入，无法追溯到记录，请改为指标引用") in texts
    assert any(p == 3 and s == "error" and "不一致" in t for p, s, t in texts)  # 12 宗 ≠ 5 宗
    assert (4, "warning", "数字“5”缺少计量单位") in texts
    assert any(p == 5 and s == "error" and "cases.nothing" in t for p, s, t in texts)
    assert not any(p == 2 for p, _s, _t in texts)  # 2026年3月 is a date, not a figure
    with pytest.raises(DomainError) as e:
        services.report_issue(actor=kit.head, report=report)
    assert "必须改正" in e.value.message


def test_edit_after_issue_keeps_snapshot_and_flags_live_change(kit, cases):
    report = services.report_create(actor=kit.head, org=kit.tree.bureau_a, year=Y)
    with pytest.raises(DomainError):
        services.report_issue(actor=kit.officer_user, report=report)  # only the head signs
    services.report_issue(actor=kit.head, report=report)
    report = AnnualReport.objects.get(pk=report.pk)
    snap = report.snapshots.get(indicator_id="cases.fines")
    assert snap.value == 1.93 and report.approved_by
    assert set(report.snapshots.get(indicator_id="cases.registered").record_ids) == {c.pk for c in cases[0]}
    rs = services.refs(report, kit.head)
    assert not rs["cases.fines"].changed
    # a record edited after issue: the issued figure stays, the live value is flagged as changed
    Case.objects.filter(pk=cases[0][0].pk).update(fine_fen=300_000)
    rs = services.refs(report, kit.head)
    assert rs["cases.fines"].value == 1.93 and rs["cases.fines"].live == 2.03 and rs["cases.fines"].changed
    assert not rs["cases.registered"].changed
    with pytest.raises(DomainError):
        services.report_update(actor=kit.head, report=report, bodies={1: "改"})


def test_pages_and_files(client, kit, cases):
    report = services.report_create(actor=kit.head, org=kit.tree.bureau_a, year=Y)
    client.force_login(kit.head)
    page = client.get(f"/reports/annual/{report.pk}/").content.decode()
    assert 'data-ind="cases.registered"' in page and "5宗" in page
    masked = client.get(f"/reports/annual/{report.pk}/?masked=1").content.decode()
    assert "*宗" in masked and 'data-ind="cases.registered"' not in masked
    r = client.get(f"/reports/annual/{report.pk}/file.docx")
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "全年立案查处各类交通运输违法案件5宗" in text and "1.93万元" in text
    r = client.get(f"/reports/annual/{report.pk}/file.docx?masked=1")
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "*宗" in text and "1.93" not in text
    drill = client.get("/reports/indicators/cases.fines/?start=2026-01-01&end=2026-12-31").content.decode()
    assert drill.count("<tr data-pk=") == 3
    x = client.get("/reports/indicators/cases.fines/?start=2026-01-01&end=2026-12-31&export=xlsx")
    assert x.status_code == 200 and x["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get("/reports/indicators/").status_code == 200
    d = client.get("/reports/dashboard.json").json()
    assert any(f["id"] == "cases.registered" for f in d["figures"])
    assert client.get("/reports/dashboard/").status_code == 200
    # another county's head sees no report of this one
    from tests.factories import make_user

    other = make_user("head_other", kit.tree.bureau_b, {"head"})
    client.force_login(other)
    assert client.get(f"/reports/annual/{report.pk}/").status_code == 404


def test_provincial_import(tmp_path, kit):
    from zhifa.core.imports import run_import

    f = tmp_path / "kpi.csv"
    f.write_text(
        "月份,指标,数值,数据来源\n2026-07,上线率,85.98,广东省道路运输车辆动态监控平台\n"
        "2026-13,上线率,80,省平台\n2026-07,不存在的指标,1,省平台\n2026-07,卸载货物,4252.2,省治超平台\n"
        "2026-07,入网率,120,省平台\n",
        encoding="utf-8",
    )
    job = run_import("provincial", f, actor=kit.head, org=kit.tree.bureau_a)
    assert job.created == 2
    rows = {e["row"] if isinstance(e, dict) else e[0] for e in job.errors}
    assert rows == {3, 4, 6}
    assert ProvincialValue.objects.count() == 2
    ind = registry.get("province.online_rate")
    assert ind.source == registry.IMPORTED
    assert ind.total(kit.head, start=date(2026, 1, 1), end=date(2026, 12, 31)).value == 85.98
    assert (
        registry.get("province.unload_t")
        .total(kit.head, start=date(2026, 1, 1), end=date(2026, 12, 31))
        .value
        == 4252.2
    )
    job = run_import("provincial", f, actor=kit.head, org=kit.tree.bureau_a)
    assert job.created == 0 and job.unchanged == 2


def test_deadline_tracker(kit):
    from zhifa.reports.selectors import annual_tracker

    t = annual_tracker(kit.head, today=date(2027, 2, 27))
    assert (t["year"], t["submit_by"], t["publish_by"], t["submit_days"]) == (
        2026,
        date(2027, 3, 1),
        date(2027, 4, 1),
        2,
    )
    t = annual_tracker(kit.head, today=date(2027, 3, 2))
    assert t["submit_overdue"] and not t["publish_overdue"] and t["report"] is None
    report = services.report_create(actor=kit.head, org=kit.tree.bureau_a, year=2026)
    services.report_mark(
        actor=kit.head, report=report, submitted_on=date(2027, 2, 20), published_on=None, publish_url=""
    )
    t = annual_tracker(kit.head, today=date(2027, 3, 2))
    assert not t["submit_overdue"] and t["report"] == report
    assert annual_tracker(kit.head, today=date(2027, 4, 2))["year"] == 2027


def test_bulletin_generated_in_background_numbered_and_issued(client, kit, cases):
    from docx import Document

    from zhifa.reports import bulletins
    from zhifa.reports.models import Bulletin, BulletinState

    ids = ["cases.registered", "cases.fines", "complaints.close_rate", "no.such"]
    b = bulletins.bulletin_request(actor=kit.head, org=kit.tree.bureau_a, month="2026-06", indicator_ids=ids)
    b = Bulletin.objects.get(pk=b.pk)
    assert b.state == BulletinState.DRAFT and b.number.endswith("〔2026〕1号") and b.indicator_ids == ids[:3]
    rows = {r["id"]: r for r in b.content["indicators"]}
    assert rows["cases.fines"]["value"] == "1.93万元" and rows["cases.fines"]["previous"] == "0万元"
    assert rows["cases.registered"]["value"] == "0宗"  # registered in March, not June
    text = "\n".join(p.text for p in Document(io.BytesIO(bulletins.bulletin_file(b))).paragraphs)
    assert "6月执法工作通报" in text and b.number in text and "{{" not in text
    # 中队 bulletin: the squad's own values; a second one of the bureau's month is refused
    s = bulletins.bulletin_request(actor=kit.head, org=kit.tree.squad_a2, month="2026-06", indicator_ids=ids)
    s = Bulletin.objects.get(pk=s.pk)
    assert {r["id"]: r["value"] for r in s.content["indicators"]}["cases.fines"] == "0万元"
    assert s.number.endswith("〔2026〕1号") and s.number != b.number
    with pytest.raises(DomainError):
        bulletins.bulletin_request(actor=kit.head, org=kit.tree.bureau_a, month="2026-06", indicator_ids=ids)
    with pytest.raises(DomainError):
        bulletins.bulletin_request(actor=kit.head, org=kit.tree.bureau_a, month="2026-13", indicator_ids=ids)
    with pytest.raises(DomainError):
        bulletins.bulletin_move(actor=kit.officer_user, bulletin=b, to=BulletinState.ISSUED)
    with pytest.raises(DomainError):
        bulletins.bulletin_move(actor=kit.head, bulletin=b, to=BulletinState.PUBLISHED)  # not yet issued
    bulletins.bulletin_move(actor=kit.head, bulletin=b, to=BulletinState.ISSUED)
    bulletins.bulletin_move(actor=kit.head, bulletin=b, to=BulletinState.PUBLISHED)
    client.force_login(kit.head)
    page = client.get(f"/reports/bulletins/{b.pk}/").content.decode()
    assert "已公开" in page and "1.93万元" in page
    assert client.get(f"/reports/bulletins/{b.pk}/file.docx").status_code == 200
    assert client.get("/reports/bulletins/").status_code == 200


def test_map_positions_are_the_latest_of_visible_vehicles(settings, tmp_path, kit):
    from datetime import datetime

    from django.utils import timezone

    from zhifa.monitoring.store import Store, points_table
    from zhifa.registry.models import Vehicle
    from zhifa.reports.dashboard import positions

    settings.DATA_DIR = tmp_path
    Vehicle.objects.create(
        org=kit.tree.bureau_a, plate="粤W10001", plate_color="yellow", vehicle_type="coach"
    )
    Vehicle.objects.create(
        org=kit.tree.bureau_b, plate="粤W20002", plate_color="yellow", vehicle_type="coach"
    )

    def ts(h):
        return int(timezone.make_aware(datetime(2026, 3, 4, h)).timestamp())

    rows = [
        {"plate": "粤W10001", "plate_color": "黄色", "ts": ts(8), "lon": 111.50, "lat": 23.20},
        {"plate": "粤W10001", "plate_color": "黄色", "ts": ts(9), "lon": 111.60, "lat": 23.30},
        {"plate": "粤W20002", "plate_color": "黄色", "ts": ts(9), "lon": 111.70, "lat": 23.40},
    ]
    Store(tmp_path / "monitoring").ingest_table(points_table(rows, source="t"), source="t")
    p = positions(kit.head)
    assert p["month"] == "2026-03"
    assert [(v["plate"], v["lon"], v["lat"], v["at"], v["alarm"]) for v in p["vehicles"]] == [
        ("粤W10001", 111.60, 23.30, "03-04 09:00", False)
    ]  # the latest point; another county's vehicle not shown
