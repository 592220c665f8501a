"""The catalogue data, loading (idempotent, province overrides), checking, and versioning by date."""

from __future__ import annotations

import json
from datetime import date

import pytest

from zhifa.cli import main
from zhifa.core.errors import DomainError
from zhifa.core.models import AuditRecord
from zhifa.rules import datafile, services
from zhifa.rules.models import LegalBasis, ViolationVersion
from zhifa.rules.selectors import violation_get, violation_history, violations_current

pytestmark = pytest.mark.django_db


def test_shipped_files_pass_the_check():
    for path in [datafile.NATIONAL_FILE, *datafile.PROVINCE_FILES.values()]:
        res = datafile.check_file(path)
        assert res.ok, res.errors


def test_starter_catalogue_has_30_plus_cited_violations(catalogue):
    current = violations_current(None)
    assert current.count() >= 30
    categories = set(current.values_list("category", flat=True))
    assert {"道路运输", "公路路政", "治超"} <= categories
    for v in current:
        assert v.penalised.exists(), v.code
        assert all(b.law.startswith("《") for b in v.penalised.all())


def test_articles_are_the_current_revision(catalogue):
    # 《道路运输条例》 2023 revision: unlicensed freight is Art 63 item 1 (was Art 64 before 2022).
    v = violation_get("DY-001")
    assert [str(b) for b in v.penalised.all()] == ["《中华人民共和国道路运输条例》第六十三条第（一）项"]
    assert v.penalised.get().version.startswith("2023") and (v.min_fen, v.max_fen) == (300000, 1000000)
    # 超限规定 Art 43: the overload entry cites it.
    ov = violation_get("ZC-001")
    assert any("超限运输车辆行驶公路管理规定" in b.law and b.article == 43 for b in ov.penalised.all())


def test_load_is_idempotent_and_audited(catalogue):
    before = ViolationVersion.objects.count(), LegalBasis.objects.count()
    again = services.load_starter_catalogue()
    assert again.created == {"legal_bases": 0, "violations": 0, "params": 0}
    assert (ViolationVersion.objects.count(), LegalBasis.objects.count()) == before
    assert AuditRecord.objects.filter(action="rules.load").count() >= 2


def _province_file(tmp_path, **violation):
    national = json.loads(datafile.NATIONAL_FILE.read_text(encoding="utf-8"))
    entry = next(v for v in national["violations"] if v["code"] == "DY-004")
    entry = {**entry, **violation}
    doc = {
        "format": "zhifa-rules/1",
        "province": "44",
        "title": "测试省份裁量基准",
        "legal_bases": [],
        "violations": [entry],
        "params": [],
    }
    path = tmp_path / "gd-test.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


GD_TIERS = [
    {"tier": "no_penalty", "conditions": "首次违法并及时改正", "min_yuan": 0, "max_yuan": 0},
    {"tier": "lighter", "conditions": "主动改正", "min_yuan": 200, "max_yuan": 500},
    {"tier": "general", "conditions": "一般情形", "min_yuan": 500, "max_yuan": 1000},
    {"tier": "heavier", "conditions": "拒不改正", "min_yuan": 1000, "max_yuan": 2000},
]


def test_province_override_from_a_data_file(catalogue, tmp_path):
    path = _province_file(
        tmp_path, effective_from="2025-01-01", tiers=GD_TIERS, tier_source="测试：省裁量基准"
    )
    report = services.rules_load(paths=[path])
    assert report.ok, report.errors
    gd = violation_get("DY-004", on=date(2025, 6, 1), province="广东")
    assert gd.province == "44" and gd.tier_source == "测试：省裁量基准"
    national = violation_get("DY-004", on=date(2025, 6, 1), province="")
    assert national.province == ""
    # before the province version starts, the national one applies even in 广东
    assert violation_get("DY-004", on=date(2024, 6, 1), province="44").province == ""
    # the list shows the province's row in place of the national one
    row = violations_current(None, on=date(2025, 6, 1), province="44").get(violation__code="DY-004")
    assert row.pk == gd.pk


def test_changed_file_entry_is_refused_not_overwritten(catalogue, tmp_path):
    services.rules_load(paths=[_province_file(tmp_path, effective_from="2025-01-01", tiers=GD_TIERS)])
    changed = [dict(GD_TIERS[0]), *GD_TIERS[1:3], {**GD_TIERS[3], "max_yuan": 1800}]
    report = services.rules_load(paths=[_province_file(tmp_path, effective_from="2025-01-01", tiers=changed)])
    assert not report.ok and "新的生效日期" in report.errors[0]
    assert violation_get("DY-004", on=date(2025, 6, 1), province="44").tiers[-1]["max_fen"] == 200000


