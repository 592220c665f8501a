"""Writes of the accounts domain. Every function is keyword-only, transactional and audited."""

from __future__ import annotations

import functools
import secrets
from datetime import date, timedelta

from django.contrib.auth.hashers import check_password, get_hasher, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Least
from django.utils import timezone

from zhifa.accounts.enums import ADMIN_ROLES, CertField, OfficerStatus, ReviewStatus, Role
from zhifa.accounts.errors import AccountError
from zhifa.accounts.lookups import CERTIFICATE_PREREQUISITE
from zhifa.accounts.models import ApiToken, Certificate, Officer, Org, SecurityPolicy, User, UserRole
from zhifa.accounts.security import remember_password, totp_new_secret, totp_verify
from zhifa.core.audit import audit_record
from zhifa.core.crypto import blind_index, decrypt_field, digest_bytes, encrypt_field
from zhifa.core.errors import CommonError, DomainError
from zhifa.core.identifiers import mask_idcard, validate_idcard, validate_uscc

OFFICER_MANAGERS = (Role.HEAD, Role.LEGAL_REVIEWER)


def require_role(actor: User | None, *roles: Role) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_role(*roles):
        raise AccountError.NOT_ADMIN.error(role="、".join(Role(r).label for r in roles))


def top_unit() -> Org | None:
    """The unit at the top of the org tree (the installation's own unit, e.g. the province or the city)."""
    return Org.objects.filter(parent__isnull=True).order_by("path").first()


def require_top_unit_admin(actor: User | None, role: Role, what: str) -> None:
    """Installation-wide settings (the security policy, the working-day calendar) are set by the ``role``
    administrator of the top unit of the org tree only: a county's 系统管理员 / 安全管理员 manages its own
    units and accounts, not every other county's password rules and legal deadlines."""
    require_role(actor, role)
    if actor.org_id is None or actor.org.parent_id is not None:
        top = top_unit()
        raise AccountError.NOT_TOP_UNIT.error(what=what, top=top.name if top else "顶级单位", role=Role(role).label)


def require_business(actor: User | None) -> None:
    """三员分立: business data and acts are for 执法人员、法制审核人员、执法部门负责人 (security.md B1); the
    三员 and accounts without a business role are refused outright, not shown an empty list."""
    from zhifa.accounts.selectors import is_business_user

    if actor is None or not is_business_user(actor):
        raise CommonError.FORBIDDEN.error(detail="仅执法人员、法制审核人员和执法部门负责人可以办理业务（三员分立）")


def require_in_scope(actor: User, org: Org, what: str) -> None:
    if actor.org is None or not org.is_within(actor.org):
        raise AccountError.OUT_OF_SCOPE.error(what=what)


def check_role_set(roles: set[str]) -> None:
    """三员分立: admin roles exclude each other and every business role (GB/T 22239 §8.1.4.2 d)."""
    unknown = roles - set(Role.values)
    if unknown:
        raise CommonError.INVALID.error(detail=f"未知角色 {'、'.join(sorted(unknown))}")
    admin = roles & {r.value for r in ADMIN_ROLES}
    if len(admin) > 1:
        raise AccountError.ROLE_CONFLICT.error(detail="系统管理员、安全管理员、审计管理员不能由同一账户兼任")
    if admin and roles - admin:
        raise AccountError.ROLE_CONFLICT.error(detail="管理员账户不能同时担任执法、法制审核或负责人等业务角色")


# --- organisations ------------------------------------------------------------------------------

def _org_uscc(value: str, org: Org | None) -> str:
    """A unit's 统一社会信用代码, normalised and checked (GB 32100-2015 check characters); "" allowed."""
    if not (value or "").strip():
        return ""
    check = validate_uscc(value)
    if not check.ok:
        raise CommonError.INVALID.error(detail=check.reason, fields={"uscc": check.reason})
    other = Org.objects.filter(uscc=check.value).exclude(pk=org.pk if org else None).first()
    if other is not None:
        msg = f"统一社会信用代码 {check.value} 已由“{other}”使用"
        raise CommonError.INVALID.error(detail=msg, fields={"uscc": msg})
    return check.value


