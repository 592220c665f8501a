"""Issue 14, the violation drives the case: the basis from the 执法事项库 is required at 告知/决定/送达
(处罚法 Art 38, 44), the legal range of the violation's own article holds at 处理意见 and 决定 whatever the
review (Art 38; 《道路运输条例》第六十八条第二款: 1000–3000 元), 减轻 below the minimum only as tier 减轻
(Art 32), the benchmark is the catalogue's tier, Art 33 exemptions, several violations (分别裁量、合并处罚),
the party's code validated, and the limitation (Art 36) recordable through the API and the form."""

from __future__ import annotations

from datetime import date

import pytest

from tests.cases.conftest import D0, new_case, step
from zhifa.cases.enums import CaseState
from zhifa.cases.models import Case
from zhifa.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    from zhifa.rules.services import load_starter_catalogue

    load_starter_catalogue()


def refused(kit, case, action, code, who=None, **data):
    with pytest.raises(DomainError) as e:
        step(kit, case, action, who, **data)
    assert e.value.code == code, e.value.message
    return e.value.message


def investigated(kit, **kw):
    c = new_case(kit, **kw)
    c = step(kit, c, "register", kit.head)
    c = step(kit, c, "assign_officers", officer_ids=[kit.o1.pk, kit.o2.pk])
    c = step(kit, c, "record", kind="询问笔录", content="问：是否在站外招揽旅客？答：是。", signature="signed")
    return step(kit, c, "end_investigation", report="事实清楚，证据确凿。")


def propose(kit, c, fine, tier="general", **kw):
    data = {"outcome": "penalty", "penalty_type": "fine", "proposed_fine_fen": fine, "tier": tier,
            "tier_reasons": kw.pop("tier_reasons", "情节一般"), **kw}
    return step(kit, c, "propose", kit.head, **data)


# --- basis required: 告知 (Art 38, 44), 决定 and 送达 (Art 38) -----------------------------------------


def test_no_notice_without_a_catalogued_violation(kit):
    c = propose(kit, investigated(kit, violation_code=""), 100000)
    msg = refused(kit, c, "notify", "cases.basis_notice")
    assert "第三十八条" in msg and "第四十四条" in msg
    assert Case.objects.get(pk=c.pk).state == CaseState.PROPOSED


def test_no_decision_or_service_without_basis_for_a_case_notified_before_the_rule(kit):
    c = propose(kit, investigated(kit, violation_code=""), 100000)
    # a case notified before the basis was required (data of an older installation)
    Case.objects.filter(pk=c.pk).update(state=CaseState.NOTIFIED, notified_on=D0, statement_made=True)
    c.refresh_from_db()
    msg = refused(kit, c, "decide", "cases.basis_missing", kit.head)
    assert "第三十八条" in msg and "作出处罚决定" in msg
    Case.objects.filter(pk=c.pk).update(state=CaseState.DECIDED, outcome="penalty", fine_fen=100000, decided_on=D0)
    c.refresh_from_db()
    msg = refused(kit, c, "serve", "cases.basis_missing", method="direct", proof="回证 1")
    assert "第三十八条" in msg and "送达" in msg


def test_picked_violation_fills_the_articles_from_the_version_on_the_act_date(kit, catalogue):
    c = new_case(kit, violation_code="DY-014", violation_name="", occurred_on=date(2026, 2, 20))
    row = c.violations.get()
    assert row.code == "DY-014" and row.version.effective_from <= date(2026, 2, 20)
    assert c.violation_version_id == row.version_id
    assert c.penalty_article == "《中华人民共和国道路运输条例》第六十八条第二款"
    assert (row.legal_min_fen, row.legal_max_fen) == (100000, 300000)
    # what the officer typed (the fixture's 第三十四条/第六十八条) is kept as an addition only
    assert "《道路运输条例》第三十四条" in c.basis_note
    with pytest.raises(DomainError) as e:
        new_case(kit, violation_code="XX-999")
    assert e.value.code == "cases.violation_unknown"


def test_violation_picked_after_filing_until_the_proposal(kit, catalogue):
    c = investigated(kit, violation_code="")
    refused(kit, c, "violation_add", "cases.violation_unknown", violation_code="XX-999")
    c = step(kit, c, "violation_add", violation_code="DY-014", basis_note="另见《道路旅客运输及客运站管理规定》")
    assert c.violation_code == "DY-014" and "第六十八条第二款" in c.penalty_article
    c = propose(kit, c, 200000)
    assert step(kit, c, "notify").state == CaseState.NOTIFIED


