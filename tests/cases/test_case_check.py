"""案卷评查 that cannot be fooled (issue 14 item 6): the check judges what the file holds, not what the
workflow was supposed to prevent. Each test takes a lawful served case, then changes the file as an import,
a migration or an edit outside the workflow could (a queryset update), and the check must veto it with the
article it enforces; the untouched file passes."""

from __future__ import annotations

from datetime import date

import pytest

from tests.cases.conftest import D0, new_case, step, to_state
from zhifa.cases.local_rules import VETO_ITEMS
from zhifa.cases.models import Case, CaseStep, CaseViolation
from zhifa.cases.workflow.check import case_check_run

pytestmark = pytest.mark.django_db


def served(kit, *, fine_fen=100_000, **kw):
    c = to_state(kit, "notified", fine_fen=fine_fen, **kw)
    c = step(kit, c, "statement", content="当事人放弃陈述申辩和听证", waive_hearing="true")
    if c.review_required:
        c = step(kit, c, "submit_review")
        c = step(kit, c, "review", kit.reviewer, passed="true", opinion="事实清楚，适用法律正确")
    c = step(kit, c, "decide", kit.head)
    return step(kit, c, "serve", method="direct", proof="送达回证 001")


def vetoes(case) -> dict[str, dict]:
    case = Case.objects.get(pk=case.pk)
    return {f["code"]: f for f in case_check_run(case=case, save=False).findings if f["veto"]}


def test_a_lawful_file_passes_and_every_veto_cites_its_article(kit):
    c = served(kit)
    result = case_check_run(case=Case.objects.get(pk=c.pk), save=False)
    assert result.passed and result.score == result.max_score, result.findings
    assert all(article.startswith("《") for _, _, article in VETO_ITEMS)


def test_no_basis_is_vetoed_art_38(kit):
    c = served(kit)
    Case.objects.filter(pk=c.pk).update(violated_article="", penalty_article="—")
    v = vetoes(c)["basis"]
    assert "第三十八条" in v["article"] and "违反条款" in v["detail"] and "处罚依据" in v["detail"]


def test_a_fine_above_the_legal_maximum_is_vetoed_art_38_and_the_violations_article(kit):
    """《道路运输条例》第六十八条第二款 (catalogue DY-014): at most 3,000 yuan; 5,000 yuan in the file is vetoed."""
    from zhifa.rules.services import load_starter_catalogue

    load_starter_catalogue()
    c = new_case(kit, violation_code="DY-014", violation_name="")
    c = step(kit, c, "register", kit.head)
    c = step(kit, c, "assign_officers", officer_ids=[kit.o1.pk, kit.o2.pk])
    c = step(kit, c, "record", kind="询问笔录", content="问：是否招揽旅客？答：是。", signature="signed")
    c = step(kit, c, "end_investigation", report="事实清楚。")
    c = step(kit, c, "propose", kit.head, outcome="penalty", penalty_type="fine", proposed_fine_fen=200_000,
             tier="general", tier_reasons="情节一般")  # fmt: skip
    c = step(kit, c, "notify")
    c = step(kit, c, "statement", content="放弃", waive_hearing="true")
    c = step(kit, c, "decide", kit.head)
    c = step(kit, c, "serve", method="direct", proof="送达回证 002")
    assert "range" not in vetoes(c)
    Case.objects.filter(pk=c.pk).update(fine_fen=500_000)
    CaseViolation.objects.filter(case=c).update(fine_fen=500_000)
    v = vetoes(c)["range"]
    assert "第三十八条" in v["article"] and "5000元" in v["detail"] and "最高3000元" in v["detail"]
    assert "第六十八条" in v["detail"]


def test_hearing_right_not_told_where_due_is_vetoed_art_63(kit):
    """100,000 yuan on an organisation reaches Guangdong's 较大数额 (处罚法 Art 63(一)); a file whose notice
    did not give the right is vetoed, the one that did passes."""
    c = served(kit, fine_fen=10_000_000)
    assert Case.objects.get(pk=c.pk).hearing_right and "hearing_told" not in vetoes(c)
    Case.objects.filter(pk=c.pk).update(hearing_right=False)
    v = vetoes(c)["hearing_told"]
    assert "第六十三条" in v["article"] and "听证" in v["detail"]


def test_a_public_notice_deemed_served_on_the_day_of_publication_is_vetoed(kit):
    """民事诉讼法 Art 95: published Mon 2026-03-02, deemed served 30 days later, Wed 2026-04-01."""
    on = date(2026, 2, 9)
    c = to_state(kit, "notified", on=on)
    c = step(kit, c, "statement", on=on, content="放弃陈述申辩")
    c = step(kit, c, "decide", kit.head, on=date(2026, 2, 26))
    c = step(kit, c, "serve", on=date(2026, 3, 2), method="public_notice", medium="郁南县人民政府门户网站",
             failed_reason="住所无人、电话停机、邮寄退回")  # fmt: skip
    assert c.served_on == date(2026, 4, 1) and "service" not in vetoes(c)
    Case.objects.filter(pk=c.pk).update(served_on=date(2026, 3, 2))
    v = vetoes(c)["service"]
    assert "2026-04-01" in v["detail"] and "第九十五条" in v["article"]


def test_a_missing_service_receipt_is_vetoed_art_61(kit):
    c = served(kit)
    Case.objects.filter(pk=c.pk).update(service_proof="")
    assert "送达回证" in vetoes(c)["service"]["detail"]


def test_an_unsigned_record_is_vetoed(kit):
    c = served(kit)
    rec = CaseStep.objects.get(case=c, action="record")
    rec.data = {k: v for k, v in rec.data.items() if k != "signature"}
    rec.save(update_fields=["data"])
    v = vetoes(c)["signature"]
    assert "询问笔录" in v["detail"] and "第五十五条" in v["article"]


def test_a_decision_after_the_time_limit_is_vetoed_art_60(kit):
    c = served(kit)
    Case.objects.filter(pk=c.pk).update(limit_due=D0.replace(day=1))
    v = vetoes(c)["deadline"]
    assert "第六十条" in v["article"]


def test_a_preservation_left_undecided_past_7_working_days_is_vetoed_art_56(kit):
    c = to_state(kit, "investigating")
    c = step(kit, c, "assign_officers", officer_ids=[kit.o1.pk, kit.o2.pk])
    step(kit, c, "preserve", kit.head, items="行车记录仪存储卡，1张，本局证据室",
         reason="数据可能被删除，以后难以取得")  # fmt: skip
    c = Case.objects.get(pk=c.pk)
    # 2026-03-02 + 7 working days = 2026-03-11: checked on 03-11 it is in time, on 03-12 it is late
    assert "measures" not in {f["code"] for f in case_check_run(case=c, on=date(2026, 3, 11), save=False).findings}
    late = {f["code"]: f for f in case_check_run(case=c, on=date(2026, 3, 12), save=False).findings}
    assert "第五十六条" in late["measures"]["article"] and "2026-03-11" in late["measures"]["detail"]


def test_closing_is_refused_while_a_veto_stands(kit):
    c = served(kit)
    c = step(kit, c, "pay", paid_fen=100_000, receipt_no="PJ-1", channel="bank")
    Case.objects.filter(pk=c.pk).update(violated_article="")
    from zhifa.core.errors import DomainError

    with pytest.raises(DomainError) as e:
        step(kit, Case.objects.get(pk=c.pk), "close", kit.head)
    assert e.value.code == "cases.check_veto" and "法律依据" in e.value.message