@transaction.atomic
def org_create(*, name: str, kind: str, parent: Org | None, short_name: str = "", division_code: str = "",
               uscc: str = "", actor: User | None) -> Org:
    if actor is not None:
        require_role(actor, Role.SYSADMIN)
        if parent is None:
            raise AccountError.OUT_OF_SCOPE.error(what="顶级单位")
        require_in_scope(actor, parent, "上级单位")
    org = Org(name=name, kind=kind, parent=parent, short_name=short_name, division_code=division_code,
              uscc=_org_uscc(uscc, None), path="/", depth=(parent.depth + 1) if parent else 0)
    try:
        org.full_clean(exclude=["path"])
    except ValidationError as e:
        fields = {k: "；".join(v) for k, v in e.message_dict.items()}
        if Org.objects.filter(parent=parent, name=name).exists():
            fields = {"name": f"{parent or '顶级'}下已有名为“{name}”的单位"}
        raise CommonError.INVALID.error(detail="；".join(fields.values()), fields=fields) from None
    org.save()
    org.path = f"{parent.path if parent else '/'}{org.pk}/"
    org.save(update_fields=["path"])
    audit_record(action="org.create", actor=actor, target=org, after={"name": name, "kind": kind,
                                                                        "parent": parent.pk if parent else None,
                                                                        "uscc": org.uscc})
    return org


ORG_EDITABLE = ("short_name", "division_code", "uscc", "address", "phone")


@transaction.atomic
def org_update(*, org: Org, actor: User | None, **changes: str) -> Org:
    """Change a unit's 简称, 行政区划代码, 统一社会信用代码, 办公地址 or 联系电话 (系统管理员, within the actor's units)."""
    if actor is not None:
        require_role(actor, Role.SYSADMIN)
        require_in_scope(actor, org, "该单位")
    unknown = set(changes) - set(ORG_EDITABLE)
    if unknown:
        raise CommonError.INVALID.error(detail=f"不能修改的字段：{'、'.join(sorted(unknown))}")
    org = Org.objects.select_for_update().get(pk=org.pk)
    if "uscc" in changes:
        changes["uscc"] = _org_uscc(changes["uscc"], org)
    before = {k: getattr(org, k) for k in changes}
    for k, v in changes.items():
        setattr(org, k, (v or "").strip())
    try:
        org.full_clean(exclude=["path"])
    except ValidationError as e:
        fields = {k: "；".join(v) for k, v in e.message_dict.items()}
        raise CommonError.INVALID.error(detail="；".join(fields.values()), fields=fields) from None
    after = {k: getattr(org, k) for k in changes}
    if after != before:
        org.save(update_fields=list(changes))
        audit_record(action="org.update", actor=actor, target=org, before=before, after=after)
    return org


# --- users --------------------------------------------------------------------------------------

def _set_password(user: User, raw: str) -> None:
    try:
        validate_password(raw, user)
    except ValidationError as e:
        raise AccountError.PASSWORD_POLICY.error(detail="；".join(e.messages)) from None
    user.set_password(raw)
    user.password_changed_at = timezone.now()


@transaction.atomic
def user_create(*, username: str, display_name: str, org: Org, roles: set[str], password: str,
                actor: User | None, is_machine: bool = False, password_encoded: str | None = None) -> User:
    """Create an account. ``actor`` None is the installer (createadmin, demo loader).

    ``password_encoded`` lets the demo loader reuse one computed hash for many demo accounts.
    """
    if actor is not None:
        require_role(actor, Role.SYSADMIN)
        require_in_scope(actor, org, "该单位")
    check_role_set(set(roles))
    if User.objects.filter(username=username).exists():
        raise AccountError.USERNAME_TAKEN.error(username=username)
    user = User(username=username, display_name=display_name, org=org, is_machine=is_machine)
    if password_encoded:
        user.password = password_encoded
        user.password_changed_at = timezone.now()
    else:
        _set_password(user, password)
    user.full_clean(exclude=["password"])
    user.save()
    UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in sorted(roles)])
    remember_password(user)
    audit_record(action="user.create", actor=actor, target=user,
                 after={"username": username, "org": org.pk, "roles": sorted(roles)})
    return user