# --- legal range: 《道路运输条例》第六十八条第二款 最高3000元 (处罚法 Art 38) ------------------------------


def test_fine_above_the_legal_maximum_is_refused_at_the_proposal(kit, catalogue):
    c = investigated(kit, violation_code="DY-014")
    msg = refused(kit, c, "propose", "cases.legal_range", kit.head, outcome="penalty", penalty_type="fine",
                  proposed_fine_fen=500000, tier="heavier", tier_reasons="情节严重")
    assert "第三十八条" in msg and "《中华人民共和国道路运输条例》第六十八条第二款" in msg and "3000元" in msg
    # a typed benchmark range is no input: it neither widens the law nor switches the check off
    refused(kit, c, "propose", "cases.legal_range", kit.head, outcome="penalty", penalty_type="fine",
            proposed_fine_fen=500000, tier="heavier", tier_reasons="情节严重",
            benchmark_min_fen=0, benchmark_max_fen=600000)


def test_5000_refused_at_the_decision_even_after_collective_discussion_3000_allowed(kit, catalogue):
    c = propose(kit, investigated(kit, violation_code="DY-014"), 300000, tier="heavier",
                tier_reasons="多次违法，情节较重")
    c = step(kit, c, "notify")
    c = step(kit, c, "statement", content="放弃陈述申辩")
    c = step(kit, c, "discuss", kit.head, attendees="局长,副局长,大队长", minutes="讨论", conclusion="罚款5000元")
    msg = refused(kit, c, "decide", "cases.legal_range", kit.head, fine_fen=500000)
    assert "第六十八条第二款" in msg and "最高3000元" in msg
    c = step(kit, c, "decide", kit.head, fine_fen=300000)
    assert c.state == CaseState.DECIDED and c.fine_fen == 300000
    assert c.violations.get().fine_fen == 300000


def test_variant_selected_gives_its_own_range(kit, catalogue):
    # DY-001 《道路运输条例》第六十三条: 3000–10000 元; 情节严重 (variant 1) 10000–50000 元
    c = investigated(kit, violation_code="DY-001")
    refused(kit, c, "propose", "cases.legal_range", kit.head, outcome="penalty", penalty_type="fine",
            proposed_fine_fen=3_000_000, tier="heavier", tier_reasons="情节严重")
    c = propose(kit, c, 3_000_000, tier="heavier", tier_reasons="情节严重", penalty_variant="1")
    assert c.state == CaseState.PROPOSED and c.violations.get().variant == "1"


def test_below_the_minimum_only_as_reduced_with_review_and_discussion(kit, catalogue):
    c = investigated(kit, violation_code="DY-014")
    msg = refused(kit, c, "propose", "cases.reduced_below_min", kit.head, outcome="penalty",
                  penalty_type="fine", proposed_fine_fen=50000, tier="general", tier_reasons="情节轻微")
    assert "1000元" in msg and "第三十二条" in msg
    c = propose(kit, c, 50000, tier="reduced", tier_reasons="主动消除违法行为危害后果（第三十二条第（一）项）")
    assert c.review_required and c.discussion_required
    assert any("第三十二条" in r for r in c.review_reasons)


def test_deviation_from_the_catalogue_tier_cannot_be_switched_off_by_a_typed_range(kit, catalogue):
    # DY-014 一般 tier (示范阶次) 1600–2400 元; 1000 元 at 一般 deviates whatever range is typed
    c = propose(kit, investigated(kit, violation_code="DY-014"), 100000,
                benchmark_min_fen=0, benchmark_max_fen=300000)
    assert (c.benchmark_min_fen, c.benchmark_max_fen) == (160000, 240000)
    c = step(kit, c, "notify")
    c = step(kit, c, "statement", content="放弃")
    refused(kit, c, "decide", "cases.deviation", kit.head, deviation_reasons="")
    refused(kit, c, "decide", "cases.deviation", kit.head, deviation_reasons="主动改正")  # no review/discussion


# --- Art 33 exemptions ------------------------------------------------------------------------------


