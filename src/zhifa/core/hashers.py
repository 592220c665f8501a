"""Password hasher PBKDF2-HMAC-SM3 (密评 GB/T 39786-2021 §8.4 a: verifiers stored with SM3).

Listed first in PASSWORD_HASHERS only where the runtime's OpenSSL offers SM3 (see settings).
"""

from __future__ import annotations

import hashlib
import os

from django.contrib.auth.hashers import PBKDF2PasswordHasher


def _sm3(data: bytes = b""):
    return hashlib.new("sm3", data)


class PBKDF2SM3PasswordHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sm3"
    iterations = int(os.environ.get("ZHIFA_PASSWORD_ITERATIONS", "600000"))
    digest = staticmethod(_sm3)
