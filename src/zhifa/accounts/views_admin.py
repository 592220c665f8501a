"""Pages of the three administrators (三员) and the per-user TOTP binding.

* 系统管理员: accounts (/admin/users/) and units (/admin/orgs/);
* 安全管理员: the security policy (/security/policy/);
* every signed-in user: bind a TOTP authenticator (/account/totp/).

Every write goes through ``zhifa.accounts.services`` (which checks the role again, scopes by unit and
audits); a refusal is shown as the service's Chinese message. ``role_required`` / ``business_required``
below are the page-level guards shared by the other page modules: a signed-in user without the role gets
403, an anonymous visitor is sent to the login page.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhifa.accounts import selectors, services, throttle
from zhifa.accounts.enums import ADMIN_ROLES, BUSINESS_ROLES, OrgKind, Role
from zhifa.accounts.models import SecurityPolicy
from zhifa.accounts.security import totp_uri
from zhifa.core.errors import DomainError
from zhifa.core.listing import list_page

# --- guards shared by the page modules ------------------------------------------------------------


def role_required(*roles: str):
    """Signed-in users holding one of ``roles`` only; anybody else signed in gets 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


# Business pages (监管对象, 执法人员, …) are closed to the 三员 with 403 (三员分立: administrators see no
# business data), rather than showing them an empty list.
business_required = role_required(*BUSINESS_ROLES)


def error_context(e: DomainError) -> dict:
    return {"error": e.message, "field_errors": e.fields or {}}


class MappedRows:
    """A queryset the paginator slices, each page mapped through ``fn`` (list of rows -> list of rows)."""

    def __init__(self, qs, fn):
        self.qs, self.fn = qs, fn

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if isinstance(item, slice):
            return self.fn(list(self.qs[item]))
        return self.fn([self.qs[item]])[0]


ROLE_CHOICES = [(r.value, r.label) for r in Role]
ADMIN_ROLE_VALUES = {r.value for r in ADMIN_ROLES}


# --- 账户管理 (系统管理员) ----------------------------------------------------------------------------

STATUS_FILTERS = {"active": "启用", "disabled": "停用", "locked": "锁定"}


@role_required(Role.SYSADMIN)
def user_list(request):
    actor = request.user
    qs = selectors.users_visible(actor).order_by("org__path", "username")
    q = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    org = request.GET.get("org", "")
    status = request.GET.get("status", "")
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(display_name__contains=q))
    if role in Role.values:
        qs = qs.filter(roles__role=role).distinct()
    if org.isdigit():
        unit = selectors.orgs_visible(actor).filter(pk=int(org)).first()
        if unit is not None:
            qs = qs.filter(org__path__startswith=unit.path)
    if status == "active":
        qs = qs.filter(is_active=True)
    elif status == "disabled":
        qs = qs.filter(is_active=False)
    elif status == "locked":
        now = timezone.now()
        qs = qs.filter(Q(locked_until__gt=now) | Q(username__in=throttle.usernames_locked(now)))
    return list_page(
        request,
        "accounts/user_list.html",
        qs,
        context={
            "page_title": "账户管理",
            "q": q,
            "role": role,
            "org": org,
            "status": status,
            "role_choices": ROLE_CHOICES,
            "orgs": selectors.orgs_visible(actor),
            "status_choices": STATUS_FILTERS,
            "now": timezone.now(),
        },
    )


def _posted_roles(request) -> set[str]:
    return {r for r in request.POST.getlist("roles") if r}


@role_required(Role.SYSADMIN)
def user_create(request):
    actor = request.user
    orgs = selectors.orgs_visible(actor)
    ctx = {
        "page_title": "新建账户",
        "orgs": orgs,
        "role_choices": ROLE_CHOICES,
        "data": {},
        "roles": set(),
        "help": _password_help(),
    }
    if request.method == "POST":
        data = {k: request.POST.get(k, "").strip() for k in ("username", "display_name", "org")}
        roles = _posted_roles(request)
        ctx.update(data=data, roles=roles)
        field_errors = {}
        if not data["username"]:
            field_errors["username"] = "用户名不能为空"
        org = orgs.filter(pk=int(data["org"])).first() if data["org"].isdigit() else None
        if org is None:
            field_errors["org"] = "请选择所属单位"
        if not roles:
            field_errors["roles"] = "请至少选择一个角色"
        password = request.POST.get("password", "")
        if password != request.POST.get("password2", ""):
            field_errors["password"] = "两次输入的初始密码不一致"
        if field_errors:
            ctx.update(error="请更正下列错误", field_errors=field_errors)
        else:
            try:
                user = services.user_create(
                    username=data["username"],
                    display_name=data["display_name"],
                    org=org,
                    roles=roles,
                    password=password,
                    actor=actor,
                )
            except DomainError as e:
                ctx.update(error_context(e))
            else:
                messages.success(request, f"账户 {user.username} 已创建，首次登录后须修改密码")
                return redirect("admin_user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", ctx)