def test_mandatory_exemption_refuses_a_penalty_and_is_the_no_penalty_ground(kit, catalogue):
    c = investigated(kit, violation_code="DY-014")
    conds = ["违法行为轻微", "及时改正", "没有造成危害后果"]
    msg = refused(kit, c, "propose", "cases.exempt", kit.head, outcome="penalty", penalty_type="fine",
                  proposed_fine_fen=200000, tier="general", tier_reasons="一般", exemption="minor",
                  exemption_conditions=conds)
    assert "第三十三条第一款" in msg and "第三十三条第三款" in msg and "不予行政处罚决定" in msg
    # not all conditions hold: no exemption
    c = propose(kit, c, 200000, exemption="minor", exemption_conditions=conds[:2])
    assert c.exemption == ""
    c2 = investigated(kit, violation_code="DY-014")
    c2 = step(kit, c2, "decide_no_penalty", kit.head, ground="违法行为轻微并及时改正，没有造成危害后果",
              education_record="宣讲《道路运输条例》，当事人签署承诺书", exemption="minor", exemption_conditions=conds)
    assert c2.outcome == "no_penalty" and c2.exemption == "minor"
    assert "第三十三条第一款" in c2.steps.get(action="decide_no_penalty").data["exemption_ground"]


def test_optional_first_violation_exemption_leaves_the_penalty_possible(kit, catalogue):
    c = propose(kit, investigated(kit, violation_code="DY-014"), 200000, exemption="first",
                exemption_conditions=["初次违法", "危害后果轻微", "及时改正"])
    assert c.state == CaseState.PROPOSED and c.exemption == "first"


# --- several violations: 分别裁量, 合并处罚 ---------------------------------------------------------------


def test_two_violations_each_with_its_tier_and_the_decision_sums(kit, catalogue):
    # DY-014 第六十八条第二款 1000–3000 元 (一般 1600–2400); DY-011 第六十八条第一款第（一）项 1000–2000 元 (一般 1300–1700)
    c = investigated(kit, violation_code="DY-014", violation_codes=["DY-011"])
    assert [v.code for v in c.violations.all()] == ["DY-014", "DY-011"]
    assert "第六十八条第二款" in c.penalty_article and "第六十八条第一款第（一）项" in c.penalty_article
    refused(kit, c, "propose", "cases.legal_range", kit.head, outcome="penalty", penalty_type="fine",
            proposed_fine_fen=200000, tier="general", tier_reasons="一般",
            items=[{"order": 2, "tier": "heavier", "fine_fen": 250000}])  # above DY-011's 2000 元
    c = propose(kit, c, 200000, items=[{"order": 2, "tier": "general", "fine_fen": 150000}])
    assert c.proposed_fine_fen == 350000
    second = c.violations.get(order=2)
    assert (second.tier, second.benchmark_min_fen, second.benchmark_max_fen) == ("general", 130000, 170000)
    c = step(kit, c, "notify")
    c = step(kit, c, "statement", content="放弃")
    c = step(kit, c, "decide", kit.head)
    assert c.fine_fen == 350000
    assert [v.fine_fen for v in c.violations.all()] == [200000, 150000]
    text = _docx_text(c, "行政处罚决定书")  # the decision cites each violation's penalty article, the sum
    assert "第六十八条第二款" in text and "第六十八条第一款第（一）项" in text and "3,500.00元" in text


def _docx_text(case, title):
    import re
    import zipfile

    from zhifa.documents.models import IssuedDocument
    from zhifa.documents.services import document_path

    doc = IssuedDocument.objects.get(target_type="cases.case", target_id=str(case.pk), title=title)
    with zipfile.ZipFile(document_path(doc)) as z:
        return re.sub(r"<[^>]+>", "", z.read("word/document.xml").decode("utf-8"))


# --- the party: identifiers validated on every form and API ------------------------------------------


def test_uscc_12345_refused_by_the_service_the_api_and_the_form(kit, client):
    with pytest.raises(DomainError) as e:
        new_case(kit, party_code="12345")
    assert e.value.code == "cases.party_code"
    assert "统一社会信用代码长度应为18位，实为5位" in e.value.fields["party_code"]
    client.force_login(kit.officer_user)
    body = {"party_kind": "org", "party_name": "某公司", "violation_name": "违法", "facts": "事实",
            "occurred_on": "2026-03-01", "party_code": "12345"}
    r = client.post("/api/v1/cases", body, content_type="application/json")
    assert r.status_code == 422 and "实为5位" in r.json()["fields"]["party_code"]
    r = client.post("/cases/new/", {**body, "party_code": "12345"})
    assert r.status_code == 200 and "统一社会信用代码长度应为18位，实为5位" in r.content.decode()
    assert not Case.objects.exists()