@transaction.atomic
def user_set_roles(*, user: User, roles: set[str], actor: User) -> User:
    require_role(actor, Role.SYSADMIN, Role.SECADMIN)
    if actor.pk == user.pk:
        raise AccountError.SELF_ROLE_CHANGE.error()
    require_in_scope(actor, user.org, "该用户")
    check_role_set(set(roles))
    before = sorted(user.role_codes())
    UserRole.objects.filter(user=user).exclude(role__in=roles).delete()
    for r in sorted(set(roles) - set(before)):
        UserRole.objects.create(user=user, role=r)
    user._role_cache = None
    audit_record(action="user.set_roles", actor=actor, target=user, before={"roles": before},
                 after={"roles": sorted(roles)})
    return user


@transaction.atomic
def user_set_active(*, user: User, active: bool, actor: User, reason: str = "") -> User:
    require_role(actor, Role.SYSADMIN)
    if actor.pk == user.pk:
        raise AccountError.SELF_ROLE_CHANGE.error()
    require_in_scope(actor, user.org, "该用户")
    before = user.is_active
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(action="user.enable" if active else "user.disable", actor=actor, target=user,
                 before={"is_active": before}, after={"is_active": active}, reason=reason)
    return user


@transaction.atomic
def user_unlock(*, user: User, actor: User) -> User:
    require_role(actor, Role.SYSADMIN, Role.SECADMIN)
    require_in_scope(actor, user.org, "该用户")
    from zhifa.accounts import throttle

    user.failed_logins = 0
    user.locked_until = None
    user.save(update_fields=["failed_logins", "locked_until"])
    cleared = throttle.clear_username(user.username)
    audit_record(action="user.unlock", actor=actor, target=user, reason=f"解除 {cleared} 个来源地址的登录限制")
    return user


@transaction.atomic
def user_reset_password(*, user: User, new_password: str, actor: User) -> User:
    require_role(actor, Role.SYSADMIN)
    require_in_scope(actor, user.org, "该用户")
    _set_password(user, new_password)
    user.password_changed_at = None  # forces a change at next login
    user.save(update_fields=["password", "password_changed_at"])
    remember_password(user)
    audit_record(action="user.reset_password", actor=actor, target=user)
    return user


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> User:
    if not user.check_password(old_password):
        raise AccountError.PASSWORD_POLICY.error(detail="原密码不正确")
    _set_password(user, new_password)
    user.save(update_fields=["password", "password_changed_at"])
    remember_password(user)
    audit_record(action="user.change_password", actor=user, target=user)
    return user


def password_expired(user: User, *, now=None) -> bool:
    policy = SecurityPolicy.current()
    if user.password_changed_at is None:
        return True
    if not policy.password_max_age_days:
        return False
    return (now or timezone.now()) - user.password_changed_at > timedelta(days=policy.password_max_age_days)


class LoginRefused(DomainError):
    pass


@functools.lru_cache(maxsize=4)
def _dummy_hash(algorithm: str) -> str:
    """A hash made by the current default hasher (keyed by its name, so a changed setting gets a new one)."""
    return make_password("zhifa-constant-time-dummy")


