"""Organisations, users and roles, the security policy, API tokens, officers and their certificates."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from zhifa.accounts.enums import CertField, OfficerStatus, OrgKind, ReviewStatus, Role


class Org(models.Model):
    """A unit of the tree 省 → 市 → 县/区 → 交通运输局 → 综合行政执法大队 → 中队.

    ``path`` is a materialised path (``/1/4/9/``) so a unit's subtree is one indexed prefix query.
    """

    name = models.CharField("单位名称", max_length=100)
    short_name = models.CharField("简称（文号用字）", max_length=20, blank=True)
    kind = models.CharField("层级", max_length=20, choices=OrgKind.choices)
    division_code = models.CharField("行政区划代码", max_length=6, blank=True)
    # GB 32100-2015, checked by zhifa.core.identifiers.validate_uscc; the 处罚机关/许可机关统一社会信用代码 of
    # the 双公示 data items. Internal units (大队 under a 局, 中队) usually have none.
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    # Where a party states its case, asks about a notice or pays (违法行为通知书, 决定书: issue 14).
    address = models.CharField("办公地址（当事人陈述申辩、听证联系地点）", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["path"]
        verbose_name = "单位"
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="org_unique_name_in_parent"),
            models.UniqueConstraint(
                fields=["uscc"],
                condition=~models.Q(uscc=""),
                name="org_unique_uscc",
                violation_error_message="统一社会信用代码已由其他单位使用",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_within(self, other: Org) -> bool:
        """True when self is ``other`` or one of its sub-units."""
        return self.path.startswith(other.path)


class User(AbstractUser):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, null=True, blank=True, related_name="users",
                            verbose_name="所属单位")
    display_name = models.CharField("姓名", max_length=50, blank=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    failed_logins = models.PositiveSmallIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    totp_secret = models.CharField("动态口令密钥（加密）", max_length=200, blank=True)
    totp_enabled = models.BooleanField("启用动态口令", default=False)
    is_machine = models.BooleanField("机器账户", default=False,
                                     help_text="治超站点、车载终端网关、上下级平台等接口调用方")

    class Meta:
        verbose_name = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

    def role_codes(self) -> set[str]:
        cache = getattr(self, "_role_cache", None)
        if cache is None:
            cache = set(self.roles.values_list("role", flat=True)) if self.pk else set()
            self._role_cache = cache
        return cache

    def role_labels(self) -> list[str]:
        return [Role(r).label for r in sorted(self.role_codes())]

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes() & set(roles))


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="userrole_unique")]
        verbose_name = "用户角色"

    def __str__(self) -> str:
        return f"{self.user_id}:{self.get_role_display()}"


class SecurityPolicy(models.Model):
    """The one security policy, set by the 安全管理员 (defaults: shared/domain/security.md B1, which
    notes that GB/T 22239 gives no numbers; these are the values assessors usually accept)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    password_min_length = models.PositiveSmallIntegerField("密码最小长度", default=8)
    password_min_classes = models.PositiveSmallIntegerField("至少包含字符类别数（大写/小写/数字/符号）", default=3)
    password_max_age_days = models.PositiveSmallIntegerField("密码有效期（天，0为不过期）", default=90)
    password_history = models.PositiveSmallIntegerField("不得重复使用最近几次密码", default=5)
    lockout_threshold = models.PositiveSmallIntegerField("连续失败锁定次数", default=5)
    lockout_minutes = models.PositiveSmallIntegerField("锁定时长（分钟）", default=30)
    idle_timeout_minutes = models.PositiveSmallIntegerField("空闲超时（分钟）", default=30)
    totp_required_for_admins = models.BooleanField("管理员必须启用动态口令", default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=150, blank=True)

    class Meta:
        verbose_name = "安全策略"

    def __str__(self) -> str:
        return "安全策略"

    @classmethod
    def current(cls) -> SecurityPolicy:
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj


class PasswordHistory(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    encoded = models.CharField(max_length=256)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.created_at:%Y-%m-%d}"


class ApiToken(models.Model):
    """Bearer token of a machine client or user; only a digest of the secret is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("过期时间", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"


class Officer(models.Model):
    """A law-enforcement officer (执法人员) of a unit; may or may not have a login account."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="officers", verbose_name="所在单位")
    user = models.OneToOneField(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="officer")
    name = models.CharField("姓名", max_length=50)
    idcard_enc = models.CharField("身份证号（加密）", max_length=200)
    idcard_index = models.CharField(max_length=64, unique=True)
    idcard_masked = models.CharField("身份证号", max_length=18)
    position = models.CharField("职务", max_length=50, blank=True)
    status = models.CharField("状态", max_length=10, choices=OfficerStatus.choices, default=OfficerStatus.ACTIVE)
    left_on = models.DateField("调离日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["org__path", "name"]
        verbose_name = "执法人员"

    def __str__(self) -> str:
        return self.name


class Certificate(models.Model):
    """执法证 (administrative law-enforcement certificate)."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="certificates")
    number = models.CharField("证件号", max_length=30, unique=True)
    issuing_authority = models.CharField("发证机关", max_length=100)
    field = models.CharField("执法门类", max_length=20, choices=CertField.choices)
    valid_from = models.DateField("有效期起")
    valid_to = models.DateField("有效期至")
    review_status = models.CharField("年审状态", max_length=10, choices=ReviewStatus.choices,
                                     default=ReviewStatus.PASSED)
    reviewed_on = models.DateField("最近年审日期", null=True, blank=True)
    withdrawn_on = models.DateField("收缴日期", null=True, blank=True)
    withdraw_reason = models.CharField("收缴原因", max_length=200, blank=True)

    class Meta:
        ordering = ["-valid_to"]
        verbose_name = "执法证"

    def __str__(self) -> str:
        return self.number


class LoginThrottle(models.Model):
    """Failed sign-ins counted per key (issue 16 item 6): ``acct:<username>|<address>`` — one username from
    one address, locked after the policy's threshold — and ``addr:<address>`` — every username from one
    address, locked after four times the threshold. A stranger's failures therefore lock the stranger's
    address, never the account for its owner at another address; unknown usernames are counted exactly as
    known ones, so "locked" reveals nothing about which accounts exist."""

    key = models.CharField(max_length=250, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_start = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "登录失败计数"

    def __str__(self) -> str:
        return self.key
