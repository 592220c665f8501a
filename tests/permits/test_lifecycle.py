"""An application's life under the Act: 补正 or deemed acceptance (Art 32), no decision before 受理 or after the
limit without the head's extension (Art 42), excluded hearing period (Art 45/47), the grant written through the
registry (双公示 follows), 发证 with the 电子证照, 告知承诺 post-check (false → 撤销 + credit), 好差评."""

from __future__ import annotations

from datetime import date as D

import pytest

from tests.factories import make_user
from tests.permits.conftest import new_app
from zhifa.core.errors import DomainError
from zhifa.permits import selectors, services
from zhifa.permits.enums import State
from zhifa.registry.enums import LicenceStatus

pytestmark = pytest.mark.usefixtures("catalogue", "company")
TODAY = D(2026, 6, 30)


def test_correction_within_five_days_then_accept_on_the_day_of_acceptance(tree, officer_user):
    app = new_app(tree, received_on=D(2026, 3, 6))
    services.application_correction(app=app, actor=officer_user, on=D(2026, 3, 13), items="车辆技术条件证明")
    with pytest.raises(DomainError, match="“待补正”不能告知补正"):
        services.application_correction(app=app, actor=officer_user, on=D(2026, 3, 13), items="再要一件")
    with pytest.raises(DomainError, match="尚未受理.*第三十二条"):
        services.application_decide(app=app, actor=officer_user, on=D(2026, 3, 16), grant=True)
    services.application_corrected(app=app, actor=None, on=D(2026, 3, 18))
    services.application_accept(app=app, actor=officer_user, on=D(2026, 3, 19))
    app.refresh_from_db()
    assert (app.accepted_on, app.deemed_accepted, app.state) == (D(2026, 3, 19), False, State.ACCEPTED)
    assert app.acceptance_no == "郁交许受〔2026〕1号"
    assert [s.doc_name for s in app.steps.exclude(doc_name="")] == ["补正材料通知书", "受理通知书"]


def test_art32_no_correction_notice_in_five_days_means_accepted_on_receipt(tree, officer_user):
    app = new_app(tree, received_on=D(2026, 3, 6))  # the five working days end on 3/13
    with pytest.raises(DomainError, match="2026-03-13 届满.*第三十二条"):
        services.application_correction(app=app, actor=officer_user, on=D(2026, 3, 16), items="营业执照")
    with pytest.raises(DomainError, match="即为受理.*第三十二条"):
        services.application_not_accept(app=app, actor=officer_user, on=D(2026, 3, 16), reason="材料不全")
    services.application_accept(app=app, actor=officer_user, on=D(2026, 3, 16))
    app.refresh_from_db()
    assert app.deemed_accepted and app.accepted_on == D(2026, 3, 6)
    assert app.decision_due == D(2026, 4, 3)  # 20 working days from 3/6


def test_decision_after_the_limit_needs_the_heads_extension(tree, officer_user, head_user):
    app = new_app(tree, received_on=D(2026, 3, 2))
    services.application_accept(app=app, actor=officer_user, on=D(2026, 3, 2))
    with pytest.raises(DomainError, match="2026-03-30 届满且未经负责人批准延长.*第四十二条"):
        services.application_decide(app=app, actor=officer_user, on=D(2026, 3, 31), grant=True, today=TODAY)
    with pytest.raises(DomainError, match="须由执法部门负责人"):
        services.application_extend(app=app, actor=officer_user, on=D(2026, 3, 20), reason="需实地核查")
    services.application_extend(app=app, actor=head_user, on=D(2026, 3, 20), reason="需实地核查停车场地")
    app.refresh_from_db()
    assert app.decision_due == D(2026, 4, 14)
    with pytest.raises(DomainError, match="只能延长一次"):
        services.application_extend(app=app, actor=head_user, on=D(2026, 3, 21), reason="再延")
    with pytest.raises(DomainError, match="2026-04-14 届满"):
        services.application_decide(app=app, actor=officer_user, on=D(2026, 4, 15), grant=True, today=TODAY)
    services.application_decide(app=app, actor=officer_user, on=D(2026, 4, 14), grant=True, today=TODAY)
    assert app.state == State.GRANTED