def login_attempt(*, username: str, password: str, totp: str = "", source: str = "") -> User:
    """Check credentials with throttling (等保 8.1.4.1 b); every outcome is audited.

    Nothing tells whether the username exists (issue 16 item 6): a password hash is checked for unknown and
    disabled accounts too (against a dummy hash, as Django's ModelBackend does), so every answer costs the
    same; unknown usernames are counted and locked like known ones; and the lock is on the username *from
    this address* (``source``) plus the address itself (:mod:`zhifa.accounts.throttle`), so a stranger can
    lock only their own address, never an administrator at theirs.
    """
    from zhifa.accounts import throttle

    policy = SecurityPolicy.current()
    now = timezone.now()
    user = User.objects.select_related("org").filter(username=username).first()
    if user is not None and user.is_active:
        ok = user.check_password(password)
    else:
        check_password(password, _dummy_hash(get_hasher().algorithm))
        ok = False
    until = throttle.locked_until(username, source, now)
    if user is not None and user.locked_until and user.locked_until > now:
        until = max(until or user.locked_until, user.locked_until)  # set before per-address throttling
    if until is not None:
        _audit_login_failure(user, username, source, "登录失败次数过多，已限制登录")
        mins = max(1, int((until - now).total_seconds() // 60) + 1)
        raise LoginRefused("auth.locked", f"登录失败次数过多，请 {mins} 分钟后再试或联系管理员解锁", status=403)
    if ok and user.totp_enabled:
        ok = totp_verify(decrypt_field(user.totp_secret, purpose="totp"), totp)
        if not ok:
            _login_failed(user, username, source, policy, now, "动态口令错误")
            raise LoginRefused("auth.totp", "动态口令错误", status=401)
    if not ok:
        reason = "用户不存在" if user is None else "密码错误" if user.is_active else "账户已停用"
        _login_failed(user, username, source, policy, now, reason)
        raise LoginRefused("auth.failed", "用户名或密码错误", status=401)
    with transaction.atomic():
        throttle.clear_success(username, source)
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None, last_login=now)
        audit_record(action="auth.login", actor=user, target=user, reason=f"来源 {source}" if source else "")
    return user


def _audit_login_failure(user: User | None, username: str, source: str, reason: str) -> None:
    reason = f"{reason}（来源 {source}）" if source else reason
    if user is None:
        audit_record(action="auth.login", actor=None, target_type="accounts.user", target_repr=username[:150],
                     success=False, reason=reason)
    else:
        audit_record(action="auth.login", actor=user, target=user, success=False, reason=reason)


def _login_failed(user: User | None, username: str, source: str, policy: SecurityPolicy, now, reason: str) -> None:
    from zhifa.accounts import throttle

    with transaction.atomic():
        if throttle.record_failure(username, source, policy, now):
            reason += f"；连续失败 {policy.lockout_threshold} 次，该用户名在此地址锁定 {policy.lockout_minutes} 分钟"
        if user is not None:  # shown to administrators; the lock itself is per address
            User.objects.filter(pk=user.pk).update(failed_logins=Least(F("failed_logins") + 1, 32767))
        _audit_login_failure(user, username, source, reason)


@transaction.atomic
def totp_enable(*, user: User, secret: str, code: str) -> User:
    if not totp_verify(secret, code):
        raise AccountError.TOTP_INVALID.error()
    user.totp_secret = encrypt_field(secret, purpose="totp")
    user.totp_enabled = True
    user.save(update_fields=["totp_secret", "totp_enabled"])
    audit_record(action="user.totp_enable", actor=user, target=user)
    return user


def totp_begin() -> str:
    return totp_new_secret()


# --- security policy (安全管理员) -----------------------------------------------------------------

POLICY_FIELDS = ("password_min_length", "password_min_classes", "password_max_age_days", "password_history",
                 "lockout_threshold", "lockout_minutes", "idle_timeout_minutes", "totp_required_for_admins")


@transaction.atomic
def policy_update(*, actor: User, **values) -> SecurityPolicy:
    require_top_unit_admin(actor, Role.SECADMIN, "安全策略")
    policy = SecurityPolicy.current()
    before = {f: getattr(policy, f) for f in POLICY_FIELDS}
    errors = {}
    for f, v in values.items():
        if f not in POLICY_FIELDS:
            errors[f] = "未知的策略项"
            continue
        setattr(policy, f, v)
    if not 6 <= policy.password_min_length <= 64:
        errors["password_min_length"] = "应在 6 到 64 之间（等保要求不低于 8 位为宜）"
    if not 1 <= policy.password_min_classes <= 4:
        errors["password_min_classes"] = "应在 1 到 4 之间"
    if not 1 <= policy.idle_timeout_minutes <= 240:
        errors["idle_timeout_minutes"] = "应在 1 到 240 分钟之间"
    if errors:
        raise CommonError.INVALID.error(detail="；".join(f"{k}：{v}" for k, v in errors.items()), fields=errors)
    policy.updated_by = actor.get_username()
    policy.save()
    audit_record(action="security.policy_update", actor=actor, target=policy, before=before,
                 after={f: getattr(policy, f) for f in POLICY_FIELDS})
    return policy


# --- API tokens ---------------------------------------------------------------------------------

def token_digest(raw: str) -> str:
    return digest_bytes(raw.encode("utf-8"))


@transaction.atomic
def api_token_create(*, user: User, name: str, actor: User, days: int | None = 365) -> tuple[ApiToken, str]:
    """Returns the token and its secret, which is shown once and never stored."""
    if actor.pk != user.pk:
        require_role(actor, Role.SYSADMIN)
        require_in_scope(actor, user.org, "该用户")
    raw = "zf_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:10], digest=token_digest(raw),
                                    expires_at=timezone.now() + timedelta(days=days) if days else None)
    audit_record(action="token.create", actor=actor, target=token, detail={"user": user.username, "name": name})
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    if actor.pk != token.user_id:
        require_role(actor, Role.SYSADMIN)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(action="token.revoke", actor=actor, target=token)
    return token


