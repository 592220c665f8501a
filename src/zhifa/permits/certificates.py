"""电子证照: a licence as a signed PDF anyone can check.

The PDF carries the certificate's data items (照面信息) and its identifier, drawn with fpdf2 and the vendored
WenQuanYi font (nothing fetched at run time), a QR code (segno) to the public verification page, and an SM2
signature (GB/T 32918, with SM3 and the default ID, through the pure-Python ``gmssl``; PyCA cryptography has
no SM2) over every byte before it. The signature trails the PDF after ``%%EOF`` as a comment line, which PDF
readers ignore, so the file opens everywhere and one changed byte anywhere breaks the check.

Data items follow GB/T 36902 (目录信息: 证照名称, 证照编号, 持证主体, 持证主体代码, 颁发机构, 颁发日期, 有效期)
and GB/T 36903 (元数据: 证照标识) as far as confirmed (complaints-permits.md §2.3); the identifier's exact
structure in GB/T 36904 is unconfirmed: ours is 证照类型代码.颁发机构行政区划代码.证号.校验位 — marked as local.

Keys: ZHIFA_PERMITS_SM2_KEY_FILE names a file holding the bureau's private key (64 hex digits); without it a
key is generated once under ZHIFA_DATA_DIR/keys/ (demo). The public key is derived from it.
"""

from __future__ import annotations

import io
import os
import re
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings

from zhifa.core.crypto import sm3_hex

FONT = Path(__file__).parent / "static" / "permits" / "fonts" / "wqy-microhei-gb2312.ttf"
SIG_MARK = b"\n%ZHIFA-SM2-SIGNATURE "
_SIG_RE = re.compile(rb"\n%ZHIFA-SM2-SIGNATURE ([0-9a-f]{128}) ([0-9a-f]{128})\n$")
VERIFY_PATH = "/public/permits/verify/"
_SM2_N = int("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123", 16)
KIND_CODES = {"business_permit": "JYXK", "vehicle_cert": "YSZ", "qualification": "CYZG"}


def _key_file() -> Path:
    explicit = os.environ.get("ZHIFA_PERMITS_SM2_KEY_FILE")
    return Path(explicit) if explicit else Path(settings.DATA_DIR) / "keys" / "permits-sm2.key"


def private_key() -> str:
    path = _key_file()
    if not path.exists():
        if os.environ.get("ZHIFA_PERMITS_SM2_KEY_FILE"):
            raise RuntimeError(f"电子证照签名私钥文件 {path} 不存在（ZHIFA_PERMITS_SM2_KEY_FILE）")
        path.parent.mkdir(parents=True, exist_ok=True)
        key = f"{secrets.randbelow(_SM2_N - 2) + 1:064x}"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(key + "\n")
    key = path.read_text().strip().lower()
    if not re.fullmatch(r"[0-9a-f]{64}", key):
        raise RuntimeError(f"电子证照签名私钥文件 {path} 格式有误：应为64位十六进制数")
    return key


def public_key(priv: str | None = None) -> str:
    from gmssl import sm2

    priv = priv or private_key()
    crypt = sm2.CryptSM2(private_key=priv, public_key="")
    return crypt._kg(int(priv, 16), sm2.default_ecc_table["g"])


def sign(data: bytes) -> str:
    from gmssl import func, sm2

    priv = private_key()
    crypt = sm2.CryptSM2(private_key=priv, public_key=public_key(priv))
    return crypt.sign_with_sm3(data, func.random_hex(crypt.para_len))


def signature_ok(data: bytes, signature: str, pub: str) -> bool:
    from gmssl import sm2

    try:
        return bool(sm2.CryptSM2(private_key="", public_key=pub).verify_with_sm3(signature, data))
    except Exception:  # a malformed signature is a failed check, not a crash
        return False


def cert_id_for(kind: str, division: str, number: str) -> str:
    base = f"{KIND_CODES.get(kind, 'QT')}.{division or '000000'}.{number}"
    check = int(sm3_hex(base.encode())[:8], 16) % 97
    return f"{base}.{check:02d}"


def data_items(licence, application=None) -> list[tuple[str, str]]:
    holder = licence.enterprise or licence.vehicle or licence.person
    holder_code = (
        getattr(holder, "uscc", "") or getattr(holder, "plate", "") or getattr(holder, "idcard_masked", "")
    )
    items = [
        ("证照名称", licence.get_kind_display()),
        ("证照编号", licence.number),
        ("持证主体", str(getattr(holder, "name", "") or holder or "")),
        ("持证主体代码", holder_code),
        ("经营范围/许可内容", licence.scope or ""),
        ("颁发机构", licence.issuing_authority),
        ("有效期自", f"{licence.valid_from:%Y-%m-%d}"),
        ("有效期至", f"{licence.valid_to:%Y-%m-%d}"),
    ]
    if application is not None:
        items.append(("许可决定书文号", application.decision_no))
    return items


