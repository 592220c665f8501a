"""The clocks of a work order as rule data: every period is a procedure parameter of the rules library
(``rules/data/national.json``, province files, ``ZHIFA_RULE_<NAME>``) with its article, day type and
confidence; this module only says which parameter applies to which order and counts it with
``core.calendar`` (start day not counted, 民法典第二百零一条), each result explained.

* 信访 (letters, visits, the portal, walk-in, phone, transfers): 信访工作条例 Arts 22–23 (15 days to tell
  acceptance), 34 (60 days to close, + at most 30 on the head's approval), 35–36 (复查 / 复核 30 + 30).
* 12345: 国办发〔2020〕53号 requires 限时办理 without national day numbers — per-city configuration, defaults
  from 广东's 办法 (2 / 10 / 15 working days by category), marked unconfirmed nationally.
* 12328: 交运发〔2021〕89号 not obtained — configurable, marked unconfirmed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from zhifa.core.calendar import add_days, add_workdays
from zhifa.rules.params import Param, procedure_param

from .enums import Category, Channel, Track


@dataclass(frozen=True)
class TrackRule:
    label: str
    ack_param: str  # "" = acceptance is immediate (the hotline centre already accepted it)
    period_by_category: dict[str, str]
    extension_param: str
    revisit_required: bool
    revisit_source: str
    counts_from_acceptance: bool  # 信访: from 受理; hotlines: from 收到


_HOTLINE_SOURCE = ("国办发〔2020〕53号：受理、派单、办理、回复、办结、回访、评价的闭环；12328热线以“抽查回访率、"
                   "回访满意率”考评（交通运输部通报）")

TRACKS: dict[str, TrackRule] = {
    Track.XINFANG: TrackRule(
        label="信访事项",
        ack_param="complaint_xinfang_ack_period",
        period_by_category={c: "complaint_xinfang_handle_period" for c in Category.values},
        extension_param="complaint_xinfang_extension_max",
        revisit_required=False,
        revisit_source="《信访工作条例》第三十四条至第三十六条（以书面答复及复查、复核为救济，不以回访为办结条件）",
        counts_from_acceptance=True,
    ),
    Track.H12345: TrackRule(
        label="12345热线工单",
        ack_param="",
        period_by_category={
            Category.CONSULT: "complaint_12345_consult_period",
            Category.HELP: "complaint_12345_help_period",
            Category.SUGGEST: "complaint_12345_help_period",
            Category.PRAISE: "complaint_12345_help_period",
            Category.COMPLAINT: "complaint_12345_complaint_period",
            Category.REPORT: "complaint_12345_complaint_period",
        },
        extension_param="complaint_12345_extension_max",
        revisit_required=True,
        revisit_source=_HOTLINE_SOURCE,
        counts_from_acceptance=False,
    ),
    Track.H12328: TrackRule(
        label="12328热线工单",
        ack_param="",
        period_by_category={
            c: ("complaint_12328_consult_period" if c == Category.CONSULT else "complaint_12328_complaint_period")
            for c in Category.values
        },
        extension_param="complaint_12328_extension_max",
        revisit_required=True,
        revisit_source=_HOTLINE_SOURCE,
        counts_from_acceptance=False,
    ),
}

REVIEW_PARAMS = {"review": "complaint_xinfang_review_period", "recheck": "complaint_xinfang_recheck_period"}
REVIEW_REQUEST_PARAMS = {"review": "complaint_xinfang_review_request_period",
                         "recheck": "complaint_xinfang_recheck_request_period"}
REVIEW_LABELS = {"review": "复查", "recheck": "复核"}


def track_for(channel: str) -> str:
    return {Channel.H12345: Track.H12345, Channel.H12328: Track.H12328}.get(channel, Track.XINFANG)


def track_rule(track: str) -> TrackRule:
    return TRACKS[track]


@dataclass(frozen=True)
class Clock:
    due: date
    param: Param
    explanation: list[str]


def _explain(p: Param) -> str:
    unit = "个工作日" if p.day_type == "working" else "日（自然日）"
    extra = "；可按本地规定在本部署配置" if p.confidence in ("local", "unconfirmed") else ""
    if p.origin == "环境变量":
        extra = "；本部署另行设定"
    return f"{p.label}：{p.value}{unit}（{p.article}；{p.confidence_label}{extra}）"


def count(name: str, start: date, *, extra: int = 0) -> Clock:
    """The deadline of parameter ``name`` (plus ``extra`` days of the same type) from ``start``."""
    p = procedure_param(name, on=start)
    n = int(p.value) + extra
    r = add_workdays(start, n) if p.day_type == "working" else add_days(start, n)
    head = f"{_explain(p)}；起算日 {start:%Y-%m-%d}" + (f"，另经批准延长 {extra} 日" if extra else "") + "。"
    return Clock(r.date, p, [head, *r.explanation])


def ack_clock(track: str, received_on: date) -> Clock | None:
    rule = TRACKS[track]
    return count(rule.ack_param, received_on) if rule.ack_param else None


def handle_clock(track: str, category: str, start: date, *, extended: int = 0) -> Clock:
    """The deadline to close (办结并答复): 信访 from 受理, hotlines from 收到."""
    return count(TRACKS[track].period_by_category[category], start, extra=extended)


def extension_max(track: str, on: date) -> Param:
    return procedure_param(TRACKS[track].extension_param, on=on)


def objection_clock(received_on: date) -> Clock:
    """信访工作条例 Art 23: a transferred matter outside the body's remit is objected to within 5 working days."""
    return count("complaint_xinfang_objection_period", received_on)


def review_request_clock(kind: str, replied_on: date) -> Clock:
    """How long the petitioner may ask for 复查 (after the reply) or 复核 (after the 复查 opinion)."""
    return count(REVIEW_REQUEST_PARAMS[kind], replied_on)


def review_clock(kind: str, requested_on: date) -> Clock:
    return count(REVIEW_PARAMS[kind], requested_on)


# --- local choices (no national figure): near-duplicate offer and the portal's rate limit -----------------

def _env_int(name: str, default: int) -> int:
    import os

    raw = os.environ.get(name, "").strip()
    return int(raw) if raw.isdigit() else default


def duplicate_window() -> tuple[int, int]:
    """(metres, days): a report of the same category within this distance and time is offered for 并单
    (FixMyStreet's practice; the numbers are a local choice). ``ZHIFA_COMPLAINT_DUPLICATE_METRES`` /
    ``ZHIFA_COMPLAINT_DUPLICATE_DAYS``."""
    return _env_int("ZHIFA_COMPLAINT_DUPLICATE_METRES", 300), _env_int("ZHIFA_COMPLAINT_DUPLICATE_DAYS", 7)


def portal_rate() -> int:
    """Complaints one address may file on the portal per hour (``ZHIFA_COMPLAINT_PORTAL_PER_HOUR``)."""
    return _env_int("ZHIFA_COMPLAINT_PORTAL_PER_HOUR", 5)


def portal_files_max() -> int:
    """Files a complainant may attach on the portal (``ZHIFA_COMPLAINT_PORTAL_FILES``; 0 = none)."""
    return _env_int("ZHIFA_COMPLAINT_PORTAL_FILES", 3)


def portal_file_bytes() -> int:
    """Size limit of one portal attachment (``ZHIFA_COMPLAINT_PORTAL_FILE_KB``, default 5 MB)."""
    return _env_int("ZHIFA_COMPLAINT_PORTAL_FILE_KB", 5120) * 1024
