"""The bad-file corpus (tests/badfiles/, issue 16 item 9) fed to every importer and to the WIM ingest.

Each fault is rejected at row level with its row number and a Chinese reason while the good rows go in;
the file as a whole never fails with a traceback, and an import job always ends ``done`` or ``failed``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from zhifa.core.imports import Importer, importers, register, run_import
from zhifa.core.models import ImportJob

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parents[1] / "badfiles"
FILES = sorted(p for p in CORPUS.iterdir() if p.suffix in (".csv", ".jsonl"))
CHINESE = re.compile(r"[\u4e00-\u9fff]")
BIG = "x" * 200_000  # over the csv module's 128 KB field limit


@pytest.fixture
def big_csv(tmp_path, tree):
    """A registry file with one cell over the csv module's field limit between two good rows."""
    import random

    from tests.factories import fake_uscc

    rng = random.Random(99)
    rows = ["统一社会信用代码,企业名称,经营类别",
            f"{fake_uscc(rng)},郁南县超长前物流有限公司,道路货物运输",
            f"{fake_uscc(rng)},{BIG},道路货物运输",
            f"{fake_uscc(rng)},郁南县超长后物流有限公司,道路货物运输"]
    p = tmp_path / "big.csv"
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return p


def _assert_row_errors(errors):
    for e in errors:
        assert isinstance(e["row"], int) and e["row"] >= 2, e
        assert CHINESE.search(e["reason"]), e


def test_the_corpus_is_there():
    assert {p.name for p in FILES} >= {"registry_enterprises.csv", "registry_persons.csv", "wim_records.csv",
                                       "wim_records.jsonl"}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_importer_survives_every_bad_file(tree, path):
    kinds = sorted(importers())
    assert len(kinds) >= 5
    for kind in kinds:
        job = run_import(kind, path, actor=None, org=tree.bureau_a)
        assert job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED), (kind, job.status)
        assert job.message and CHINESE.search(job.message), (kind, job.message)
        _assert_row_errors(job.errors)


def test_registry_enterprises_bad_rows_rejected_good_rows_in(tree):
    from zhifa.registry.models import Enterprise

    job = run_import("enterprises", CORPUS / "registry_enterprises.csv", actor=None, org=tree.bureau_a)
    assert job.status == ImportJob.Status.DONE and job.created == 1 and job.failed == 4
    reasons = {e["row"]: e["reason"] for e in job.errors}
    assert "公式" in reasons[3] and "NUL" in reasons[4] and "法定代表人" in reasons[5] and "公式" in reasons[6]
    assert list(Enterprise.objects.values_list("name", flat=True)) == ["郁南县坏文件测试物流有限公司"]


def test_registry_persons_formula_and_nul_names_rejected(tree):
    job = run_import("persons", CORPUS / "registry_persons.csv", actor=None, org=tree.bureau_a)
    assert job.created == 1 and sorted(e["row"] for e in job.errors) == [3, 4, 5]
    assert all("姓名" in e["reason"] for e in job.errors)


def test_a_cell_over_the_csv_limit_rejects_its_row_only(tree, big_csv):
    job = run_import("enterprises", big_csv, actor=None, org=tree.bureau_a)
    assert job.status == ImportJob.Status.DONE and job.created == 2
    assert job.errors == [{"row": 3, "reason": "单元格超过 128 KB，无法读取"}]


def test_cli_import_of_a_bad_file_ends_its_job(tree, big_csv, capsys):
    """The probe's CLI import died on the oversize cell and left its job ``pending`` for ever."""
    from zhifa.cli import main

    assert main(["import", "enterprises", str(big_csv), "--org", tree.bureau_a.name]) == 1
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE and job.created == 2 and job.failed == 1
    assert "第 3 行：单元格超过 128 KB" in capsys.readouterr().out


class _Exploding(Importer):
    """An importer with a bug: its apply fails on the database (a real IntegrityError, not a mock)."""

    kind = "test_exploding"
    label = "测试"
    columns = {"name": ("名称",)}
    required = ("name",)

    def clean(self, raw, *, ctx):
        return raw

    def apply(self, rows, *, ctx):
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute("INSERT INTO core_importjob (id) VALUES (NULL)")  # NOT NULL columns: IntegrityError
        raise AssertionError("unreachable")


def test_a_crashing_import_ends_failed_with_its_reason(tree, tmp_path):
    register(_Exploding())
    try:
        p = tmp_path / "x.csv"
        p.write_text("名称\n甲\n", encoding="utf-8")
        returned = run_import("test_exploding", p, actor=None, org=tree.bureau_a)
        job = ImportJob.objects.get()
        assert returned.pk == job.pk and returned.status == job.status == ImportJob.Status.FAILED
        assert job.finished_at is not None
        assert "IntegrityError" in job.message and "重新导入" in job.message
    finally:
        from zhifa.core import imports

        imports._REGISTRY.pop("test_exploding", None)