def render_pdf(*, cert_id: str, items: list[tuple[str, str]], issued_on: date, url: str) -> bytes:
    """The unsigned PDF (deterministic: fixed creation date, so the same inputs give the same bytes)."""
    import segno
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(__import__("datetime").datetime(issued_on.year, issued_on.month, issued_on.day))
    pdf.set_title(f"电子证照 {cert_id}")
    pdf.set_subject(url)
    pdf.set_keywords(cert_id)
    pdf.set_creator("zhifa")
    pdf.add_font("wqy", "", str(FONT))
    pdf.add_page()
    pdf.set_font("wqy", size=22)
    pdf.cell(0, 18, items[0][1], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("wqy", size=10)
    pdf.cell(0, 8, f"电子证照标识：{cert_id}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("wqy", size=12)
    for label, value in items[1:]:
        pdf.cell(45, 10, label, border=1)
        pdf.multi_cell(0, 10, value or "—", border=1, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    qr = io.BytesIO()
    segno.make(url, error="m").save(qr, kind="png", scale=4, border=2)
    qr.seek(0)
    y = pdf.get_y()
    pdf.image(qr, x=15, y=y, w=40, h=40)
    pdf.set_xy(60, y + 4)
    pdf.set_font("wqy", size=10)
    pdf.multi_cell(
        0,
        6,
        f"扫描二维码或访问以下地址核验本证照的状态和签名：\n{url}\n"
        f"签发日期：{issued_on:%Y-%m-%d}　签名算法：SM2（SM3 摘要）",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())


def seal(unsigned: bytes) -> bytes:
    """The PDF with its SM2 signature and the signer's public key appended after %%EOF."""
    return unsigned + SIG_MARK + f"{sign(unsigned)} {public_key()}".encode() + b"\n"


@dataclass
class Check:
    ok: bool
    reason: str
    cert_id: str = ""
    digest: str = ""


def verify_bytes(data: bytes, *, trusted_key: str | None = None) -> Check:
    """Offline check of an 电子证照 PDF: its signature over every byte before it, by the trusted key (this
    installation's unless given). Returns the reason in Chinese."""
    m = _SIG_RE.search(data)
    if not data.startswith(b"%PDF") or m is None:
        return Check(False, "不是本系统签发的电子证照（缺少SM2签名）")
    body = data[: m.start()]
    signature, pub = m.group(1).decode(), m.group(2).decode()
    trusted = (trusted_key or public_key()).lower()
    cid = re.search(rb"/Keywords \((?:\xfe\xff)?([^)]*)\)", body)
    cert_id = ""
    if cid:
        raw = cid.group(1)
        cert_id = raw.decode("utf-16-be", "replace") if b"\x00" in raw else raw.decode("latin-1")
    if pub != trusted:
        return Check(False, "签名公钥不是本局的证照签名公钥", cert_id)
    if not signature_ok(body, signature, pub):
        return Check(False, "签名验证失败：文件内容已被改动", cert_id)
    return Check(True, "签名有效（SM2）", cert_id, sm3_hex(body))


def certificate_issue(*, licence, application, on: date, actor=None, base_url: str = ""):
    """Make (or remake, after a change) the 电子证照 of ``licence``; audited."""
    from zhifa.core.audit import audit_record

    from .models import Certificate

    division = ""
    if application is not None:
        division = application.org.division_code
    cert_id = cert_id_for(licence.kind, division, licence.number)
    base = (base_url or os.environ.get("ZHIFA_PUBLIC_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")
    url = f"{base}{VERIFY_PATH}{cert_id}/"
    items = data_items(licence, application)
    pdf = seal(render_pdf(cert_id=cert_id, items=items, issued_on=on, url=url))
    cert, _ = Certificate.objects.update_or_create(
        cert_id=cert_id,
        defaults={
            "licence": licence,
            "application": application,
            "issued_on": on,
            "data": dict(items),
            "pdf": pdf,
            "digest": sm3_hex(pdf),
            "public_key": public_key(),
        },
    )
    audit_record(
        action="permits.certificate",
        actor=actor,
        target=cert,
        detail={"cert_id": cert_id, "licence": licence.pk, "digest": cert.digest},
    )
    return cert


def status_of(licence, on: date) -> str:
    """有效 / 暂扣 / 撤销 / 吊销 / 注销 / 过期 as the verification page shows it."""
    from zhifa.registry.enums import LicenceStatus

    if licence.status == LicenceStatus.VALID and licence.valid_to < on:
        return "过期"
    return licence.get_status_display()
