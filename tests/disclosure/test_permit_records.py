"""行政许可 records and the deciding unit's 统一社会信用代码 on the public record.

A licence registered without its permit decision (an import) has no 行政许可决定文书号 or 许可类别: its
record is held back with the reason, never published with guessed items. The 处罚机关/许可机关 and 数据来源单位
统一社会信用代码 come from the unit (accounts.Org.uscc) and survive the masking layer and the exports.
"""

from __future__ import annotations

import random
from datetime import date

import pytest

from tests.factories import fake_uscc
from zhifa.accounts import services as acc
from zhifa.demo.generator import agency_uscc
from zhifa.disclosure import exports
from zhifa.disclosure.masking import public_version
from zhifa.disclosure.models import DisclosureRecord, PublicRecord
from zhifa.disclosure.services import _emit_now, disclosure_record_complete
from zhifa.registry import services as registry
from zhifa.registry.models import Enterprise, Licence

from .helpers import emit

pytestmark = pytest.mark.django_db

CODE = agency_uscc("445322")  # all digits: a long digit run the free-text scrubber would remove


@pytest.fixture
def coded(tree):
    acc.org_update(org=tree.bureau_a, uscc=CODE, actor=None)
    tree.bureau_a.refresh_from_db()
    return tree


def test_imported_licence_is_held_with_the_missing_items(coded, head_user):
    uscc = fake_uscc(random.Random(5))
    registry.subject_save(kind="enterprises", actor=head_user,
                          data={"uscc": uscc, "name": "郁南县顺安客运有限公司", "business_type": "passenger"})
    registry.subject_save(kind="licences", actor=head_user, data={
        "kind": "business_permit", "number": "445322000901", "holder_uscc": uscc, "scope": "县内班车客运",
        "issuing_authority": "郁南县交通运输局", "valid_from": "2026-03-02", "valid_to": "2030-03-01"})
    lic = Licence.objects.get(number="445322000901")
    rec = _emit_now(kind="permit", source=lic, decided_on=date(2026, 3, 2), actor=head_user)
    assert rec.state == "held"
    assert rec.hold_reason == "缺少数据项：行政许可决定文书名称、行政许可决定文书号、许可类别"
    assert not PublicRecord.objects.filter(record=rec).exists()
    assert rec.payload["permit_no"] == "445322000901" and rec.payload["source_unit_code"] == CODE
    # completed by hand with the decision's items, it goes out
    done = disclosure_record_complete(
        record=rec, on=date(2026, 3, 5), actor=head_user,
        items={"doc_name": "准予行政许可决定书", "doc_no": "郁交运许〔2026〕3号", "permit_category": "普通"},
    )
    assert done.state == "published" and done.public.data["permit_no"] == "445322000901"
    assert Enterprise.objects.get(uscc=uscc).name == done.public.data["subject_name"]


def test_unit_codes_survive_masking_and_reach_exports(coded, head_user):
    rec = emit(coded.squad_a1, head_user, agency_code=CODE, source_unit_code=CODE)
    assert rec.state == "published"
    data = PublicRecord.objects.get(record=rec).data
    assert data["agency_code"] == CODE and data["source_unit_code"] == CODE
    header, rows = exports.rows([rec.public], "penalty")
    row = dict(zip(header, rows[0], strict=True))
    assert row["处罚机关统一社会信用代码"] == CODE and row["数据来源单位统一社会信用代码"] == CODE


@pytest.mark.parametrize("bad", ["11010519491231002X", "13912345678", "郁南县交通运输局", "114453220445322799"])
def test_only_a_valid_unit_code_is_published(bad):
    """An ID number, a phone, a name or a code with a wrong check character never appears as the code."""
    out = public_version("permit", {"agency_code": bad, "source_unit_code": bad, "agency": "郁南县交通运输局"})
    assert "agency_code" not in out and "source_unit_code" not in out


def test_imported_penalty_carries_the_importing_bureau_code(coded, head_user, tmp_path):
    from zhifa.core.imports import run_import

    from .test_import import HEADER

    f = tmp_path / "p.csv"
    f.write_text(HEADER + "某公司,法人及非法人组织,,郁交罚〔2025〕9号,超限运输,事实,第六十四条,罚款,罚款3000元,3000,"
                          "2025-06-03,粤W12345,一般\n", encoding="utf-8")
    run_import("disclosure_penalties", f, actor=head_user, org=coded.squad_a1)
    rec = DisclosureRecord.objects.get(doc_no="郁交罚〔2025〕9号")
    assert rec.payload["agency_code"] == CODE and rec.public.data["source_unit_code"] == CODE


def test_a_retried_hook_does_not_republish_a_withdrawn_decision(tree, head_user, django_capture_on_commit_callbacks):
    from zhifa.disclosure.services import disclosure_record_withdraw

    from .helpers import Src

    first = emit(tree.squad_a1, head_user, decided_on=date(2026, 4, 10))
    with django_capture_on_commit_callbacks(execute=True):
        disclosure_record_withdraw(source=Src(tree.squad_a1), changed_on=date(2026, 4, 30), reason="复议撤销",
                                   actor=head_user)
    again = emit(tree.squad_a1, head_user, decided_on=date(2026, 4, 10))  # the original hook, retried late
    assert again.pk == first.pk and DisclosureRecord.objects.count() == 1
    redecided = emit(tree.squad_a1, head_user, decided_on=date(2026, 5, 20))  # a new decision after the change
    assert redecided.version == 2 and redecided.state == "published"


def test_a_changed_decision_replaces_its_record_within_3_working_days(tree, head_user):
    first = emit(tree.squad_a1, head_user, decided_on=date(2026, 4, 10))
    second = emit(tree.squad_a1, head_user, decided_on=date(2026, 4, 30), penalty_content="罚款人民币2000元")
    first.refresh_from_db()
    assert second.version == 2 and first.state == "withdrawn"
    # 处罚法 Art 48 para 2: Apr 30 + 3 working days across the May Day holiday
    assert (first.changed_on, first.withdraw_due) == (date(2026, 4, 30), date(2026, 5, 8))