# --- officers and certificates --------------------------------------------------------------------

def _officer_state(o: Officer) -> dict:
    return {"name": o.name, "org": o.org_id, "idcard": o.idcard_masked, "status": o.status,
            "position": o.position}


@transaction.atomic
def officer_create(*, org: Org, name: str, idcard: str, position: str = "", user: User | None = None,
                   actor: User | None) -> Officer:
    if actor is not None:
        require_role(actor, *OFFICER_MANAGERS)
        require_in_scope(actor, org, "该单位")
    check = validate_idcard(idcard)
    if not check:
        raise AccountError.IDCARD_INVALID.error(detail=check.reason, fields={"idcard": check.reason})
    index = blind_index(check.value, purpose="officer.idcard")
    if Officer.objects.filter(idcard_index=index).exists():
        raise AccountError.OFFICER_DUPLICATE.error()
    officer = Officer(org=org, name=name.strip(), idcard_enc=encrypt_field(check.value, purpose="officer.idcard"),
                      idcard_index=index, idcard_masked=mask_idcard(check.value), position=position, user=user)
    officer.full_clean()
    officer.save()
    audit_record(action="officer.create", actor=actor, target=officer, after=_officer_state(officer))
    return officer


def _check_cert_fields(number: str, field: str, valid_from: date, valid_to: date) -> None:
    errors = {}
    if not number.strip():
        errors["number"] = "证件号不能为空"
    if field not in CertField.values:
        errors["field"] = f"执法门类“{field}”不在 {'、'.join(CertField.labels)} 之中"
    if valid_to < valid_from:
        errors["valid_to"] = "有效期至不能早于有效期起"
    if errors:
        raise AccountError.CERT_INVALID.error(detail="；".join(errors.values()), fields=errors)


@transaction.atomic
def certificate_add(*, officer: Officer, number: str, issuing_authority: str, field: str, valid_from: date,
                    valid_to: date, review_status: str = ReviewStatus.PASSED, reviewed_on: date | None = None,
                    actor: User | None) -> Certificate:
    if actor is not None:
        require_role(actor, *OFFICER_MANAGERS)
        require_in_scope(actor, officer.org, "该执法人员")
    _check_cert_fields(number, field, valid_from, valid_to)
    prerequisite = CERTIFICATE_PREREQUISITE(officer, valid_from)
    if prerequisite:
        raise AccountError.CERT_INVALID.error(detail=prerequisite, fields={"officer": prerequisite})
    if Certificate.objects.filter(number=number.strip()).exists():
        raise AccountError.CERT_DUPLICATE.error(number=number)
    cert = Certificate(officer=officer, number=number.strip(), issuing_authority=issuing_authority, field=field,
                       valid_from=valid_from, valid_to=valid_to, review_status=review_status,
                       reviewed_on=reviewed_on)
    cert.full_clean()
    try:
        with transaction.atomic():
            cert.save()
    except IntegrityError:
        raise AccountError.CERT_DUPLICATE.error(number=number) from None
    audit_record(action="certificate.add", actor=actor, target=cert,
                 after={"officer": officer.pk, "number": cert.number, "field": field,
                        "valid_from": str(valid_from), "valid_to": str(valid_to)})
    return cert