def test_hearing_period_is_excluded_and_held_within_twenty_days(tree, officer_user):
    app = new_app(tree, received_on=D(2026, 3, 2))
    services.application_accept(app=app, actor=officer_user, on=D(2026, 3, 2))
    with pytest.raises(DomainError, match="二十个工作日内组织.*第四十七条"):
        services.application_pause(
            app=app,
            actor=officer_user,
            kind="hearing",
            start=D(2026, 3, 9),
            end=D(2026, 4, 8),
            requested_on=D(2026, 3, 9),
        )
    services.application_pause(
        app=app, actor=officer_user, kind="hearing", start=D(2026, 3, 9), end=D(2026, 3, 13)
    )
    app.refresh_from_db()
    assert app.decision_due == D(2026, 4, 7)
    clock = services.decision_clock(app)
    assert any("听证期间 2026-03-09 至 2026-03-13 不计入" in line for line in clock.lines)
    services.application_decide(app=app, actor=officer_user, on=D(2026, 4, 7), grant=True, today=TODAY)


def test_spring_festival_deadline_and_grant_through_the_registry(
    tree, officer_user, django_capture_on_commit_callbacks
):
    from zhifa.disclosure.models import DisclosureRecord

    app = new_app(tree, received_on=D(2026, 2, 6))
    services.application_accept(app=app, actor=officer_user, on=D(2026, 2, 6))
    app.refresh_from_db()
    assert app.decision_due == D(2026, 3, 12)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            app=app,
            actor=officer_user,
            on=D(2026, 3, 12),
            grant=True,
            today=TODAY,
            content="道路普通货物运输",
        )
    app.refresh_from_db()
    lic = app.licence
    assert lic.status == LicenceStatus.VALID and lic.enterprise.uscc == app.applicant_uscc
    assert app.decision.doc_no == app.decision_no == "郁交许〔2026〕1号"
    # the 双公示 行政许可 record follows through registry.permit_decided (not written here)
    rec = DisclosureRecord.objects.get(source_type="registry.permitdecision", source_id=str(app.decision.pk))
    assert rec.kind == "permit" and rec.subject_code == app.applicant_uscc


