"""JT/T 809 reads: the platforms an officer sees and their link and duty figures for a period.

平台连通率 = (period − disconnect seconds) ÷ period (operations-reporting.md §6; the Huangshi table counts
minutes of a 31-day month, enforcement-tech.md §2.3). The connected time is the union of the main-link
sessions inside the period (a session a crash left open ends at its last frame seen), counted up to now for
the current month; a 0x1102 report of the peer is shown beside it, never mixed in.
查岗响应率 = answered in time ÷ 查岗 due in the period (not yet due ones are left out); 督办按期办结率 =
closed by the deadline ÷ 督办 whose deadline fell in the period or that are closed.
Positions expected = vehicles × seconds online ÷ ``ZHIFA_JT809_EXPECTED_INTERVAL_S`` (a ceiling: a vehicle
reports only while it runs; the reporting interval is UNCONFIRMED, enforcement-tech.md §3.3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from zhifa.accounts.models import User
from zhifa.accounts.selectors import jurisdiction_of

from ..models import (
    Jt809LinkReport,
    Jt809Platform,
    Jt809Session,
    SpotCheck,
    SpotCheckStatus,
    Supervision,
    SupervisionStatus,
)


def platforms_visible(actor: User | None):
    qs = Jt809Platform.objects.all()
    if actor is None:
        return qs
    if actor.org_id is None:
        return qs.none()
    return qs.filter(org__path__startswith=jurisdiction_of(actor.org).path)


def spotchecks_visible(actor: User | None):
    return SpotCheck.objects.filter(platform__in=platforms_visible(actor)).select_related("platform")


def supervisions_visible(actor: User | None):
    return Supervision.objects.filter(platform__in=platforms_visible(actor)).select_related(
        "platform", "lead"
    )


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) local time, cut at now."""
    tz = timezone.get_current_timezone()
    a = datetime.combine(start, time(), tzinfo=tz)
    b = min(datetime.combine(end + timedelta(days=1), time(), tzinfo=tz), timezone.now())
    return a, max(a, b)


@dataclass
class PlatformStats:
    platform: Jt809Platform
    period_s: int
    connected_s: int
    disconnects: int
    spotchecks: int
    spotchecks_on_time: int
    avg_delay_s: float | None
    supervisions: int
    supervisions_on_time: int
    positions: int
    positions_expected: int
    reported_disconnect_s: int | None

    @property
    def connectivity(self) -> float | None:
        return round(100 * self.connected_s / self.period_s, 2) if self.period_s else None

    @property
    def disconnect_s(self) -> int:
        return self.period_s - self.connected_s

    @property
    def response_rate(self) -> float | None:
        return round(100 * self.spotchecks_on_time / self.spotchecks, 1) if self.spotchecks else None

    @property
    def supervision_rate(self) -> float | None:
        return round(100 * self.supervisions_on_time / self.supervisions, 1) if self.supervisions else None


def _union_seconds(intervals: list[tuple[datetime, datetime]]) -> tuple[int, int]:
    """Seconds covered by the intervals, and the number of gaps between them."""
    total, gaps, cur_a, cur_b = 0.0, 0, None, None
    for a, b in sorted(intervals):
        if cur_b is None:
            cur_a, cur_b = a, b
        elif a <= cur_b:
            cur_b = max(cur_b, b)
        else:
            total += (cur_b - cur_a).total_seconds()
            gaps += 1
            cur_a, cur_b = a, b
    if cur_b is not None:
        total += (cur_b - cur_a).total_seconds()
    return int(total), gaps


def platform_stats(pl: Jt809Platform, start: date, end: date) -> PlatformStats:
    a, b = period_bounds(start, end)
    now = timezone.now()
    sessions = Jt809Session.objects.filter(platform=pl, started_at__lt=b).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=a)
    )
    spans, positions = [], 0
    for s in sessions:
        s_end = s.ended_at or now  # open: the server holds the link now
        lo, hi = max(s.started_at, a), min(s_end, b)
        if hi > lo:
            spans.append((lo, hi))
        positions += s.positions
    connected, gaps = _union_seconds(spans)
    period = int((b - a).total_seconds())
    # a link down at the start or the end of the period counts as a disconnection too
    disconnects = (
        gaps
        + (1 if spans and min(x[0] for x in spans) > a else 0)
        + (1 if spans and max(x[1] for x in spans) < b else 0)
    )
    disconnects = disconnects if spans else (1 if period else 0)
    due = SpotCheck.objects.filter(platform=pl, created_at__gte=a, created_at__lt=b).exclude(
        status__in=[SpotCheckStatus.QUEUED, SpotCheckStatus.SENT]
    )
    delays = [d for d in due.filter(delay_s__isnull=False).values_list("delay_s", flat=True)]
    sups = Supervision.objects.filter(platform=pl).filter(
        Q(deadline__gte=a, deadline__lt=min(b, now)) | Q(closed_at__gte=a, closed_at__lt=b)
    )
    on_time = [s for s in sups if s.on_time]
    interval = int(settings.JT809_EXPECTED_INTERVAL_S)
    reports = Jt809LinkReport.objects.filter(platform=pl, start__gte=a, end__lte=b)
    return PlatformStats(
        platform=pl, period_s=period, connected_s=min(connected, period), disconnects=disconnects,
        spotchecks=due.count(), spotchecks_on_time=due.filter(status=SpotCheckStatus.ON_TIME).count(),
        avg_delay_s=round(sum(delays) / len(delays), 1) if delays else None,
        supervisions=sups.count(), supervisions_on_time=len(on_time), positions=positions,
        positions_expected=pl.vehicles_expected * connected // max(interval, 1),
        reported_disconnect_s=sum(r.disconnect_s for r in reports) if reports else None,
    )  # fmt: skip


def stats_for(actor: User | None, start: date, end: date) -> list[PlatformStats]:
    return [platform_stats(pl, start, end) for pl in platforms_visible(actor).filter(active=True)]


def online_center_ids() -> set[int]:
    return set(
        Jt809Session.objects.filter(ended_at__isnull=True).values_list("platform__center_id", flat=True)
    )


OPEN_SUPERVISION = [
    SupervisionStatus.QUEUED,
    SupervisionStatus.SENT,
    SupervisionStatus.IN_PROGRESS,
    SupervisionStatus.LATER,
]