def test_valid_codes_link_the_register_and_a_person_id_is_masked(kit):
    from tests.factories import fake_idcard
    from zhifa.core.identifiers import mask_idcard, uscc_check_char
    from zhifa.registry.models import Enterprise

    uscc = "91445322MA4X0YRE3" + uscc_check_char("91445322MA4X0YRE3")
    ent = Enterprise.objects.create(uscc=uscc, name="郁南县顺安客运有限公司", org=kit.tree.bureau_a)
    c = new_case(kit, party_code=uscc.lower())
    assert c.party_code == uscc and c.enterprise_id == ent.pk
    import random

    idcard = fake_idcard(random.Random(5))
    p = new_case(kit, party_kind="citizen", party_name="陈某", party_code=idcard)
    assert p.party_code == mask_idcard(idcard) and idcard not in p.party_code


# --- limitation through the API (处罚法 Art 36) --------------------------------------------------------


def _api_case(client, **extra):
    body = {"party_kind": "org", "party_name": "某运输公司", "violation_name": "违法", "facts": "事实",
            "occurred_on": "2023-03-01", "discovered_on": "2026-03-02", **extra}
    r = client.post("/api/v1/cases", body, content_type="application/json")
    assert r.status_code == 201, r.content
    return Case.objects.get(pk=r.json()["id"])


def test_limitation_five_years_and_continuing_act_through_the_api(kit, client):
    client.force_login(kit.officer_user)
    # act 2023-03-01, discovered 2026-03-02: two years ended 2025-03-01 -> refused
    c = _api_case(client)
    msg = refused(kit, c, "register", "cases.limitation", kit.head)
    assert "第三十六条" in msg
    # serious harm to life, health or financial safety: five years (Art 36 para 1) -> registers
    c = _api_case(client, serious_harm=True)
    assert c.serious_harm and step(kit, c, "register", kit.head).state == CaseState.INVESTIGATING
    got = client.get(f"/api/v1/cases/{c.pk}").json()
    assert got["serious_harm"] is True and got["violations"] == []
    # a continuing act ended 2025-01-10: counted from its end (Art 36 para 2) -> registers
    c = _api_case(client, act_ended_on="2025-01-10")
    assert c.act_ended_on == date(2025, 1, 10)
    assert step(kit, c, "register", kit.head).state == CaseState.INVESTIGATING


def test_limitation_through_the_form(kit, client):
    client.force_login(kit.officer_user)
    body = {"party_kind": "org", "party_name": "某运输公司", "violation_name": "违法", "facts": "事实",
            "occurred_on": "2023-03-01", "discovered_on": "2026-03-02", "act_ended_on": "2025-01-10",
            "serious_harm": "true"}
    r = client.post("/cases/new/", body)
    assert r.status_code == 302
    c = Case.objects.get()
    assert c.serious_harm and c.act_ended_on == date(2025, 1, 10) and c.discovered_on == date(2026, 3, 2)


# --- the pickers and the 处理意见 form ------------------------------------------------------------------


def test_violation_picker_searches_name_code_and_article(kit, catalogue, client, sysadmin):
    client.force_login(kit.officer_user)
    codes = [r["code"] for r in client.get("/cases/pick/violations/", {"q": "招揽旅客"}).json()["results"]]
    assert "DY-014" in codes
    got = client.get("/cases/pick/violations/", {"q": "第六十八条", "on": "2026-03-01"}).json()["results"]
    assert {"DY-011", "DY-012", "DY-013", "DY-014", "DY-015"} <= {r["code"] for r in got}
    dy014 = next(r for r in got if r["code"] == "DY-014")
    assert dy014["penalty_article"] == "《中华人民共和国道路运输条例》第六十八条第二款"
    assert (dy014["min_fen"], dy014["max_fen"]) == (100000, 300000) and dy014["exemptions"]
    client.force_login(sysadmin)  # 三员 see no business data
    assert client.get("/cases/pick/violations/", {"q": "招揽"}).status_code == 403


