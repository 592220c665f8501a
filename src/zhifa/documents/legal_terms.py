"""Legal periods and rates printed on documents, read from the rules library (``zhifa.rules``).

Documents state these in words (``十五日``); the numbers are the rules library's procedure parameters
(rule data with article, confidence and effective dates; a deployment may override one with
``ZHIFA_RULE_<NAME>``), so a document and the case clock computed from the same parameter cannot disagree.
The service puts them in every rendering context as ``law.<key>``; a caller may override one.

``law.<key>`` ← parameter (article, confirmed with the ``search`` tool where marked in the rule data):

* ``hearing_request_period`` ← ``hearing_request_period`` (处罚法 Art 64(1), 五日)
* ``hearing_notice_days`` ← ``hearing_notice_before`` (处罚法 Art 64(2), 七日)
* ``payment_period`` ← ``payment_period`` (处罚法 Art 67 para 3, 十五日)
* ``surcharge_rate`` ← ``late_payment_rate`` (处罚法 Art 72 para 1(1), 百分之三)
* ``service_period`` ← ``service_absent_party`` (处罚法 Art 61 para 1, 七日)
* ``review_period`` ← ``reconsideration_period`` (复议法 2023 Art 20 para 1 / 1999 Art 9, 六十日)
* ``litigation_period`` ← ``litigation_period`` (诉讼法 Art 46 para 1, 六个月)
* ``reminder_period`` ← ``court_enforcement_reminder_wait`` (强制法 Art 35 asks the 催告书 to state a
  period without fixing one; Art 54 allows the court application 十日 after service — the period printed)
* ``public_notice_period`` ← ``public_notice_service_period`` (民事诉讼法 Art 95 via 处罚法 Art 61, 三十日 since
  2022-01-01; 六十日 before, Art 92 of the 2017 text)
"""

from __future__ import annotations

from datetime import date

# law.<key> on a document -> the rules library's parameter
PARAMS: dict[str, str] = {
    "hearing_request_period": "hearing_request_period",
    "hearing_notice_days": "hearing_notice_before",
    "payment_period": "payment_period",
    "surcharge_rate": "late_payment_rate",
    "service_period": "service_absent_party",
    "review_period": "reconsideration_period",
    "litigation_period": "litigation_period",
    "reminder_period": "court_enforcement_reminder_wait",
    "public_notice_period": "public_notice_service_period",
}

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """0–9999 in Chinese numerals as written in statutes: 5 → 五, 10 → 十, 15 → 十五, 60 → 六十, 105 → 一百零五."""
    n = int(n)
    if not 0 <= n <= 9999:
        return str(n)
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n - 10] if n > 10 else "")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            if zero and out:
                out += "零"
            out += _DIGITS[d] + unit
            zero = False
        elif out:
            zero = True
    return out


def words(value: int, unit: str) -> str:
    """A parameter's value as printed: 十五日, 六个月, 百分之三, 二年."""
    n = chinese_number(value)
    if unit == "day":
        return f"{n}日"
    if unit == "month":
        return f"{n}个月"
    if unit == "year":
        return f"{n}年"
    if unit in ("percent", "percent_per_day"):
        return f"百分之{n}"
    return n


def terms_on(on: date, *, province: str | None = None) -> dict[str, str]:
    """``{key: text}`` in force on ``on``; a parameter not in force on that date is left out (the
    template then prints a blank line to be completed by hand, never a wrong period)."""
    from zhifa.rules.params import procedure_params

    found = procedure_params(tuple(PARAMS.values()), on=on, province=province)
    return {key: words(found[name].value, found[name].unit) for key, name in PARAMS.items() if name in found}


def articles(on: date | None = None) -> dict[str, str]:
    """``{key: article}`` of the parameters behind the printed periods."""
    from zhifa.rules.params import procedure_params

    found = procedure_params(tuple(PARAMS.values()), on=on)
    return {key: found[name].article for key, name in PARAMS.items() if name in found}