def test_check_reports_entry_and_field_in_chinese(tmp_path, capsys):
    path = _province_file(
        tmp_path,
        effective_from="2025-13-01",
        tiers=[{"tier": "heavier", "conditions": "x", "min_yuan": 1000, "max_yuan": 5000}],
        penalised=["NO-SUCH"],
    )
    assert main(["rules", "check", str(path)]) == 1
    err = capsys.readouterr().err
    assert "执法事项第 1 条（DY-004） 字段 effective_from：日期格式应为 YYYY-MM-DD" in err
    assert "字段 penalised：引用的法律依据“NO-SUCH”不存在" in err
    assert "tiers[1].max_yuan：超出法定最高罚款 2000 元" in err
    assert main(["rules", "check", str(datafile.NATIONAL_FILE)]) == 0
    assert "通过" in capsys.readouterr().out
    assert main(["rules", "check", str(tmp_path / "missing.json")]) == 2
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert main(["rules", "check", str(bad)]) == 1
    assert "不是有效的 JSON" in capsys.readouterr().err


def test_cli_load_and_param(db, capsys):
    assert main(["rules", "load"]) == 0
    out = capsys.readouterr().out
    assert "national.json" in out and "guangdong.json" in out and "执法事项版本：新增 42" in out
    assert main(["rules", "load"]) == 0
    assert "执法事项版本：新增 0" in capsys.readouterr().out
    assert main(["rules", "param", "decision_time_limit"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "90\tday\t自然日"
    assert main(["rules", "param", "nothing"]) == 1


# --- versioning by the 法制审核人员 --------------------------------------------------------------------


def test_new_version_applies_from_its_date_and_keeps_history(catalogue, rule_reviewer):
    old = violation_get("DY-016", on=date(2026, 1, 1))
    new = services.violation_version_create(
        code="DY-016",
        effective_from=date(2026, 3, 1),
        reason="依据新裁量基准调整从重阶次",
        changes={"tiers": [*old.tiers[:-1], {**old.tiers[-1], "min_fen": 400000}]},
        actor=rule_reviewer,
    )
    assert violation_get("DY-016", on=date(2026, 2, 28)).pk == old.pk
    assert violation_get("DY-016", on=date(2026, 3, 1)).pk == new.pk
    old.refresh_from_db()
    assert old.tiers[-1]["min_fen"] != 400000  # the applied version was not rewritten
    assert [h.pk for h in violation_history("DY-016")] == [new.pk, old.pk]
    rec = AuditRecord.objects.filter(action="rules.violation.version_create").get()
    assert rec.reason == "依据新裁量基准调整从重阶次" and rec.actor_id == rule_reviewer.pk
    assert list(new.penalised.values_list("key", flat=True)) == list(
        old.penalised.values_list("key", flat=True)
    )


def test_new_version_must_start_after_the_latest(catalogue, rule_reviewer):
    latest = violation_get("DY-016")
    with pytest.raises(DomainError) as e:
        services.violation_version_create(
            code="DY-016", effective_from=latest.effective_from, reason="x", changes={}, actor=rule_reviewer
        )
    assert e.value.code == "rules.version_not_later"


def test_new_version_refuses_tiers_outside_the_legal_range(catalogue, rule_reviewer):
    v = violation_get("DY-016")  # 条例 Art 69 para 1: 1,000–5,000 yuan
    bad = [*v.tiers[:-1], {**v.tiers[-1], "max_fen": 600000}]
    with pytest.raises(DomainError) as e:
        services.violation_version_create(
            code="DY-016",
            effective_from=date(2030, 1, 1),
            reason="x",
            changes={"tiers": bad},
            actor=rule_reviewer,
        )
    assert "超出法定最高罚款" in e.value.message and "国办发〔2022〕27号" in e.value.message
    assert ViolationVersion.objects.filter(violation__code="DY-016").count() == 1


def test_new_version_needs_a_reason_and_a_legal_reviewer(catalogue, rule_reviewer, officer_user, head_user):
    with pytest.raises(DomainError) as e:
        services.violation_version_create(
            code="DY-016", effective_from=date(2030, 1, 1), reason=" ", changes={}, actor=rule_reviewer
        )
    assert e.value.fields == {"reason": "不能为空"}
    for actor in (officer_user, head_user):
        with pytest.raises(DomainError) as e:
            services.violation_version_create(
                code="DY-016", effective_from=date(2030, 1, 1), reason="x", changes={}, actor=actor
            )
        assert e.value.status == 403
    assert ViolationVersion.objects.filter(violation__code="DY-016").count() == 1