def _password_help() -> str:
    from zhifa.accounts.security import PolicyPasswordValidator

    return PolicyPasswordValidator().get_help_text()


@role_required(Role.SYSADMIN)
def user_detail(request, pk: int):
    target = get_object_or_404(selectors.users_visible(request.user), pk=pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "page_title": f"账户 {target.username}",
            "target": target,
            "role_choices": ROLE_CHOICES,
            "target_roles": target.role_codes(),
            "locked": bool(target.locked_until and target.locked_until > timezone.now())
            or target.username in throttle.usernames_locked(timezone.now()),
            "is_self": target.pk == request.user.pk,
            "help": _password_help(),
        },
    )


def _user_action(request, pk: int, action):
    target = get_object_or_404(selectors.users_visible(request.user), pk=pk)
    try:
        message = action(target)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, message)
    return redirect("admin_user_detail", pk=target.pk)


@require_POST
@role_required(Role.SYSADMIN)
def user_set_active(request, pk: int):
    active = request.POST.get("active") == "1"

    def act(target):
        services.user_set_active(
            user=target, active=active, actor=request.user, reason=request.POST.get("reason", "").strip()
        )
        return f"账户 {target.username} 已{'启用' if active else '停用'}"

    return _user_action(request, pk, act)


@require_POST
@role_required(Role.SYSADMIN)
def user_unlock(request, pk: int):
    def act(target):
        services.user_unlock(user=target, actor=request.user)
        return f"账户 {target.username} 已解锁"

    return _user_action(request, pk, act)


@require_POST
@role_required(Role.SYSADMIN)
def user_reset_password(request, pk: int):
    new = request.POST.get("new_password", "")

    def act(target):
        if new != request.POST.get("new_password2", ""):
            raise DomainError("accounts.password_mismatch", "两次输入的新密码不一致")
        services.user_reset_password(user=target, new_password=new, actor=request.user)
        return f"账户 {target.username} 的密码已重置，该用户下次登录时须修改密码"

    return _user_action(request, pk, act)


@require_POST
@role_required(Role.SYSADMIN)
def user_set_roles(request, pk: int):
    roles = _posted_roles(request)

    def act(target):
        if not roles:
            raise DomainError("accounts.no_role", "请至少选择一个角色")
        services.user_set_roles(user=target, roles=roles, actor=request.user)
        return f"账户 {target.username} 的角色已更新"

    return _user_action(request, pk, act)


# --- 单位管理 (系统管理员) ----------------------------------------------------------------------------

ORG_KIND_CHOICES = OrgKind.choices


@role_required(Role.SYSADMIN)
def org_tree(request):
    actor = request.user
    visible = selectors.orgs_visible(actor)
    ctx = {"page_title": "单位管理", "kind_choices": ORG_KIND_CHOICES, "parents": visible, "data": {}}
    if request.method == "POST":
        data = {
            k: request.POST.get(k, "").strip()
            for k in ("parent", "name", "kind", "short_name", "division_code", "uscc")
        }
        ctx["data"] = data
        parent = visible.filter(pk=int(data["parent"])).first() if data["parent"].isdigit() else None
        field_errors = {}
        if parent is None:
            field_errors["parent"] = "请选择上级单位"
        if not data["name"]:
            field_errors["name"] = "单位名称不能为空"
        if data["kind"] not in OrgKind.values:
            field_errors["kind"] = "请选择层级"
        if field_errors:
            ctx.update(error="请更正下列错误", field_errors=field_errors)
        else:
            try:
                org = services.org_create(
                    name=data["name"],
                    kind=data["kind"],
                    parent=parent,
                    short_name=data["short_name"],
                    division_code=data["division_code"],
                    uscc=data["uscc"],
                    actor=actor,
                )
            except DomainError as e:
                ctx.update(error_context(e))
            else:
                messages.success(request, f"已在“{parent}”下创建“{org}”")
                return redirect("admin_orgs")
    qs = visible.order_by("path")
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    if q:
        qs = qs.filter(name__contains=q)
    if kind in OrgKind.values:
        qs = qs.filter(kind=kind)
    base = request.user.org.depth if request.user.org else 0
    ctx.update(q=q, kind=kind, filtered=bool(q or kind))
    rows = MappedRows(qs, lambda orgs: [{"org": o, "indent": 1.5 * max(o.depth - base, 0)} for o in orgs])
    return list_page(request, "accounts/org_tree.html", rows, context=ctx, page_size=200)


