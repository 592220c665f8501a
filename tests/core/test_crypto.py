"""Known-answer tests from GB/T 32905-2016 (SM3) and GB/T 32907-2016 (SM4), appendix A."""

import hashlib

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from zhifa.core import crypto

SM3_ABC = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
SM3_ABCD16 = "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"


def test_sm3_known_answers_through_pyca_and_hashlib():
    assert crypto.sm3_hex(b"abc") == SM3_ABC
    assert crypto.sm3_hex(b"abcd" * 16) == SM3_ABCD16
    assert crypto.SM3_AVAILABLE, "this platform's OpenSSL should offer SM3 (security.md B4)"
    assert crypto.digest_bytes(b"abc") == SM3_ABC
    assert crypto.DIGEST_ALGORITHM == "SM3"


def test_sm4_known_answer_single_block_and_million_iterations():
    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    assert crypto.sm4_ecb_encrypt_block(key, key).hex() == "681edf34d206965e86b3e94f536e4246"
    enc = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()
    block = key
    for _ in range(1_000_000):
        block = enc.update(block)
    assert block.hex() == "595298c7c6fd271f0402f804c33d3f66"


def test_field_encryption_round_trip_is_randomised_and_bound_to_its_purpose(settings):
    a = crypto.encrypt_field("11010519491231002X", purpose="person.idcard")
    b = crypto.encrypt_field("11010519491231002X", purpose="person.idcard")
    assert a != b and a.startswith("sm4gcm:")
    assert crypto.decrypt_field(a, purpose="person.idcard") == "11010519491231002X"
    with pytest.raises(InvalidTag):
        crypto.decrypt_field(a, purpose="officer.idcard")
    tampered = a[:-6] + ("A" if a[-6] != "A" else "B") + a[-5:]
    with pytest.raises((InvalidTag, ValueError)):
        crypto.decrypt_field(tampered, purpose="person.idcard")


def test_blind_index_is_stable_and_keyed(settings):
    one = crypto.blind_index("11010519491231002X", purpose="person.idcard")
    assert one == crypto.blind_index("11010519491231002X", purpose="person.idcard")
    assert one != crypto.blind_index("11010519491231002X", purpose="officer.idcard")
    settings.ZHIFA_FIELD_KEY = "00" * 16
    assert one != crypto.blind_index("11010519491231002X", purpose="person.idcard")


def test_sm3_password_hasher_round_trip(settings):
    from django.contrib.auth.hashers import check_password, make_password

    from zhifa.core.hashers import PBKDF2SM3PasswordHasher

    settings.PASSWORD_HASHERS = ["zhifa.core.hashers.PBKDF2SM3PasswordHasher"]
    encoded = PBKDF2SM3PasswordHasher().encode("Zhifa@2026", "saltsaltsalt", iterations=1000)
    assert encoded.startswith("pbkdf2_sm3$1000$saltsaltsalt$")
    expected = hashlib.pbkdf2_hmac("sm3", b"Zhifa@2026", b"saltsaltsalt", 1000)
    import base64

    assert encoded.rsplit("$", 1)[1] == base64.b64encode(expected).decode()
    assert check_password("Zhifa@2026", encoded)
    assert not check_password("zhifa@2026", encoded)
    assert make_password("x").startswith("pbkdf2_sm3$")
