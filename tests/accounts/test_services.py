"""三员分立, scoping, password policy, lockout, TOTP, officers and certificates."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.factories import PASSWORD, fake_idcard, make_user
from zhifa.accounts import security, selectors, services
from zhifa.accounts.enums import ReviewStatus, Role
from zhifa.accounts.models import LoginThrottle, Officer, SecurityPolicy, User
from zhifa.core.errors import DomainError
from zhifa.core.models import AuditRecord

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


# --- 三员分立 -----------------------------------------------------------------------------------

@pytest.mark.parametrize("roles", [{"sysadmin", "secadmin"}, {"sysadmin", "auditadmin"}, {"secadmin", "auditadmin"},
                                   {"sysadmin", "officer"}, {"auditadmin", "head"}, {"secadmin", "legal_reviewer"}])
def test_admin_roles_exclude_each_other_and_business_roles(tree, roles):
    with pytest.raises(DomainError) as exc:
        make_user("x", tree.bureau_a, roles)
    assert exc.value.code == "accounts.role_conflict" and "8.1.4.2" in exc.value.message
    assert not User.objects.filter(username="x").exists()


def test_business_roles_combine(tree):
    u = make_user("x", tree.bureau_a, {"officer", "head"})
    assert u.role_codes() == {"officer", "head"}


def test_sysadmin_cannot_change_own_roles_but_can_change_others(sysadmin, officer_user):
    with pytest.raises(DomainError) as exc:
        services.user_set_roles(user=sysadmin, roles={"auditadmin"}, actor=sysadmin)
    assert exc.value.code == "accounts.self_role_change"
    services.user_set_roles(user=officer_user, roles={"officer", "legal_reviewer"}, actor=sysadmin)
    assert User.objects.get(pk=officer_user.pk).role_codes() == {"officer", "legal_reviewer"}
    rec = AuditRecord.objects.filter(action="user.set_roles").last()
    assert rec.actor_id == sysadmin.pk and rec.detail["changed"]["roles"] == [["officer"], ["legal_reviewer",
                                                                                            "officer"]]


def test_only_sysadmin_creates_accounts_and_only_in_scope(tree, sysadmin, officer_user, auditadmin):
    for actor in (officer_user, auditadmin):
        with pytest.raises(DomainError):
            services.user_create(username="n1", display_name="n", org=tree.squad_a1, roles={"officer"},
                                 password=PASSWORD, actor=actor)
    with pytest.raises(DomainError) as exc:
        services.user_create(username="n2", display_name="n", org=tree.squad_b1, roles={"officer"},
                             password=PASSWORD, actor=sysadmin)
    assert exc.value.code == "accounts.out_of_scope"
    u = services.user_create(username="n3", display_name="n", org=tree.squad_a2, roles={"officer"},
                             password=PASSWORD, actor=sysadmin)
    assert u.org == tree.squad_a2


def test_security_policy_only_by_security_admin(top_secadmin, sysadmin, auditadmin):
    for actor in (sysadmin, auditadmin):
        with pytest.raises(DomainError):
            services.policy_update(actor=actor, lockout_threshold=3)
    services.policy_update(actor=top_secadmin, lockout_threshold=3, idle_timeout_minutes=15)
    p = SecurityPolicy.current()
    assert (p.lockout_threshold, p.idle_timeout_minutes, p.updated_by) == (3, 15, "secadmin_top")
    with pytest.raises(DomainError) as exc:
        services.policy_update(actor=top_secadmin, password_min_length=4)
    assert "password_min_length" in exc.value.fields


# --- scoping ------------------------------------------------------------------------------------

def test_officers_visible_follows_the_org_tree(tree, officer_user, head_user, officer_b):
    rng = __import__("random").Random(1)
    a1 = services.officer_create(org=tree.squad_a1, name="甲", idcard=fake_idcard(rng), actor=None)
    a2 = services.officer_create(org=tree.squad_a2, name="乙", idcard=fake_idcard(rng), actor=None)
    b1 = services.officer_create(org=tree.squad_b1, name="丙", idcard=fake_idcard(rng), actor=None)
    assert set(selectors.officers_visible(officer_user)) == {a1}          # own squad only, not the sibling
    assert set(selectors.officers_visible(head_user)) == {a1, a2}         # bureau sees its subordinates
    assert set(selectors.officers_visible(officer_b)) == {b1}             # other county
    assert not selectors.officers_visible(officer_user).filter(pk=a2.pk).exists()


# --- passwords and login --------------------------------------------------------------------------

@pytest.mark.parametrize("pw,ok", [("Abcdefg1", True), ("abcdefg1", False), ("Abc1!", False),
                                   ("abcdefgh!", False), ("abcdef1!", True), ("ABCDEFGH", False)])
def test_password_policy_default_8_chars_3_of_4_classes(db, pw, ok):
    assert (security.password_problems(pw) == []) is ok


def test_password_history_forbids_reuse(officer_user):
    services.password_change(user=officer_user, old_password=PASSWORD, new_password="Second@2026")
    with pytest.raises(DomainError) as exc:
        services.password_change(user=officer_user, old_password="Second@2026", new_password=PASSWORD)
    assert "最近" in exc.value.message


def test_lockout_after_threshold_and_cool_off(officer_user):
    for _ in range(4):
        with pytest.raises(DomainError) as exc:
            services.login_attempt(username="officer_a", password="wrong")
        assert exc.value.message == "用户名或密码错误"
    with pytest.raises(DomainError):
        services.login_attempt(username="officer_a", password="wrong")  # 5th: locks (this address)
    with pytest.raises(DomainError) as exc:
        services.login_attempt(username="officer_a", password=PASSWORD)  # right password, still locked
    assert exc.value.code == "auth.locked" and "30 分钟" in exc.value.message
    # the lock lapses after lockout_minutes
    LoginThrottle.objects.update(locked_until=timezone.now() - timedelta(seconds=1))
    assert services.login_attempt(username="officer_a", password=PASSWORD).pk == officer_user.pk
    outcomes = list(AuditRecord.objects.filter(action="auth.login").values_list("success", flat=True))
    assert outcomes == [False] * 6 + [True]


def test_unknown_user_gets_the_same_message(db):
    with pytest.raises(DomainError) as exc:
        services.login_attempt(username="nobody", password="x")
    assert exc.value.message == "用户名或密码错误"


def test_totp_rfc6238_vector_and_login_with_second_factor(officer_user):
    import base64

    secret = base64.b32encode(b"12345678901234567890").decode()
    assert security.totp_code(secret, at=59, digits=8) == "94287082"        # RFC 6238 Appendix B
    assert security.totp_code(secret, at=1111111109, digits=8) == "07081804"
    services.totp_enable(user=officer_user, secret=secret, code=security.totp_code(secret))
    with pytest.raises(DomainError) as exc:
        services.login_attempt(username="officer_a", password=PASSWORD, totp="000000")
    assert exc.value.code == "auth.totp"
    assert services.login_attempt(username="officer_a", password=PASSWORD, totp=security.totp_code(secret))


def test_password_expiry(officer_user):
    assert not services.password_expired(officer_user)
    officer_user.password_changed_at = timezone.now() - timedelta(days=91)
    assert services.password_expired(officer_user)


# --- officers and certificates ----------------------------------------------------------------------

def _officer(tree, **cert):
    rng = __import__("random").Random(7)
    o = services.officer_create(org=tree.squad_a1, name="李执法", idcard=fake_idcard(rng), actor=None)
    if cert:
        services.certificate_add(officer=o, actor=None, **({"number": "44000012345", "issuing_authority":
                                 "广东省交通运输厅", "field": "comprehensive", "valid_from": date(2022, 1, 1),
                                 "valid_to": date(2026, 12, 31)} | cert))
    return Officer.objects.get(pk=o.pk)


def test_officer_without_certificate_cannot_enforce(tree):
    e = selectors.officer_can_enforce(_officer(tree), on=TODAY)
    assert not e and "第四十二条" in e.reasons[0]


def test_certificate_validity_boundaries(tree):
    o = _officer(tree, valid_from=date(2022, 1, 1), valid_to=date(2026, 12, 31))
    assert selectors.officer_can_enforce(o, on=date(2026, 12, 31))
    assert not selectors.officer_can_enforce(o, on=date(2027, 1, 1))
    assert not selectors.officer_can_enforce(o, on=date(2021, 12, 31))


def test_failed_annual_review_suspends_authority(tree, head_user):
    o = _officer(tree, number="44000000001")
    cert = o.certificates.get()
    services.certificate_review(cert=cert, status=ReviewStatus.FAILED, on=TODAY, actor=head_user)
    e = selectors.officer_can_enforce(o, on=TODAY)
    assert not e and "年审不合格" in e.reasons[0]


def test_leaving_withdraws_certificates(tree, head_user):
    o = _officer(tree, number="44000000002")
    services.officer_leave(officer=o, on=TODAY, reason="调任市局", actor=head_user)
    cert = o.certificates.get()
    assert cert.withdrawn_on == TODAY and "调任市局" in cert.withdraw_reason
    assert not selectors.officer_can_enforce(Officer.objects.get(pk=o.pk), on=TODAY)
    assert AuditRecord.objects.filter(action="certificate.withdraw").exists()


def test_officer_cannot_manage_certificates(tree, officer_user):
    o = _officer(tree)
    with pytest.raises(DomainError):
        services.certificate_add(officer=o, number="1", issuing_authority="x", field="comprehensive",
                                 valid_from=TODAY, valid_to=TODAY, actor=officer_user)


def test_expiring_within_60_days_and_certified_rate(tree, head_user):
    rng = __import__("random").Random(3)
    for i, valid_to in enumerate([TODAY + timedelta(days=10), TODAY + timedelta(days=60), TODAY + timedelta(days=61),
                                  TODAY - timedelta(days=1)]):
        o = services.officer_create(org=tree.squad_a1, name=f"员{i}", idcard=fake_idcard(rng), actor=None)
        services.certificate_add(officer=o, number=f"N{i}", issuing_authority="广东省交通运输厅",
                                 field="comprehensive", valid_from=date(2022, 1, 1), valid_to=valid_to, actor=None)
    services.officer_create(org=tree.squad_a2, name="新人", idcard=fake_idcard(rng), actor=None)
    expiring = list(selectors.certificates_expiring(head_user, on=TODAY, within_days=60).values_list("number",
                                                                                                     flat=True))
    assert expiring == ["N0", "N1"]
    rate = selectors.certified_rate(head_user, on=TODAY)
    assert (rate.active, rate.certified) == (5, 3) and rate.rate == pytest.approx(0.6)


def test_idcard_reveal_is_audited_and_restricted(tree, head_user, officer_user):
    o = _officer(tree)
    with pytest.raises(DomainError):
        services.officer_idcard_reveal(officer=o, actor=officer_user)
    full = services.officer_idcard_reveal(officer=o, actor=head_user)
    assert len(full) == 18 and o.idcard_masked.startswith(full[:3]) and "*" in o.idcard_masked
    assert AuditRecord.objects.filter(action="officer.idcard_view", actor_id=head_user.pk).count() == 1


def test_role_labels(officer_user):
    assert officer_user.role_labels() == [Role.OFFICER.label]
