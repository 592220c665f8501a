"""Names of the audit actions of 行政许可."""

from zhifa.core.audit import register_action_labels

LABELS = {
    "permits.item_version": "行政许可：修订许可事项",
    "permits.submit": "行政许可：收到申请",
    "permits.correction": "行政许可：一次性告知补正",
    "permits.corrected": "行政许可：补正齐全",
    "permits.accept": "行政许可：受理",
    "permits.not_accept": "行政许可：不予受理",
    "permits.pause": "行政许可：登记不计入期限的期间",
    "permits.extend": "行政许可：延长决定期限",
    "permits.grant": "行政许可：准予许可",
    "permits.refuse": "行政许可：不予许可",
    "permits.issue": "行政许可：发证",
    "permits.certificate": "行政许可：签发电子证照",
    "permits.postcheck": "行政许可：告知承诺事后核查",
    "permits.annul": "行政许可：承诺不实撤销许可",
    "permits.rate": "行政许可：好差评",
    "permits.callback": "行政许可：差评回访",
    "permits.fix": "行政许可：差评整改",
    "permits.step": "行政许可：办理",
}

# services._step writes ``permits.{step}`` (an f-string): the prefix names exactly the codes above.
register_action_labels(LABELS, prefixes={"permits.": lambda rest: LABELS.get(f"permits.{rest}", "")})