@role_required(Role.SYSADMIN)
def org_edit(request, pk: int):
    """简称、行政区划代码、统一社会信用代码 of one unit (the code fills the 处罚机关/许可机关统一社会信用代码
    data item of the 双公示 records the unit publishes)."""
    org = get_object_or_404(selectors.orgs_visible(request.user), pk=pk)
    data = {k: getattr(org, k) for k in services.ORG_EDITABLE}
    ctx = {"page_title": f"修改单位 {org.name}", "org": org, "data": data, "field_errors": {}}
    if request.method == "POST":
        data = {k: request.POST.get(k, "").strip() for k in services.ORG_EDITABLE}
        ctx["data"] = data
        try:
            services.org_update(org=org, actor=request.user, **data)
        except DomainError as e:
            ctx.update(error_context(e))
            return render(request, "accounts/org_form.html", ctx, status=422)
        messages.success(request, f"单位“{org.name}”已保存")
        return redirect("admin_orgs")
    return render(request, "accounts/org_form.html", ctx)


# --- 安全策略 (安全管理员) ----------------------------------------------------------------------------

POLICY_INT_FIELDS = [f for f in services.POLICY_FIELDS if f != "totp_required_for_admins"]


@role_required(Role.SECADMIN)
def security_policy(request):
    try:  # installation-wide: the top unit's 安全管理员 only; a county's is told why (403)
        services.require_top_unit_admin(request.user, Role.SECADMIN, "安全策略")
    except DomainError as e:
        return render(request, "core/error.html", {"code": 403, "message": e.message}, status=403)
    policy = SecurityPolicy.current()
    labels = {f.name: f.verbose_name for f in SecurityPolicy._meta.get_fields() if hasattr(f, "verbose_name")}
    values = {f: getattr(policy, f) for f in services.POLICY_FIELDS}
    ctx = {"page_title": "安全策略", "policy": policy}
    if request.method == "POST":
        field_errors = {}
        new = {}
        for f in POLICY_INT_FIELDS:
            raw = request.POST.get(f, "").strip()
            values[f] = raw
            if not raw.isdigit():
                field_errors[f] = "应为非负整数"
            else:
                new[f] = int(raw)
        new["totp_required_for_admins"] = values["totp_required_for_admins"] = (
            request.POST.get("totp_required_for_admins") == "on"
        )
        if field_errors:
            ctx.update(error="请更正下列错误", field_errors=field_errors)
        else:
            try:
                services.policy_update(actor=request.user, **new)
            except DomainError as e:
                ctx.update(error_context(e))
            else:
                messages.success(request, "安全策略已保存，即时生效")
                return redirect("security_policy")
    errors = ctx.get("field_errors", {})
    ctx["fields"] = [
        {"name": f, "label": labels.get(f, f), "value": values[f], "error": errors.get(f, "")}
        for f in POLICY_INT_FIELDS
    ]
    ctx["totp_required"] = values["totp_required_for_admins"]
    return render(request, "accounts/security_policy.html", ctx)


# --- 动态口令 (every user) --------------------------------------------------------------------------

SESSION_TOTP_KEY = "totp_pending_secret"


@login_required
def totp_bind(request):
    user = request.user
    secret = request.session.get(SESSION_TOTP_KEY)
    ctx = {"page_title": "绑定动态口令"}
    if request.method == "POST" and request.POST.get("action") == "renew":
        secret = None
    elif request.method == "POST" and secret:
        try:
            services.totp_enable(user=user, secret=secret, code=request.POST.get("code", ""))
        except DomainError as e:
            ctx.update(error_context(e))
        else:
            request.session.pop(SESSION_TOTP_KEY, None)
            messages.success(request, "动态口令已绑定，今后登录时须填写动态口令")
            return redirect("account_totp")
    if not secret:
        secret = services.totp_begin()
        request.session[SESSION_TOTP_KEY] = secret
    ctx.update(
        secret=secret,
        uri=totp_uri(secret, user.get_username()),
        enabled=user.totp_enabled,
        grouped=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    )
    return render(request, "accounts/totp.html", ctx)
