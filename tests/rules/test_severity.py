"""失信程度 (轻微/一般/严重, 国家发展改革委令2025年第36号) as catalogue data: shipped with its source, checked
in data files, versioned by effective date, shown and edited on the catalogue pages."""

from __future__ import annotations

import json
from datetime import date

import pytest

from zhifa.core.errors import DomainError
from zhifa.rules import datafile, services
from zhifa.rules.selectors import violation_get, violation_severity

pytestmark = pytest.mark.django_db


def test_shipped_classes_have_their_source(catalogue):
    v = violation_get("ZC-008", on=date(2026, 6, 1))  # 1 年内违法超限运输超过 3 次: 吊销车辆营运证
    assert v.severity == "serious" and "治超严重失信情形" in v.severity_source
    assert violation_severity("DY-016", on=date(2026, 6, 1))[0] == "minor"
    assert violation_get("GL-001", on=date(2026, 6, 1)).severity == ""  # unclassified
    assert violation_severity("GL-001", on=date(2026, 6, 1)) is None
    assert violation_severity("XX-999", on=date(2026, 6, 1)) is None
    assert services.rules_load(paths=services.default_files("44")).unchanged["violations"] == 42  # idempotent


def test_data_file_check_names_entry_and_field(tmp_path):
    doc = datafile.read_file(datafile.NATIONAL_FILE)
    doc["violations"][0]["severity"] = "严重"
    doc["violations"][1]["severity"] = "general"
    doc["violations"][1].pop("severity_source", None)
    p = tmp_path / "bad.json"
    p.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    errors = datafile.check_file(p).errors
    assert any("执法事项第 1 条（DY-001） 字段 severity：应为 minor、general、serious" in e for e in errors)
    assert any("执法事项第 2 条（DY-002） 字段 severity_source：填写失信程度分类时应写明分类依据" in e for e in errors)


def test_reclassification_is_a_new_version_and_inherits_otherwise(catalogue, rule_reviewer):
    tiers = violation_get("DY-016").tiers
    v = services.violation_version_create(
        code="DY-016", effective_from=date(2026, 9, 1), reason="调整阶次", actor=rule_reviewer,
        changes={"tiers": tiers},
    )
    assert v.severity == "minor" and v.severity_source  # carried over
    with pytest.raises(DomainError) as e:
        services.violation_version_create(
            code="DY-016", effective_from=date(2026, 10, 1), reason="重新分类", actor=rule_reviewer,
            changes={"severity": "general", "severity_source": ""},
        )
    assert e.value.fields["severity_source"].startswith("请写明失信程度分类依据")
    services.violation_version_create(
        code="DY-016", effective_from=date(2026, 10, 1), reason="重新分类", actor=rule_reviewer,
        changes={"severity": "general", "severity_source": "行业分类标准（测试）"},
    )
    assert violation_severity("DY-016", on=date(2026, 9, 30))[0] == "minor"
    assert violation_severity("DY-016", on=date(2026, 10, 1))[0] == "general"


def test_pages_show_and_edit_the_class(client, catalogue, rule_reviewer):
    client.force_login(rule_reviewer)
    page = client.get("/rules/violations/ZC-005/", {"on": "2026-06-01"}).content.decode()
    assert "失信程度" in page and "严重" in page
    form = client.get("/rules/violations/ZC-005/new-version/").content.decode()
    assert 'name="severity"' in form and 'name="severity_source"' in form