def test_issue_makes_a_signed_certificate_whose_changed_byte_fails(tree, officer_user):
    from zhifa.permits import certificates

    app = new_app(tree, received_on=D(2026, 3, 2))
    services.application_accept(app=app, actor=officer_user, on=D(2026, 3, 2))
    services.application_decide(app=app, actor=officer_user, on=D(2026, 3, 9), grant=True, today=TODAY)
    services.application_issue(app=app, actor=officer_user, on=D(2026, 3, 10))
    cert = selectors.certificate_for(officer_user, app)
    pdf = bytes(cert.pdf)
    good = certificates.verify_bytes(pdf)
    assert good.ok and good.cert_id == cert.cert_id
    for pos in (100, len(pdf) // 2, len(pdf) - 20):
        bad = bytearray(pdf)
        bad[pos] ^= 0x01
        assert not certificates.verify_bytes(bytes(bad)).ok
    assert certificates.status_of(app.licence, D(2026, 3, 10)) == "有效"


def test_false_pledge_annuls_the_licence_and_files_credit(
    tree, officer_user, reviewer_user, django_capture_on_commit_callbacks
):
    from zhifa.credit.models import CreditRecord

    app = new_app(tree, received_on=D(2026, 3, 2), pledge=True, pledge_text="本企业承诺车辆技术条件符合要求")
    assert "车辆技术条件证明" in app.waived_proofs
    services.application_accept(app=app, actor=officer_user, on=D(2026, 3, 2))
    services.application_decide(app=app, actor=officer_user, on=D(2026, 3, 3), grant=True, today=TODAY)
    app.refresh_from_db()
    assert app.postcheck_due == D(2026, 5, 1)
    assert list(selectors.postchecks_due(tree.bureau_a, on=D(2026, 5, 1))) == [app]
    assert not selectors.postchecks_due(tree.bureau_a, on=D(2026, 4, 30)).exists()
    with pytest.raises(DomainError, match="法制审核人员"):
        services.postcheck_record(
            app=app, actor=officer_user, on=D(2026, 5, 6), truthful=False, note="车辆不合格"
        )
    before = CreditRecord.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        services.postcheck_record(
            app=app, actor=reviewer_user, on=D(2026, 5, 6), truthful=False, note="两辆车技术等级不合格"
        )
    app.refresh_from_db()
    app.licence.refresh_from_db()
    assert app.state == State.ANNULLED and app.licence.status == LicenceStatus.ANNULLED
    annul = app.licence.decisions.get(action="annul")
    assert annul.holder_fault and "告知承诺不实" in annul.reason
    assert CreditRecord.objects.count() > before
    assert not selectors.postchecks_due(tree.bureau_a, on=D(2026, 6, 1)).exists()


def test_pledge_only_where_the_item_allows_it(tree):
    with pytest.raises(DomainError, match="不适用告知承诺制"):
        new_app(tree, code="dlky", pledge=True, pledge_text="承诺")


def test_renewal_after_the_thirty_days_is_refused(tree, officer_user):
    app = new_app(tree, received_on=D(2026, 3, 2))
    services.application_accept(app=app, actor=officer_user, on=D(2026, 3, 2))
    services.application_decide(app=app, actor=officer_user, on=D(2026, 3, 3), grant=True, today=TODAY)
    app.refresh_from_db()
    lic = app.licence
    late = lic.valid_to.replace(day=1)
    with pytest.raises(DomainError, match="三十日前.*第五十条"):
        new_app(tree, kind="renewal", licence=lic, received_on=late)


def test_rating_once_per_service_and_bad_rating_to_the_ledger(tree, officer_user):
    app = new_app(tree, received_on=D(2026, 3, 2), code="wxba")
    with pytest.raises(DomainError, match="办结后方可评价"):
        services.rating_submit(app=app, grade=5, channel="portal", on=D(2026, 3, 2))
    services.application_accept(app=app, actor=officer_user, on=D(2026, 3, 2))
    services.application_decide(app=app, actor=officer_user, on=D(2026, 3, 2), grant=True, today=TODAY)
    app.refresh_from_db()
    assert app.state == State.ISSUED  # 备案: nothing to issue
    r = services.rating_submit(app=app, grade=2, channel="portal", on=D(2026, 3, 3), comment="等候时间长")
    assert r.is_bad and r.owner == officer_user and r.fix_due == D(2026, 3, 10)  # 5 working days
    with pytest.raises(DomainError, match="一事一评"):
        services.rating_submit(app=app, grade=5, channel="portal", on=D(2026, 3, 3))
    with pytest.raises(DomainError, match="请填写回访记录"):
        services.rating_record(rating=r, actor=officer_user, on=D(2026, 3, 4), entry="callback", text=" ")
    services.rating_record(
        rating=r, actor=officer_user, on=D(2026, 3, 4), entry="callback", text="已电话回访说明"
    )
    services.rating_record(rating=r, actor=officer_user, on=D(2026, 3, 6), entry="fix", text="增设取号提醒")
    r.refresh_from_db()
    assert (r.callback_note, r.fixed_on) == ("已电话回访说明", D(2026, 3, 6))
    from zhifa.core import indicators

    ind = {i.id: i for i in indicators.indicators("permits")}
    v = ind["permits.fix_rate"].total(officer_user, start=D(2026, 1, 1), end=D(2026, 12, 31))
    assert (v.value, v.numerator, v.denominator) == (100.0, 1, 1)
    assert ind["permits.good_rate"].total(officer_user, start=D(2026, 1, 1), end=D(2026, 12, 31)).value == 0.0
    assert (
        ind["permits.same_day_rate"].total(officer_user, start=D(2026, 1, 1), end=D(2026, 12, 31)).value
        == 100.0
    )


def test_catalogue_versions_only_by_a_legal_reviewer(tree, officer_user, reviewer_user):
    with pytest.raises(DomainError, match="法制审核人员"):
        services.item_version_save(
            actor=officer_user, code="dlhy", data={"promised_days": "3"}, version_from=D(2026, 7, 1)
        )
    with pytest.raises(DomainError, match="不能长于法定时限"):
        services.item_version_save(
            actor=reviewer_user, code="dlhy", data={"promised_days": "30"}, version_from=D(2026, 7, 1)
        )
    services.item_version_save(
        actor=reviewer_user, code="dlhy", data={"promised_days": "3"}, version_from=D(2026, 7, 1)
    )
    assert selectors.item_current("dlhy", D(2026, 6, 30)).promised_days == 5
    assert selectors.item_current("dlhy", D(2026, 7, 1)).promised_days == 3


def test_another_countys_officer_cannot_see_the_application(tree, officer_b):
    app = new_app(tree)
    assert not selectors.applications_visible(officer_b).filter(pk=app.pk).exists()
    other = make_user("officer_c", tree.squad_a2, {"officer"})
    assert selectors.applications_visible(other).filter(pk=app.pk).exists()
