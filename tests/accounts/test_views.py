"""执法人员 pages and the administrators' pages (accounts, units, security policy, TOTP binding).

Permission rules tested here:
* /officers/…: business roles only, 403 for the 三员; another unit's officer is a 404; the certificate,
  年审 and leave actions are for 法制审核人员 / 负责人 only (an officer is refused by the service);
* /admin/users/, /admin/orgs/: 系统管理员 only (403 for everybody else, the other two admins included);
* /security/policy/: 安全管理员 only;
* /account/totp/: every signed-in user.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from tests.factories import PASSWORD, fake_idcard, make_user
from zhifa.accounts import services
from zhifa.accounts.models import Certificate, Officer, Org, SecurityPolicy, User
from zhifa.accounts.security import totp_code
from zhifa.core.models import AuditRecord

TODAY = date.today()


def _text(r) -> str:
    return r.content.decode()


@pytest.fixture
def officers(tree):
    """Four officers of county A: certified, expiring within 60 days, expired, without certificate."""
    rng = random.Random(7)

    def officer(name, org, cert=None):
        o = services.officer_create(
            org=org, name=name, idcard=fake_idcard(rng), position="执法队员", actor=None
        )
        if cert:
            services.certificate_add(
                officer=o,
                number=cert[0],
                issuing_authority="广东省人民政府",
                field="comprehensive",
                valid_from=cert[1],
                valid_to=cert[2],
                actor=None,
            )
        return o

    return {
        "ok": officer(
            "张一", tree.squad_a1, ("44000001", TODAY - timedelta(days=100), TODAY + timedelta(days=900))
        ),
        "soon": officer(
            "张二", tree.squad_a1, ("44000002", TODAY - timedelta(days=100), TODAY + timedelta(days=20))
        ),
        "expired": officer(
            "张三", tree.squad_a2, ("44000003", TODAY - timedelta(days=900), TODAY - timedelta(days=5))
        ),
        "none": officer("张四", tree.squad_a2),
        "other_county": officer(
            "李五", tree.squad_b1, ("44000009", TODAY - timedelta(days=100), TODAY + timedelta(days=900))
        ),
    }


# --- officers ---------------------------------------------------------------------------------------


def test_officer_list_badges_rate_and_filters(client, head_user, officers):
    client.force_login(head_user)
    r = client.get("/officers/")
    assert r.status_code == 200
    page = _text(r)
    for name in ("张一", "张二", "张三", "张四"):
        assert name in page
    assert "李五" not in page  # other county
    assert "可执法" in page and "不得执法" in page
    assert "44000001" in page and "第一中队" in page
    assert "持证上岗率" in page and "2/4" in page and "50.0%" in page

    def names(params):
        p = _text(client.get("/officers/", params))
        return {n for n in ("张一", "张二", "张三", "张四") if f">{n}</a>" in p}

    assert names({"cert": "expiring"}) == {"张二"}
    assert names({"cert": "expired"}) == {"张三"}
    assert names({"cert": "none"}) == {"张四"}
    assert names({"q": "张三"}) == {"张三"}
    assert names({"q": "44000002"}) == {"张二"}
    squad2 = Org.objects.get(name="第二中队")
    assert names({"org": squad2.pk}) == {"张三", "张四"}
    assert "0/2" in _text(client.get("/officers/", {"org": squad2.pk}))


def test_officer_detail_shows_certificates_and_history(client, officer_user, reviewer_user, officers):
    client.force_login(officer_user)
    assert client.get(f"/officers/{officers['expired'].pk}/").status_code == 404  # sibling squad
    page = _text(client.get(f"/officers/{officers['soon'].pk}/"))
    assert "张二" in page and "可执法" in page and "44000002" in page
    assert "登记执法证" not in page and "办理离岗" not in page  # an officer does not manage certificates
    client.force_login(reviewer_user)
    o = officers["expired"]
    page = _text(client.get(f"/officers/{o.pk}/"))
    assert "张三" in page and o.idcard_masked in page and "44000003" in page
    assert "不得执法" in page and "已于" in page and "过期" in page
    assert "履历" in page and "有效期届满" in page
    assert "登记执法证" in page


def test_head_adds_certificate_reviews_and_officer_leaves(client, head_user, officers):
    client.force_login(head_user)
    o = officers["none"]
    page = _text(client.get(f"/officers/{o.pk}/"))
    assert "登记执法证" in page and "办理离岗" in page
    r = client.post(
        f"/officers/{o.pk}/certificates/",
        {
            "number": "44000004",
            "issuing_authority": "广东省人民政府",
            "field": "road_transport",
            "valid_from": str(TODAY - timedelta(days=1)),
            "valid_to": str(TODAY + timedelta(days=365)),
        },
    )
    assert r.status_code == 302
    cert = Certificate.objects.get(number="44000004")
    assert "可执法" in _text(client.get(f"/officers/{o.pk}/"))
    # duplicate number: the service's Chinese message
    r = client.post(
        f"/officers/{o.pk}/certificates/",
        {
            "number": "44000004",
            "issuing_authority": "广东省人民政府",
            "field": "road_transport",
            "valid_from": str(TODAY),
            "valid_to": str(TODAY + timedelta(days=365)),
        },
    )
    assert r.status_code == 422 and "执法证号 44000004 已存在" in _text(r)
    # invalid dates
    r = client.post(
        f"/officers/{o.pk}/certificates/",
        {
            "number": "44000005",
            "issuing_authority": "x",
            "field": "road_transport",
            "valid_from": "昨天",
            "valid_to": str(TODAY),
        },
    )
    assert r.status_code == 422 and "不是有效日期" in _text(r)
    # 年审
    r = client.post(
        f"/officers/{o.pk}/certificates/{cert.pk}/review/", {"status": "suspended", "on": str(TODAY)}
    )
    assert r.status_code == 302
    cert.refresh_from_db()
    assert cert.review_status == "suspended"
    assert "不得执法" in _text(client.get(f"/officers/{o.pk}/"))
    client.post(f"/officers/{o.pk}/certificates/{cert.pk}/review/", {"status": "passed", "on": str(TODAY)})
    # leave: every certificate withdrawn (收缴)
    r = client.post(f"/officers/{o.pk}/leave/", {"status": "left", "on": str(TODAY), "reason": "调至市局"})
    assert r.status_code == 302
    o.refresh_from_db()
    cert.refresh_from_db()
    assert o.status == "left" and cert.withdrawn_on == TODAY and "调至市局" in cert.withdraw_reason
    page = _text(client.get(f"/officers/{o.pk}/"))
    assert "已调离" in page and "收缴" in page and "办理离岗并收缴执法证" not in page
    assert AuditRecord.objects.filter(action="officer.leave", actor_id=head_user.pk).exists()


def test_leave_needs_a_reason(client, reviewer_user, officers):
    client.force_login(reviewer_user)
    o = officers["ok"]
    r = client.post(f"/officers/{o.pk}/leave/", {"status": "left", "on": str(TODAY), "reason": ""})
    assert r.status_code == 422 and "请填写离岗原因" in _text(r)
    o.refresh_from_db()
    assert o.status == "active"


def test_officer_role_cannot_manage_certificates(client, officer_user, officers):
    client.force_login(officer_user)
    o = officers["ok"]
    r = client.post(
        f"/officers/{o.pk}/certificates/",
        {
            "number": "44000006",
            "issuing_authority": "广东省人民政府",
            "field": "road_transport",
            "valid_from": str(TODAY),
            "valid_to": str(TODAY + timedelta(days=30)),
        },
    )
    assert r.status_code == 422 and "仅执法部门负责人、法制审核人员可以执行此操作" in _text(r)
    assert not Certificate.objects.filter(number="44000006").exists()
    r = client.post(
        f"/officers/{officers['ok'].pk}/leave/", {"status": "left", "on": str(TODAY), "reason": "x"}
    )
    assert r.status_code == 422
    assert Officer.objects.get(pk=officers["ok"].pk).status == "active"


def test_officer_pages_scoped_and_closed_to_admins(client, officer_b, sysadmin, auditadmin, officers):
    client.force_login(officer_b)
    assert client.get(f"/officers/{officers['ok'].pk}/").status_code == 404
    assert (
        client.post(
            f"/officers/{officers['ok'].pk}/leave/", {"status": "left", "on": str(TODAY), "reason": "x"}
        ).status_code
        == 404
    )
    page = _text(client.get("/officers/"))
    assert "李五" in page and "张一" not in page
    for admin in (sysadmin, auditadmin):
        client.force_login(admin)
        assert client.get("/officers/").status_code == 403
        assert client.get(f"/officers/{officers['ok'].pk}/").status_code == 403
        assert client.get("/officers/new/").status_code == 403
    client.logout()
    assert client.get("/officers/").status_code == 302


def test_create_officer(client, head_user, tree):
    client.force_login(head_user)
    idcard = fake_idcard(random.Random(3))
    r = client.post(
        "/officers/new/", {"org": tree.squad_a1.pk, "name": "赵六", "idcard": idcard, "position": "队员"}
    )
    assert r.status_code == 302
    o = Officer.objects.get(name="赵六")
    assert r["Location"] == f"/officers/{o.pk}/"
    r = client.post("/officers/new/", {"org": tree.squad_a1.pk, "name": "赵六", "idcard": idcard})
    assert "该身份证号码的执法人员已存在" in _text(r)
    r = client.post(
        "/officers/new/", {"org": tree.squad_b1.pk, "name": "钱七", "idcard": fake_idcard(random.Random(4))}
    )
    assert "请选择所在单位" in _text(r)  # a unit outside the actor's subtree is not offered


# --- 账户管理 --------------------------------------------------------------------------------------


def test_user_admin_list_and_create(client, sysadmin, officer_user, tree):
    client.force_login(sysadmin)
    page = _text(client.get("/admin/users/"))
    assert "officer_a" in page and "sysadmin_a" in page and "officer_b" not in page
    page = _text(client.get("/admin/users/", {"q": "officer"}))
    assert ">officer_a</a>" in page and ">sysadmin_a</a>" not in page
    page = _text(client.get("/admin/users/", {"role": "sysadmin"}))
    assert ">sysadmin_a</a>" in page and ">officer_a</a>" not in page
    r = client.post(
        "/admin/users/new/",
        {
            "username": "new_officer",
            "display_name": "新人",
            "org": tree.squad_a2.pk,
            "roles": ["officer", "legal_reviewer"],
            "password": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert r.status_code == 302
    user = User.objects.get(username="new_officer")
    assert user.role_codes() == {"officer", "legal_reviewer"}
    assert AuditRecord.objects.filter(
        action="user.create", actor_id=sysadmin.pk, target_id=str(user.pk)
    ).exists()


def test_user_create_role_conflict_shows_service_message(client, sysadmin, officer_user, tree):
    client.force_login(sysadmin)
    r = client.post(
        "/admin/users/new/",
        {
            "username": "bad",
            "display_name": "x",
            "org": tree.bureau_a.pk,
            "roles": ["sysadmin", "officer"],
            "password": PASSWORD,
            "password2": PASSWORD,
        },
    )
    page = _text(r)
    assert r.status_code == 200 and "三员分立" in page and "管理员账户不能同时担任" in page
    assert not User.objects.filter(username="bad").exists()
    r = client.post(
        "/admin/users/new/",
        {
            "username": "weak",
            "org": tree.bureau_a.pk,
            "roles": ["officer"],
            "password": "abc",
            "password2": "abc",
        },
    )
    assert "密码不符合安全策略" in _text(r)
    r = client.post(
        "/admin/users/new/",
        {
            "username": "officer_a",
            "org": tree.bureau_a.pk,
            "roles": ["officer"],
            "password": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert "用户名 officer_a 已存在" in _text(r)


def test_user_enable_disable_unlock_reset(client, sysadmin, officer_user):
    from django.utils import timezone

    client.force_login(sysadmin)
    url = f"/admin/users/{officer_user.pk}/"
    assert "officer_a" in _text(client.get(url))
    client.post(url + "active/", {"active": "0", "reason": "调离"})
    officer_user.refresh_from_db()
    assert not officer_user.is_active
    client.post(url + "active/", {"active": "1"})
    officer_user.refresh_from_db()
    assert officer_user.is_active
    User.objects.filter(pk=officer_user.pk).update(
        locked_until=timezone.now() + timedelta(minutes=30), failed_logins=3
    )
    assert "锁定" in _text(client.get("/admin/users/", {"status": "locked"}))
    client.post(url + "unlock/")
    officer_user.refresh_from_db()
    assert officer_user.locked_until is None and officer_user.failed_logins == 0
    new = "Reset@2026#ok"
    r = client.post(url + "password/", {"new_password": new, "new_password2": new}, follow=True)
    assert "密码已重置" in _text(r)
    officer_user.refresh_from_db()
    assert officer_user.check_password(new) and officer_user.password_changed_at is None
    r = client.post(url + "password/", {"new_password": "x", "new_password2": "y"}, follow=True)
    assert "两次输入的新密码不一致" in _text(r)
    r = client.post(url + "roles/", {"roles": ["officer", "auditadmin"]}, follow=True)
    assert "三员分立" in _text(r)
    client.post(url + "roles/", {"roles": ["officer", "head"]})
    assert User.objects.get(pk=officer_user.pk).role_codes() == {"officer", "head"}
    # own account: the service refuses (三员分立)
    r = client.post(f"/admin/users/{sysadmin.pk}/active/", {"active": "0"}, follow=True)
    assert "不能修改自己的角色" in _text(r)
    assert User.objects.get(pk=sysadmin.pk).is_active


@pytest.mark.parametrize("who", ["officer_user", "head_user", "secadmin", "auditadmin"])
def test_user_admin_is_sysadmin_only(client, request, who, officer_user):
    client.force_login(request.getfixturevalue(who))
    for url in ("/admin/users/", "/admin/users/new/", f"/admin/users/{officer_user.pk}/", "/admin/orgs/"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/admin/users/{officer_user.pk}/active/", {"active": "0"}).status_code == 403
    officer_user.refresh_from_db()
    assert officer_user.is_active


def test_sysadmin_of_other_county_gets_404(client, tree, officer_user):
    admin_b = make_user("sysadmin_b", tree.bureau_b, {"sysadmin"})
    client.force_login(admin_b)
    assert client.get(f"/admin/users/{officer_user.pk}/").status_code == 404
    assert client.post(f"/admin/users/{officer_user.pk}/unlock/").status_code == 404


# --- 单位管理 --------------------------------------------------------------------------------------


def test_org_tree_and_create_sub_unit(client, sysadmin, tree):
    client.force_login(sysadmin)
    page = _text(client.get("/admin/orgs/"))
    assert "郁南县交通运输局" in page and "第一中队" in page and "新兴县交通运输局" not in page
    assert "└" in page
    page = _text(client.get("/admin/orgs/", {"kind": "squad"}))
    assert "第一中队" in page and "郁南县交通运输综合行政执法大队</td>" not in page
    r = client.post("/admin/orgs/", {"parent": tree.brigade_a.pk, "name": "第三中队", "kind": "squad"})
    assert r.status_code == 302
    new = Org.objects.get(name="第三中队")
    assert new.parent_id == tree.brigade_a.pk and new.path.startswith(tree.brigade_a.path)
    r = client.post("/admin/orgs/", {"parent": tree.brigade_a.pk, "name": "第三中队", "kind": "squad"})
    assert "下已有名为“第三中队”的单位" in _text(r)  # a Chinese refusal from org_create, nothing created
    assert Org.objects.filter(name="第三中队").count() == 1
    r = client.post("/admin/orgs/", {"parent": tree.brigade_b.pk, "name": "外县中队", "kind": "squad"})
    assert "请选择上级单位" in _text(r)
    assert not Org.objects.filter(name="外县中队").exists()


# --- 安全策略 --------------------------------------------------------------------------------------


def test_security_policy_edit(client, top_secadmin):
    secadmin = top_secadmin
    client.force_login(secadmin)
    page = _text(client.get("/security/policy/"))
    assert "密码最小长度" in page and "空闲超时" in page
    form = {
        "password_min_length": "10",
        "password_min_classes": "3",
        "password_max_age_days": "90",
        "password_history": "5",
        "lockout_threshold": "5",
        "lockout_minutes": "30",
        "idle_timeout_minutes": "15",
        "totp_required_for_admins": "on",
    }
    r = client.post("/security/policy/", form)
    assert r.status_code == 302
    p = SecurityPolicy.current()
    assert p.password_min_length == 10 and p.idle_timeout_minutes == 15 and p.totp_required_for_admins
    assert AuditRecord.objects.filter(action="security.policy_update", actor_id=secadmin.pk).exists()
    r = client.post("/security/policy/", {**form, "password_min_length": "3"})
    assert "应在 6 到 64 之间" in _text(r)
    r = client.post("/security/policy/", {**form, "lockout_minutes": "半小时"})
    assert "应为非负整数" in _text(r)
    assert SecurityPolicy.current().password_min_length == 10


@pytest.mark.parametrize("who", ["officer_user", "sysadmin", "auditadmin"])
def test_security_policy_is_secadmin_only(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/security/policy/").status_code == 403
    assert client.post("/security/policy/", {"password_min_length": "6"}).status_code == 403


# --- TOTP --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer_user", "auditadmin"])
def test_totp_binding(client, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    page = _text(client.get("/account/totp/"))
    secret = client.session["totp_pending_secret"]
    assert f"otpauth://totp/zhifa:{user.username}?secret={secret}" in page
    r = client.post("/account/totp/", {"code": "000000" if totp_code(secret) != "000000" else "111111"})
    assert "动态口令错误" in _text(r)
    r = client.post("/account/totp/", {"code": totp_code(secret)})
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.totp_enabled
    assert AuditRecord.objects.filter(action="user.totp_enable", actor_id=user.pk).exists()


def test_totp_requires_login(client, db):
    assert client.get("/account/totp/").status_code == 302
