"""The table of legal cases of issue 14: one row per rule, each with the article it encodes and the numbers
that sit on either side of the article's own boundary (the amount just inside and just outside the range,
the last day and the day after). A row runs the rule through the real services (the limitation rows through
the API), checks the numbers, and returns the text the system produced, which must cite the row's article.

The rules are tested in depth elsewhere (test_violation_basis, test_notice_service, test_payment); this table
is the one place a legal reviewer reads to see every rule of the issue at its edge."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest

from tests.cases.conftest import D0, ON_THE_SPOT, catalogue_violation, new_case, step
from zhifa.cases.enums import CaseState
from zhifa.cases.models import Case
from zhifa.cases.services import case_summary_create
from zhifa.cases.workflow import ledger
from zhifa.cases.workflow.wording import remedy_for
from zhifa.core.errors import DomainError

pytestmark = pytest.mark.django_db

CHUFA = "《中华人民共和国行政处罚法》"


@dataclass(frozen=True)
class Row:
    rule: str
    article: str  # what the produced text must cite
    run: Callable  # (kit, client) -> str


def refusal(fn, code: str) -> str:
    with pytest.raises(DomainError) as e:
        fn()
    assert e.value.code == code, e.value.message
    return e.value.message


def investigated(kit, *, on=D0, **kw) -> Case:
    c = new_case(kit, on=on, **kw)
    c = step(kit, c, "register", kit.head, on=on)
    c = step(kit, c, "assign_officers", on=on, officer_ids=[kit.o1.pk, kit.o2.pk])
    c = step(kit, c, "record", on=on, kind="询问笔录", content="问：是否携带道路运输证？答：没有。", signature="signed")
    return step(kit, c, "end_investigation", on=on, report="事实清楚，证据确凿。")


def propose(kit, c, fen, *, on=D0, tier="general"):
    return step(kit, c, "propose", kit.head, on=on, outcome="penalty", penalty_type="fine",
                proposed_fine_fen=fen, tier=tier, tier_reasons="情节一般")


def decided(kit, fen=300_000, *, on=D0, decide_on=None) -> Case:
    c = step(kit, propose(kit, investigated(kit, on=on), fen, on=on), "notify", on=on)
    c = step(kit, c, "statement", on=on, content="放弃陈述申辩")
    return step(kit, c, "decide", kit.head, on=decide_on or on)


# --- rows ----------------------------------------------------------------------------------------------


def basis_at_notice(kit, client):
    c = propose(kit, investigated(kit, violation_code=""), 100_000)
    msg = refusal(lambda: step(kit, c, "notify"), "cases.basis_notice")
    assert Case.objects.get(pk=c.pk).state == CaseState.PROPOSED
    return msg


def basis_at_decision_and_service(kit, client):
    c = propose(kit, investigated(kit, violation_code=""), 100_000)
    # notified before the rule existed (data of an older installation): decision and service still refuse
    Case.objects.filter(pk=c.pk).update(state=CaseState.NOTIFIED, notified_on=D0, statement_made=True)
    c.refresh_from_db()
    at_decision = refusal(lambda: step(kit, c, "decide", kit.head), "cases.basis_missing")
    Case.objects.filter(pk=c.pk).update(state=CaseState.DECIDED, outcome="penalty", fine_fen=100_000, decided_on=D0)
    c.refresh_from_db()
    at_service = refusal(lambda: step(kit, c, "serve", method="direct", proof="回证 1"), "cases.basis_missing")
    assert "作出处罚决定" in at_decision and "送达" in at_service
    return at_decision + at_service


def max_fine_3000(kit, client):
    from zhifa.rules.services import load_starter_catalogue

    load_starter_catalogue()
    c = investigated(kit, violation_code="DY-014")  # 《道路运输条例》第六十八条第二款：1000元以上3000元以下
    msg = refusal(lambda: propose(kit, c, 300_001, tier="heavier"), "cases.legal_range")
    assert "3000元" in msg and "第六十八条第二款" in msg
    assert propose(kit, c, 300_000, tier="heavier").proposed_fine_fen == 300_000  # the maximum itself
    return msg


def hearing_right_org_100000(kit, client):
    # Guangdong 较大数额 for an organisation: 100,000 yuan "以上" (the amount itself included)
    below = propose(kit, investigated(kit), 9_999_999)
    assert not below.hearing_right
    c = step(kit, propose(kit, investigated(kit), 10_000_000), "notify")
    assert c.hearing_right
    text = _doc_text(c, "violation_notice")
    assert "有权要求听证，应当在收到本通知书之日起五日内提出" in text  # Art 64 (一)
    assert "至2026年3月9日止" in text  # five working days (Art 85) from Mon 2026-03-02
    return text


def hearing_right_person_5000(kit, client):
    below = propose(kit, investigated(kit, party_kind="citizen", party_name="陈某"), 499_999)
    assert not below.hearing_right
    c = propose(kit, investigated(kit, party_kind="citizen", party_name="陈某"), 500_000)
    assert c.hearing_right
    from zhifa.cases.workflow.criteria import hearing_decision

    return hearing_decision(c, 500_000, "fine").reason


def public_notice_plus_30(kit, client):
    c = decided(kit, on=date(2026, 9, 7), decide_on=date(2026, 9, 14))
    published = date(2026, 9, 30)
    c = step(kit, c, "serve", on=published, method="public_notice", act_on=published.isoformat(),
             medium="郁南县人民政府门户网站", failed_reason="住所无人，邮寄退回")
    # 30 calendar days after the publication of Wed 2026-09-30: Fri 2026-10-30 (the National Day week counts)
    assert (c.service_started_on, c.served_on) == (published, date(2026, 10, 30))
    # payment: 15 days from the deemed day (Art 67 para 3) -> Sat 2026-11-14 -> Mon 2026-11-16
    assert c.payment_due == date(2026, 11, 16)
    msg = refusal(lambda: step(kit, c, "pay", on=date(2026, 10, 29), paid_fen=300_000, receipt_no="PJ-1",
                               channel="bank"), "cases.public_notice_running")
    assert "2026-10-30" in msg
    return msg


def summary_remedy_review_first(kit, client):
    def summary(on):
        return case_summary_create(
            org=kit.tree.squad_a1, party_kind="org", party_name="郁南县某运输有限公司",
            violation_name="未按规定携带道路运输证", facts="粤W12345号货车未随车携带道路运输证。",
            penalty_type="fine", fine_fen=300_000, officer_ids=[kit.o1.pk, kit.o2.pk], actor=kit.officer_user,
            on=on, summary_record=ON_THE_SPOT, violation_code=catalogue_violation().code,
        )  # 3,000 yuan to an organisation: the 简易程序 maximum of Art 51

    after = remedy_for(summary(date(2024, 1, 2)))  # 复议法 2023 in force 2024-01-01
    assert after["review_first"] and "应当先向郁南县人民政府申请行政复议" in after["text"]
    assert "不能直接提起行政诉讼" in after["text"]
    before = remedy_for(summary(date(2023, 12, 29)))
    assert not before["review_first"] and "六个月内" in before["text"]
    return after["text"]


def _api_case(client, kit, **body) -> Case:
    client.force_login(kit.officer_user)
    base = {"party_kind": "org", "party_name": "某运输公司", "violation_name": "违法", "facts": "事实"}
    r = client.post("/api/v1/cases", {**base, **body}, content_type="application/json")
    assert r.status_code == 201, r.content
    return Case.objects.get(pk=r.json()["id"])


def limitation_two_years_api(kit, client):
    # act Fri 2024-03-01; two years (Art 36 para 1) end on 2026-03-01: discovered that day -> filed
    ok = _api_case(client, kit, occurred_on="2024-03-01", discovered_on="2026-03-01")
    assert step(kit, ok, "register", kit.head).state == CaseState.INVESTIGATING
    late = _api_case(client, kit, occurred_on="2024-03-01", discovered_on="2026-03-02")
    return refusal(lambda: step(kit, late, "register", kit.head), "cases.limitation")


def limitation_five_years_api(kit, client):
    # 涉及公民生命健康安全、金融安全且有危害后果: five years (Art 36 para 1, since 2021-07-15)
    ok = _api_case(client, kit, occurred_on="2021-08-02", discovered_on="2026-08-02", serious_harm=True)
    assert step(kit, ok, "register", kit.head).state == CaseState.INVESTIGATING
    late = _api_case(client, kit, occurred_on="2021-08-02", discovered_on="2026-08-03", serious_harm=True)
    return refusal(lambda: step(kit, late, "register", kit.head), "cases.limitation")


def continuing_act_api(kit, client):
    # a continuing act (Art 36 para 2): begun 2020-01-06, ended 2024-06-30 -> counted from its end
    ok = _api_case(client, kit, occurred_on="2020-01-06", act_ended_on="2024-06-30", discovered_on="2026-06-30")
    assert step(kit, ok, "register", kit.head).state == CaseState.INVESTIGATING
    late = _api_case(client, kit, occurred_on="2020-01-06", act_ended_on="2024-06-30", discovered_on="2026-07-01")
    msg = refusal(lambda: step(kit, late, "register", kit.head), "cases.limitation")
    assert "2026-06-30" in msg
    return msg


def _split_in_two(kit) -> Case:
    c = step(kit, decided(kit), "serve", on=date(2026, 3, 3), method="direct", proof="送达回证 001")
    c = step(kit, c, "instalment_apply", on=date(2026, 3, 5), kind="split", reason="经营困难",
             schedule="2026-04-01 1,500.00\n2026-05-01 1,500.00")
    return step(kit, c, "instalment", kit.head, on=date(2026, 3, 6), approved="true", opinion="同意分两期")


def instalments_art_66(kit, client):
    c = step(kit, decided(kit), "serve", on=date(2026, 3, 3), method="direct", proof="送达回证 001")
    msg = refusal(lambda: step(kit, c, "instalment_apply", on=date(2026, 3, 5), kind="split", reason="经营困难",
                               schedule="2026-04-01 1,500.00\n2026-05-01 1,499.99"), "cases.instalment_schedule")
    assert "2,999.99元" in msg and "3,000.00元" in msg  # the schedule must sum to the fine
    c = _split_in_two(kit)
    assert [(i["due"], i["amount_fen"]) for i in c.instalments] == [("2026-04-01", 150_000), ("2026-05-01", 150_000)]
    assert c.payment_due == date(2026, 4, 1)  # the first instalment's day replaces the 15-day period
    return msg + c.clocks.get(kind="payment").article


def surcharge_cap_with_instalments(kit, client):
    c = _split_in_two(kit)
    # nothing paid. 2026-05-11: 3% x 1,500 x 40 days + 3% x 1,500 x 10 days = 1,800 + 450 = 2,250 (< the fine)
    led = ledger(c, date(2026, 5, 11))
    assert [i.surcharge_fen for i in led.instalments] == [180_000, 45_000] and led.surcharge_fen == 225_000
    # 2026-05-21: 2,250 + 900 = 3,150 > 3,000 -> the total is capped at the fine (Art 72; 强制法 Art 45)
    led = ledger(c, date(2026, 5, 21))
    assert sum(i.surcharge_fen for i in led.instalments) == 315_000 and led.surcharge_fen == 300_000
    return led.explanation[-1]


def _doc_text(case: Case, template: str) -> str:
    from zhifa.documents.models import IssuedDocument
    from zhifa.documents.render import docx_text
    from zhifa.documents.services import document_path

    doc = IssuedDocument.objects.filter(target_type="cases.case", target_id=str(case.pk), template=template)
    return docx_text(document_path(doc.latest("id")).read_bytes())


TABLE = {
    "basis required at 告知": Row("没有违法事实和依据的，不得给予行政处罚", "第三十八条", basis_at_notice),
    "basis required at 决定 and 送达": Row("没有依据的行政处罚无效", "第三十八条", basis_at_decision_and_service),
    "fine above the legal maximum": Row("罚款超出法定幅度", "第三十八条", max_fine_3000),
    "hearing right, organisation 10万": Row("较大数额罚款应告知听证权利", "第六十四条", hearing_right_org_100000),
    "hearing right, citizen 5000": Row("较大数额罚款应告知听证权利", "第六十三条", hearing_right_person_5000),
    "公告送达 +30 days": Row("公告送达自发出公告之日起经过三十日视为送达", "第九十五条", public_notice_plus_30),
    "当场 decision: 复议 first": Row("对当场作出的行政处罚决定不服的先申请复议", "第二十三条", summary_remedy_review_first),
    "limitation 2 years through the API": Row("二年内未被发现的不再给予处罚", "第三十六条", limitation_two_years_api),
    "limitation 5 years through the API": Row("涉及生命健康安全且有危害后果的延长至五年", "第三十六条",
                                              limitation_five_years_api),
    "continuing act through the API": Row("连续或者继续状态的自行为终了之日起计算", "第三十六条", continuing_act_api),
    "Art 66 instalments": Row("当事人申请，经批准可以暂缓或者分期缴纳", "第六十六条", instalments_art_66),
    "Art 72 cap with instalments": Row("加处罚款的数额不得超出罚款的数额", "第七十二条", surcharge_cap_with_instalments),
}


@pytest.fixture(autouse=True)
def _isolated_data(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"


@pytest.mark.parametrize("name", list(TABLE))
def test_legal_case(name, kit, client):
    row = TABLE[name]
    produced = row.run(kit, client)
    assert row.article in produced, (row.rule, produced)
