"""Cryptography behind one small interface: SM3 digests/HMAC and SM4-GCM field encryption.

密评 (GB/T 39786-2021 §8.4) expects 国密 algorithms for stored-data confidentiality (SM4) and integrity
(SM3/HMAC-SM3). PyCA ``cryptography`` provides both (known-answer tests in tests/core/test_crypto.py,
vectors from GB/T 32905-2016 and GB/T 32907-2016 appendix A). Where a runtime's OpenSSL lacks SM3, the
digest falls back to SHA-256 and says so in ``DIGEST_ALGORITHM``; SM4 has no fallback (startup fails
loudly rather than storing personal data in clear).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from typing import BinaryIO

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def _sm3_available() -> bool:
    try:
        return hashlib.new("sm3", b"abc").hexdigest().startswith("66c7f0f4")
    except (ValueError, TypeError):
        return False


SM3_AVAILABLE = _sm3_available()
DIGEST_ALGORITHM = "SM3" if SM3_AVAILABLE else "SHA-256"
_HASHLIB_NAME = "sm3" if SM3_AVAILABLE else "sha256"


def new_digest():
    """A streaming hash object of the platform's digest algorithm (SM3 where available)."""
    return hashlib.new(_HASHLIB_NAME)


def digest_bytes(data: bytes) -> str:
    return hashlib.new(_HASHLIB_NAME, data).hexdigest()


def digest_stream(stream: BinaryIO, chunk_size: int = 1 << 20) -> str:
    h = new_digest()
    for chunk in iter(lambda: stream.read(chunk_size), b""):
        h.update(chunk)
    return h.hexdigest()


def hmac_hex(key: bytes, data: bytes) -> str:
    """HMAC-SM3 (HMAC-SHA256 where SM3 is missing)."""
    return hmac.new(key, data, _HASHLIB_NAME).hexdigest()


def sm3_hex(data: bytes) -> str:
    """SM3 through PyCA (independent of hashlib's OpenSSL build)."""
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize().hex()


def _key(key_hex: str) -> bytes:
    key = bytes.fromhex(key_hex)
    if len(key) != 16:
        raise ValueError("SM4 密钥必须是16字节（32个十六进制字符）")
    return key


def sm4_ecb_encrypt_block(key: bytes, block: bytes) -> bytes:
    """One raw SM4 block (used only by the known-answer tests)."""
    enc = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()
    return enc.update(block) + enc.finalize()


def sm4_gcm_encrypt(key_hex: str, plaintext: str, *, aad: bytes = b"") -> str:
    """Encrypt text with SM4-GCM; returns ``sm4gcm:`` + base64(nonce || ciphertext || tag)."""
    nonce = os.urandom(12)
    enc = Cipher(algorithms.SM4(_key(key_hex)), modes.GCM(nonce)).encryptor()
    if aad:
        enc.authenticate_additional_data(aad)
    ct = enc.update(plaintext.encode("utf-8")) + enc.finalize()
    return "sm4gcm:" + base64.b64encode(nonce + ct + enc.tag).decode("ascii")


def sm4_gcm_decrypt(key_hex: str, token: str, *, aad: bytes = b"") -> str:
    if not token.startswith("sm4gcm:"):
        raise ValueError("密文格式不正确")
    raw = base64.b64decode(token[7:])
    nonce, ct, tag = raw[:12], raw[12:-16], raw[-16:]
    dec = Cipher(algorithms.SM4(_key(key_hex)), modes.GCM(nonce, tag)).decryptor()
    if aad:
        dec.authenticate_additional_data(aad)
    return (dec.update(ct) + dec.finalize()).decode("utf-8")


def field_key() -> str:
    from django.conf import settings

    return settings.ZHIFA_FIELD_KEY


def encrypt_field(plaintext: str, *, purpose: str) -> str:
    """Encrypt a personal field (e.g. 身份证号) for storage; ``purpose`` binds it to its column."""
    return sm4_gcm_encrypt(field_key(), plaintext, aad=purpose.encode())


def decrypt_field(token: str, *, purpose: str) -> str:
    return sm4_gcm_decrypt(field_key(), token, aad=purpose.encode())


def blind_index(value: str, *, purpose: str) -> str:
    """Keyed digest of a personal value so it can be looked up and kept unique without decrypting."""
    return hmac_hex(bytes.fromhex(field_key()) + purpose.encode(), value.encode("utf-8"))