def test_party_picker_is_scoped_to_the_jurisdiction(kit, client, officer_b):
    from zhifa.core.identifiers import uscc_check_char
    from zhifa.registry.models import Enterprise

    uscc = "91445322MA4X0YRE3" + uscc_check_char("91445322MA4X0YRE3")
    Enterprise.objects.create(uscc=uscc, name="郁南县顺安客运有限公司", org=kit.tree.bureau_a)
    client.force_login(kit.officer_user)
    got = client.get("/cases/pick/parties/", {"q": "顺安"}).json()["results"]
    assert [r["code"] for r in got] == [uscc] and got[0]["party_kind"] == "org"
    assert client.get("/cases/pick/parties/", {"q": uscc}).json()["results"][0]["name"] == "郁南县顺安客运有限公司"
    client.force_login(officer_b)
    assert client.get("/cases/pick/parties/", {"q": "顺安"}).json()["results"] == []
    # a picked party of another county is refused on the form, not linked
    ref = f"enterprise:{Enterprise.objects.get().pk}"
    r = client.post("/cases/new/", {"party_kind": "org", "party_name": "x", "violation_name": "违法",
                                    "facts": "事实", "occurred_on": "2026-03-01", "party_ref": ref})
    assert r.status_code == 200 and "不在本单位管辖范围内" in r.content.decode()


def test_proposal_form_offers_the_exemptions_and_refuses_a_penalty_when_they_hold(kit, catalogue, client):
    c = investigated(kit, violation_code="DY-014")
    client.force_login(kit.head)
    page = client.get(f"/cases/{c.pk}/").content.decode()
    assert "轻微不罚" in page and "没有造成危害后果" in page and "第六十八条第二款" in page
    r = client.post(f"/cases/{c.pk}/act/propose/", {
        "version": c.version, "outcome": "penalty", "penalty_type": "fine", "proposed_fine_fen": "200000",
        "tier": "general", "tier_reasons": "一般", "exemption": "minor",
        "exemption_conditions": ["违法行为轻微", "及时改正", "没有造成危害后果"]}, follow=True)
    assert "不予行政处罚" in r.content.decode() and "第三十三条第三款" in r.content.decode()
    assert Case.objects.get(pk=c.pk).state == CaseState.INVESTIGATED


def test_proposal_form_takes_each_violations_tier_and_amount(kit, catalogue, client):
    c = investigated(kit, violation_code="DY-014", violation_codes=["DY-011"])
    client.force_login(kit.head)
    r = client.post(f"/cases/{c.pk}/act/propose/", {
        "version": c.version, "outcome": "penalty", "penalty_type": "fine", "proposed_fine_fen": "2,000.00",
        "tier": "general", "tier_reasons": "一般", "items-1-tier": "", "items-1-fine_yuan": "",
        "items-2-tier": "general", "items-2-fine_yuan": "1,500.00"}, follow=True)  # yuan on the page
    assert "已办理" in r.content.decode()
    c.refresh_from_db()
    assert c.proposed_fine_fen == 350000 and c.violations.get(order=2).proposed_fine_fen == 150000


def test_source_accept_validates_the_party_code_and_takes_the_violation(kit, catalogue, client):
    from zhifa.cases.services import case_source_create

    src, _ = case_source_create(origin="complaint", org=kit.tree.squad_a1, facts="群众投诉站外揽客",
                                subject_name="某客运公司", actor=None)
    client.force_login(kit.head)
    r = client.post(f"/cases/sources/{src.pk}/decide/", {"decision": "accept", "party_code": "12345",
                                                         "violation_code": "DY-014"}, follow=True)
    # the lead names no registered subject: the party is a citizen, the code an ID number (GB 11643)
    assert "身份证号码长度应为18位，实为5位" in r.content.decode()
    assert not Case.objects.exists()
    r = client.post(f"/api/v1/cases/sources/{src.pk}/accept", {"violation_code": "DY-014"},
                    content_type="application/json")
    assert r.status_code == 201, r.content
    c = Case.objects.get()
    assert c.violation_code == "DY-014" and c.violations.get().code == "DY-014"


def test_a_fine_changed_on_appeal_stays_within_the_legal_range(kit, catalogue):
    c = propose(kit, investigated(kit, violation_code="DY-014"), 200000)
    c = step(kit, c, "notify")
    c = step(kit, c, "statement", content="放弃")
    c = step(kit, c, "decide", kit.head)
    c = step(kit, c, "appeal_file", kind="reconsideration")
    msg = refused(kit, c, "appeal_result", "cases.legal_range", outcome="changed", new_fine_fen=500000)
    assert "第六十八条第二款" in msg and "第三十八条" in msg
    c = step(kit, c, "appeal_result", outcome="changed", new_fine_fen=150000)
    assert c.fine_fen == 150000
