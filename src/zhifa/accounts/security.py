"""Authentication policy: password complexity, history and expiry, lockout, TOTP (等保 8.1.4.1).

GB/T 22239-2019 §8.1.4.1 a (complexity, periodic change), b (login-failure handling, session timeout),
d (two factors). The numbers live in ``SecurityPolicy`` (set by the 安全管理员).
"""

from __future__ import annotations

import base64
import hmac
import os
import struct
import time

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

from zhifa.accounts.models import PasswordHistory, SecurityPolicy

_CLASSES = (
    ("大写字母", str.isupper),
    ("小写字母", str.islower),
    ("数字", str.isdigit),
    ("特殊符号", lambda c: not c.isalnum()),
)


def password_problems(password: str, policy: SecurityPolicy | None = None) -> list[str]:
    policy = policy or SecurityPolicy.current()
    problems = []
    if len(password) < policy.password_min_length:
        problems.append(f"长度至少 {policy.password_min_length} 位")
    present = [name for name, test in _CLASSES if any(test(c) for c in password if c.isascii())]
    if len(present) < policy.password_min_classes:
        problems.append(f"须包含大写字母、小写字母、数字、特殊符号中的至少 {policy.password_min_classes} 类"
                        f"（当前 {len(present)} 类）")
    return problems


class PolicyPasswordValidator:
    """Django password validator backed by the security admin's policy."""

    def validate(self, password, user=None):
        problems = password_problems(password)
        if problems:
            raise ValidationError("；".join(problems), code="password_policy")
        if user is not None and user.pk:
            n = SecurityPolicy.current().password_history
            if n and any(check_password(password, h.encoded) for h in user.password_history.all()[:n]):
                raise ValidationError(f"不能使用最近 {n} 次用过的密码", code="password_reused")

    def get_help_text(self):
        p = SecurityPolicy.current()
        return (f"密码至少 {p.password_min_length} 位，包含大写字母、小写字母、数字、特殊符号中的至少 "
                f"{p.password_min_classes} 类，且不得与最近 {p.password_history} 次密码相同。")


def remember_password(user) -> None:
    PasswordHistory.objects.create(user=user, encoded=user.password)
    keep = max(SecurityPolicy.current().password_history, 1)
    stale = list(user.password_history.values_list("pk", flat=True)[keep:])
    if stale:
        PasswordHistory.objects.filter(pk__in=stale).delete()


# --- TOTP, RFC 6238 (HMAC-SHA1, 30 s, 6 digits: what authenticator apps implement) ---------------
# 等保 accepts TOTP as the second factor; 密评 prefers an SM3 dynamic password (GM/T 0021), which
# needs tokens that implement it: a later option, named in the README.

def totp_new_secret() -> str:
    return base64.b32encode(os.urandom(20)).decode("ascii").rstrip("=")


def totp_code(secret_b32: str, *, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8), casefold=True)
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(key, struct.pack(">Q", counter), "sha1").digest()
    offset = mac[-1] & 0x0F
    value = (struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % (10**digits)
    return str(value).zfill(digits)


def totp_verify(secret_b32: str, code: str, *, at: float | None = None, window: int = 1) -> bool:
    now = time.time() if at is None else at
    code = (code or "").strip()
    return any(hmac.compare_digest(totp_code(secret_b32, at=now + k * 30), code)
               for k in range(-window, window + 1))


def totp_uri(secret_b32: str, username: str, issuer: str = "zhifa") -> str:
    return f"otpauth://totp/{issuer}:{username}?secret={secret_b32}&issuer={issuer}"