@transaction.atomic
def certificate_review(*, cert: Certificate, status: str, on: date, actor: User) -> Certificate:
    """Record the annual review (年审) outcome."""
    require_role(actor, *OFFICER_MANAGERS)
    require_in_scope(actor, cert.officer.org, "该执法人员")
    if status not in ReviewStatus.values:
        raise AccountError.CERT_INVALID.error(detail=f"年审状态“{status}”无效")
    before = cert.review_status
    cert.review_status, cert.reviewed_on = status, on
    cert.save(update_fields=["review_status", "reviewed_on"])
    audit_record(action="certificate.review", actor=actor, target=cert, before={"review_status": before},
                 after={"review_status": status, "reviewed_on": str(on)})
    return cert


@transaction.atomic
def certificate_withdraw(*, cert: Certificate, on: date, reason: str, actor: User | None) -> Certificate:
    """收缴: the certificate is taken back (e.g. the officer left the unit, seed 004)."""
    if actor is not None:
        require_role(actor, *OFFICER_MANAGERS)
        require_in_scope(actor, cert.officer.org, "该执法人员")
    if not reason.strip():
        raise AccountError.CERT_INVALID.error(detail="收缴原因不能为空", fields={"reason": "收缴原因不能为空"})
    if cert.withdrawn_on:
        return cert
    cert.withdrawn_on, cert.withdraw_reason = on, reason.strip()
    cert.save(update_fields=["withdrawn_on", "withdraw_reason"])
    audit_record(action="certificate.withdraw", actor=actor, target=cert, reason=reason[:300],
                 after={"withdrawn_on": str(on)})
    return cert


@transaction.atomic
def officer_leave(*, officer: Officer, on: date, status: str = OfficerStatus.LEFT, reason: str,
                  actor: User | None) -> Officer:
    """An officer leaves the unit: status changes and every certificate is withdrawn (收缴) the same day."""
    if actor is not None:
        require_role(actor, *OFFICER_MANAGERS)
        require_in_scope(actor, officer.org, "该执法人员")
    if status not in (OfficerStatus.LEFT, OfficerStatus.RETIRED):
        raise CommonError.INVALID.error(detail="离岗状态只能是已调离或已退休")
    before = _officer_state(officer)
    officer.status, officer.left_on = status, on
    officer.save(update_fields=["status", "left_on", "updated_at"])
    for cert in officer.certificates.filter(withdrawn_on__isnull=True):
        certificate_withdraw(cert=cert, on=on, reason=f"人员离岗收缴：{reason}", actor=actor)
    audit_record(action="officer.leave", actor=actor, target=officer, before=before,
                 after=_officer_state(officer), reason=reason[:300])
    return officer


def officer_idcard_reveal(*, officer: Officer, actor: User) -> str:
    """Full ID number for roles that need it; each reveal is an audited sensitive read (PIPL Art 51)."""
    require_role(actor, *OFFICER_MANAGERS)
    require_in_scope(actor, officer.org, "该执法人员")
    value = decrypt_field(officer.idcard_enc, purpose="officer.idcard")
    audit_record(action="officer.idcard_view", actor=actor, target=officer)
    return value


def make_password_once(raw: str) -> str:
    """Hash once (used by the demo loader to give many demo accounts the same password quickly)."""
    return make_password(raw)
