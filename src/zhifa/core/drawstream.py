"""The pure core of zhifa's verifiable draws: SM3, canonical JSON and the counter-mode random stream.

Moved down from inspections/draw.py (the specification is inspections/ALGORITHM.md) so that another feeder
— the JT/T 809 scheduled 查岗 of monitoring — draws with the same, published stream. No Django, no clock.
"""

from __future__ import annotations

import hashlib
import json

_TWO64 = 1 << 64


# --- SM3 and canonical JSON ------------------------------------------------------------------------


def _sm3_hashlib_ok() -> bool:
    try:
        return hashlib.new("sm3", b"abc").hexdigest().startswith("66c7f0f4")
    except (ValueError, TypeError):
        return False


if _sm3_hashlib_ok():

    def sm3(data: bytes) -> bytes:
        return hashlib.new("sm3", data).digest()

else:  # pragma: no cover - depends on the runtime's OpenSSL
    from cryptography.hazmat.primitives import hashes

    def sm3(data: bytes) -> bytes:
        h = hashes.Hash(hashes.SM3())
        h.update(data)
        return h.finalize()


def canonical(value) -> bytes:
    """Canonical JSON: UTF-8, keys sorted, no spaces, non-ASCII kept; only str/int/bool/null/list/dict."""
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def digest(value) -> str:
    return sm3(canonical(value)).hex()


# --- the random stream -----------------------------------------------------------------------------


class Stream:
    """Counter-mode SM3: block_i = SM3(seed || UTF-8(label) || 0x00 || uint64_be(i)), each block read as
    four big-endian unsigned 64-bit words, in order."""

    __slots__ = ("_prefix", "_counter", "_words")

    def __init__(self, seed: bytes, label: str):
        self._prefix = seed + label.encode("utf-8") + b"\x00"
        self._counter = 0
        self._words: list[int] = []

    def word(self) -> int:
        if not self._words:
            block = sm3(self._prefix + self._counter.to_bytes(8, "big"))
            self._counter += 1
            # reversed so that pop() yields words 0, 1, 2, 3
            self._words = [int.from_bytes(block[i : i + 8], "big") for i in (24, 16, 8, 0)]
        return self._words.pop()

    def below(self, n: int) -> int:
        """Uniform integer in [0, n) by rejection: draw words until one is < 2^64 - (2^64 mod n)."""
        if n < 1:
            raise ValueError("n must be >= 1")
        limit = _TWO64 - (_TWO64 % n)
        while True:
            w = self.word()
            if w < limit:
                return w % n
