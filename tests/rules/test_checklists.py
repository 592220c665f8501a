"""The checklist data files (公平竞争审查标准, 案卷评查评分表): versioned, validated by ``zhifa rules check``
with Chinese errors naming the group, item and field."""

import json
from datetime import date

import pytest

from zhifa.cli import main
from zhifa.rules import checklists
from zhifa.rules.datafile import DataFileError


def test_shipped_checklists_pass_zhifa_rules_check(capsys):
    files = [str(p) for p in checklists.shipped_files()]
    assert len(files) == 2
    assert main(["rules", "check", *files]) == 0
    out = capsys.readouterr().out
    assert "清单 4 组，条目 15 条" in out  # 条例 Arts 8–11: 4 + 5 + 3 + 3 standards
    assert "总分 100 分" in out  # 卷面 20 + 内容 80


def _write(tmp_path, doc) -> str:
    path = tmp_path / "c.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_broken_scoresheet_is_reported_item_by_item(tmp_path, capsys):
    doc = checklists.read(checklists.CHECKLIST_DIR / "casefile_review.json")
    doc["groups"][0]["items"][0]["points"] = 5  # a veto item with points
    doc["groups"][1]["items"][1]["code"] = "F1"  # duplicate code
    doc["groups"][2]["items"][0]["points"] = 0
    doc["valid_from"] = "2026-13-01"
    assert main(["rules", "check", _write(tmp_path, doc)]) == 1
    err = capsys.readouterr().err
    assert "第 1 组“基本标准（否决项，任一项不符合即为不合格案卷，计0分）”第 1 条（V1）否决项不计分" in err
    assert "第 2 组“卷面标准（20分）”第 2 条编号“F1”重复" in err
    assert "（C1）分值（points）应为正整数" in err
    assert "总分（total_points）应等于各条目分值之和" in err
    assert "日期格式应为 YYYY-MM-DD" in err


def test_checklist_version_is_chosen_by_date_and_province(tmp_path, monkeypatch):
    fc = checklists.checklist_for("fair_competition", on=date(2026, 3, 1), province="44")
    assert fc.version == "2024-08-01" and fc.province == ""  # no 广东 version: the national one
    assert [it["code"] for it in fc.items][:2] == ["8-1", "8-2"]
    with pytest.raises(DataFileError, match="没有2024-07-31施行的公平竞争审查标准"):
        checklists.checklist_for("fair_competition", on=date(2024, 7, 31))  # before the 条例 was in force
    own = checklists.read(checklists.CHECKLIST_DIR / "casefile_review.json") | {
        "province": "44",
        "version": "粤-1",
    }
    (tmp_path / "gd.json").write_text(json.dumps(own, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(
        checklists,
        "shipped_files",
        lambda: [checklists.CHECKLIST_DIR / "casefile_review.json", tmp_path / "gd.json"],
    )
    assert checklists.checklist_for("casefile_review", on=date(2026, 3, 1), province="44").version == "粤-1"
    assert (
        checklists.checklist_for("casefile_review", on=date(2026, 3, 1), province="45").version == "2026-01"
    )
