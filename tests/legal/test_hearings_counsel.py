"""负责人出庭应诉 on the cases' own 复议/诉讼 records (最高人民法院 2020 规定 Arts 2, 7), 复议意见书 (复议法 2023
Art 76: 60 days) and 司法建议 (configurable), the three rates with their configurable definitions and the rows
behind them, 法律顾问 contracts and opinions, and the reviewers' 法律职业资格 (处罚法 Art 58 para 2)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import PASSWORD
from tests.legal.conftest import closed_cases
from zhifa.core.errors import DomainError
from zhifa.legal import indicators, services

D = date(2026, 6, 1)
YEAR = {"start": date(2026, 1, 1), "end": date(2026, 12, 31), "dimension": ""}


def _appeal(people, kind="litigation", outcome="", n=1, org=None, officer=None):
    from zhifa.cases.models import CaseAppeal

    tree = people["tree"]
    org = org or tree.bureau_a
    out = []
    for case in closed_cases(tree, officer or people["officer"], {org: n}, closed_on=date(2026, 2, 1)):
        out.append(
            CaseAppeal.objects.create(
                case=case,
                org=case.org,
                kind=kind,
                organ="郁南县人民法院" if kind == "litigation" else "云浮市人民政府",
                filed_on=date(2026, 3, 1),
                received_on=date(2026, 3, 3),
                outcome=outcome,
                outcome_on=date(2026, 9, 1) if outcome else None,
            )
        )
    return out


PRESENT = {
    "head_present": True,
    "head_name": "李明",
    "head_rank": "deputy",
    "head_title": "副局长",
    "identity_filed": True,
}
ABSENT = {
    "head_present": False,
    "appeared_instead": "王芳（法规股股长）",
    "absent_reason": "出差参加省厅会议",
}


def _hearing(people, appeal, present, on=D, actor=None):
    """``present``: True / False for the usual 出庭 / 未出庭 entry, or the dict of fields to record."""
    fields = present if isinstance(present, dict) else PRESENT if present else ABSENT
    return services.hearing_record(
        actor=actor or people["reviewer"],
        appeal=appeal,
        held_on=on,
        court="郁南县人民法院",
        instance="first",
        **fields,
    )


@pytest.mark.django_db
def test_hearing_rules_name_the_article(people):
    (a,) = _appeal(people)
    with pytest.raises(DomainError, match="第二条"):  # Art 2: 正职, 副职 or the 负责人 in charge
        _hearing(people, a, PRESENT | {"head_title": "科员", "head_rank": ""})
    with pytest.raises(DomainError, match="代为出庭"):
        _hearing(people, a, {"head_present": False})
    with pytest.raises(DomainError, match="法制审核人员或执法部门负责人"):
        _hearing(people, a, False, actor=people["officer"])
    (r,) = _appeal(people, kind="reconsideration")
    with pytest.raises(DomainError, match="行政诉讼"):
        _hearing(people, r, True)
    h = _hearing(people, a, True)
    assert (h.head_name, h.get_head_rank_display(), h.identity_filed) == ("李明", "副职负责人", True)
    assert a.legal_hearings.count() == 1


@pytest.mark.django_db
def test_reconsideration_opinion_60_days_and_judicial_suggestion_configurable(people, monkeypatch):
    (a,) = _appeal(people, kind="reconsideration", outcome="changed")
    rec = services.recommendation_add(
        actor=people["head"],
        appeal=a,
        kind="opinion",
        doc_no="云府复意〔2026〕1号",
        received_on=D,
        content="处罚决定书未载明裁量理由",
    )
    assert rec.reply_due == date(2026, 7, 31)  # 复议法 Art 76: 60 days from 2026-06-01 (a Friday)
    with pytest.raises(DomainError, match="报送日期"):
        services.recommendation_reply(
            actor=people["head"], recommendation=rec, replied_on=date(2026, 5, 1), corrective_action="x"
        )
    services.recommendation_reply(
        actor=people["head"],
        recommendation=rec,
        replied_on=date(2026, 7, 1),
        corrective_action="修订裁量说理模板",
    )
    assert a.legal_recommendations.get().corrective_action == "修订裁量说理模板"
    monkeypatch.setenv("ZHIFA_RULE_LEGAL_JUDICIAL_SUGGESTION_REPLY_PERIOD", "30")
    (lit,) = _appeal(people)
    sug = services.recommendation_add(
        actor=people["head"], appeal=lit, kind="judicial", doc_no="", received_on=D, content="规范送达程序"
    )
    assert sug.reply_due == date(2026, 7, 1)  # the configured 30 days


@pytest.mark.django_db
def test_head_appearance_rate_per_case_and_per_hearing(people, officer_b, monkeypatch):
    a1, a2 = _appeal(people, n=2)
    _hearing(people, a1, False, on=date(2026, 4, 1))
    _hearing(people, a1, True, on=date(2026, 5, 1))  # Art 7: once per instance is enough for the case
    _hearing(people, a2, False)
    (other,) = _appeal(people, org=people["tree"].bureau_b, officer=officer_b)  # another county: not counted
    _hearing(people, other, True)
    ind = indicators.HEAD_APPEARANCE
    (v,) = ind.compute(people["head"], **YEAR)
    assert (v.numerator, v.denominator, v.value) == (1, 2, 50.0)
    assert {r.pk for r in ind.records(people["head"], **YEAR)} == {a1.pk, a2.pk}
    monkeypatch.setenv("ZHIFA_RULE_LEGAL_HEAD_APPEARANCE_BASIS", "per_hearing")
    (v,) = ind.compute(people["head"], **YEAR)
    assert (v.numerator, v.denominator, v.value) == (1, 3, 33.3)
    assert len(ind.records(people["head"], **YEAR)) == 3


@pytest.mark.django_db
def test_loss_and_correction_rates_follow_their_definitions(people, monkeypatch):
    for outcome in ("revoked", "illegal", "changed", "upheld"):
        _appeal(people, outcome=outcome)
    _appeal(people)  # pending: not concluded
    for outcome in ("revoked", "changed", "upheld", "withdrawn"):
        _appeal(people, kind="reconsideration", outcome=outcome)
    (loss,) = indicators.LOSS_RATE.compute(people["head"], **YEAR)
    assert (loss.numerator, loss.denominator, loss.value) == (2, 4, 50.0)  # 撤销, 确认违法
    assert indicators.LOSS_RATE.records(people["head"], **YEAR).count() == 4
    (corr,) = indicators.CORRECTION_RATE.compute(people["head"], **YEAR)
    assert (corr.numerator, corr.denominator, corr.value) == (2, 3, 66.7)  # 撤回 is no 复议决定
    monkeypatch.setenv("ZHIFA_RULE_LEGAL_LOSS_BASIS", "with_changed")
    monkeypatch.setenv("ZHIFA_RULE_LEGAL_CORRECTION_BASIS", "all_concluded")
    (loss,) = indicators.LOSS_RATE.compute(people["head"], **YEAR)
    (corr,) = indicators.CORRECTION_RATE.compute(people["head"], **YEAR)
    assert (loss.numerator, loss.denominator) == (3, 4)
    assert (corr.numerator, corr.denominator) == (2, 4)


@pytest.mark.django_db
def test_counsel_opinion_within_contract_period(people):
    c = services.counsel_contract_add(
        actor=people["head"],
        org=people["tree"].bureau_a,
        counsel="广东南粤律师事务所",
        lawyers="陈律师",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        scope="常年法律顾问",
        fee_fen=3_000_000,
    )
    with pytest.raises(DomainError, match="不在聘期"):
        services.counsel_opinion_add(
            actor=people["head"],
            contract=c,
            matter_kind="decision",
            matter_id=None,
            matter_title="公交票价调整",
            given_on=date(2027, 1, 5),
            summary="程序合法",
        )
    with pytest.raises(DomainError, match="聘期届满"):
        services.counsel_contract_add(
            actor=people["head"],
            org=people["tree"].bureau_a,
            counsel="某所",
            lawyers="",
            starts_on=date(2026, 2, 1),
            ends_on=date(2026, 1, 1),
            scope="专项",
        )
    o = services.counsel_opinion_add(
        actor=people["head"],
        contract=c,
        matter_kind="decision",
        matter_id=None,
        matter_title="公交票价调整",
        given_on=date(2026, 3, 5),
        summary="程序合法",
        adopted=True,
    )
    assert list(c.opinions.all()) == [o]


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


@pytest.mark.django_db
def test_pages_record_hearing_opinion_and_qualification(client, people, officer_b):
    (a,) = _appeal(people)
    _login(client, officer_b)
    assert client.get(f"/legal/appeals/{a.pk}/").status_code == 404
    _login(client, people["head"])
    assert f"/legal/appeals/{a.pk}/" in client.get("/legal/appeals/").content.decode()
    r = client.post(
        f"/legal/appeals/{a.pk}/",
        {
            "action": "hearing",
            "held_on": "2026-06-01",
            "court": "郁南县人民法院",
            "instance": "first",
            "head_present": "1",
            "head_name": "李明",
            "head_title": "局长",
            "head_rank": "",
        },
        follow=True,
    )
    assert "第二条" in r.content.decode() and a.legal_hearings.count() == 0
    client.post(
        f"/legal/appeals/{a.pk}/",
        {
            "action": "hearing",
            "held_on": "2026-06-01",
            "court": "郁南县人民法院",
            "instance": "first",
            "head_present": "1",
            "head_name": "李明",
            "head_title": "局长",
            "head_rank": "principal",
        },
    )
    page = client.get(f"/legal/appeals/{a.pk}/").content.decode()
    assert "李明（局长，正职负责人）" in page
    page = client.get("/legal/counsel/").content.decode()
    assert "未登记资格" in page and str(people["reviewer"]) in page
    client.post(
        "/legal/counsel/",
        {
            "action": "qualification",
            "user": people["reviewer"].pk,
            "certificate_no": "A20214401000123",
            "obtained_on": "2021-03-01",
        },
    )
    page = client.get("/legal/counsel/").content.decode()
    assert "A20214401000123" in page and "未登记资格" not in page
    r = client.post(
        "/legal/counsel/",
        {
            "action": "contract",
            "counsel": "南粤所",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "scope": "常年",
            "fee": "abc",
        },
        follow=True,
    )
    assert "顾问费" in r.content.decode()


@pytest.mark.django_db
def test_reports_drill_down_lists_the_records_behind_the_rate(client, people):
    a1, a2 = _appeal(people, n=2)
    _hearing(people, a1, True)
    _hearing(people, a2, False)
    _login(client, people["head"])
    page = client.get(
        "/reports/indicators/legal.head_appearance/?start=2026-01-01&end=2026-12-31"
    ).content.decode()
    assert "50.0 %" in page and "（1 / 2）" in page
    for a in (a1, a2):
        assert a.case.number in page and f"/legal/appeals/{a.pk}/" in page
    assert page.count("未出庭") == 1


@pytest.mark.django_db
def test_report_due_reminder_until_replied(people, django_capture_on_commit_callbacks):
    """The 复议意见书's report (Art 76, due 2026-07-31) is announced within the reminder window, not before,
    and no more once reported."""
    from zhifa.legal.daily import remind
    from zhifa.notifications.daily import reminder_window_end
    from zhifa.notifications.models import Notification

    (a,) = _appeal(people, kind="reconsideration", outcome="changed")
    rec = services.recommendation_add(
        actor=people["head"], appeal=a, kind="opinion", doc_no="", received_on=D, content="完善告知程序"
    )
    qs = Notification.objects.filter(kind="legal.deadline", title__contains="整改情况报送期限 2026-07-31")
    with django_capture_on_commit_callbacks(execute=True):
        remind(on=date(2026, 6, 2))
    assert reminder_window_end(date(2026, 6, 2)) < rec.reply_due and not qs.exists()
    with django_capture_on_commit_callbacks(execute=True):
        remind(on=date(2026, 7, 30))
    assert set(qs.values_list("user__username", flat=True)) == {"reviewer_a", "head_a"}
    services.recommendation_reply(
        actor=people["head"], recommendation=rec, replied_on=date(2026, 7, 30), corrective_action="修订告知书"
    )
    n = qs.count()
    with django_capture_on_commit_callbacks(execute=True):
        remind(on=date(2026, 8, 3))
    assert qs.count() == n
