"""Reads of the 治超 domain, scoped by the actor's jurisdiction (a squad officer sees the county's
stations and leads; another county's are a 404). The 三员 see nothing."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from zhifa.accounts.models import User
from zhifa.accounts.selectors import is_business_user, scope_q
from zhifa.registry.models import Vehicle

from . import screening, store
from .models import IngestBatch, Lead, LeadStatus, Notice, SanctionLead, Station
from .records import CST


def _q(actor: User) -> Q:
    if actor is None or not is_business_user(actor):
        return Q(pk__in=[])
    return scope_q(actor, jurisdiction=True)


def stations_visible(actor: User) -> QuerySet[Station]:
    return Station.objects.filter(_q(actor)).select_related("org", "source_enterprise")


def leads_visible(actor: User, *, status: str = "", q: str = "", station: str = "") -> QuerySet[Lead]:
    qs = Lead.objects.filter(_q(actor)).select_related("station", "vehicle", "enterprise")
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(plate__icontains=q.strip().upper())
    if station:
        qs = qs.filter(station__code=station)
    return qs


def lead_get(actor: User, pk: int) -> Lead:
    return get_object_or_404(
        leads_visible(actor).select_related("driver", "reviewed_by", "source_station"), pk=pk
    )


def lead_vehicle(lead: Lead) -> Vehicle | None:
    return lead.vehicle


def batches_visible(actor: User) -> QuerySet[IngestBatch]:
    return IngestBatch.objects.filter(_q(actor))


def sanctions_visible(actor: User) -> QuerySet[SanctionLead]:
    return SanctionLead.objects.filter(_q(actor)).select_related("vehicle", "person", "enterprise")


def pending_decision_counts(actor: User, *, on: date) -> list[dict[str, Any]]:
    """Per vehicle: confirmed overloads of the 12 months up to ``on`` still 待决定 (no 处罚决定 yet, case not
    closed) beside those decided — shown apart, never counted for 一超四罚 (a lead may end in 不予处罚)."""
    from .rules import SANCTION_WINDOW_DAYS

    start = on - timedelta(days=SANCTION_WINDOW_DAYS - 1)
    rows = (
        Lead.objects.filter(_q(actor), status=LeadStatus.CONFIRMED, passed_at__date__gte=start)
        .values("plate", "plate_color")
        .annotate(
            pending=Count("id", filter=Q(decided_on__isnull=True, case_closed_on__isnull=True)),
            decided=Count("id", filter=Q(decided_on__isnull=False)),
        )
        .filter(pending__gt=0)
        .order_by("-pending", "plate")
    )
    return list(rows)


def notices_visible(actor: User, *, status: str = "") -> QuerySet[Notice]:
    qs = Notice.objects.filter(_q(actor)).select_related("lead", "lead__station")
    return qs.filter(status=status) if status else qs


# --- statistics (DuckDB over the Parquet partitions, one query per figure) --------------------------


@dataclass
class Stats:
    start: date
    end: date
    by_station: list[dict[str, Any]]
    by_day: list[dict[str, Any]]
    by_hour: list[dict[str, Any]]
    by_axles: list[dict[str, Any]]
    excess_hist: list[dict[str, Any]]
    top_enterprises: list[dict[str, Any]]
    top_sources: list[dict[str, Any]]
    cases: dict[str, Any]


EXCESS_BINS = (
    ("≤5%", 0, 5),
    ("5–10%", 5, 10),
    ("10–20%", 10, 20),
    ("20–30%", 20, 30),
    ("30–50%", 30, 50),
    ("50–100%", 50, 100),
    (">100%", 100, 10**6),
)


def station_stats(actor: User, *, start: date, end: date) -> Stats:
    stations = list(stations_visible(actor))
    codes = {s.code for s in stations}
    files = []
    d = start
    while d <= end:
        for code in sorted(codes):
            files += [str(p) for p in store.part_files(d, code)]
        d += timedelta(days=1)
    from .services import station_info

    infos = [station_info(s) for s in stations]
    params = screening.Params.default()
    # The Parquet figures are a DuckDB scan of every partition of the period (most of a second for a
    # month of a county's stations): kept in the cache under the files' names, sizes and modification
    # times, the station register and the screening parameters, so an ingest that writes a partition,
    # a station edit or a new tolerance is a new key and the next request computes afresh.
    key = "overload:stats:" + screening.content_key(
        [[f, *_file_version(f)] for f in files], [asdict(i) for i in infos],
        sorted(params.tolerance_bp.items()), params.dedupe_minutes,
    )
    figures = cache.get(key) if files else None
    if figures is None:
        figures = _parquet_figures(files, stations, infos, params)
        if files:
            cache.set(key, figures, STATS_CACHE_SECONDS)
    by_station, by_day, by_hour, by_axles, hist = figures
    return Stats(start, end, by_station, by_day, by_hour, by_axles, hist, *_lead_figures(actor, start, end))


STATS_CACHE_SECONDS = 3600


def _file_version(path: str) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_mtime_ns, st.st_size


def _parquet_figures(files: list[str], stations, infos, params) -> tuple[list[dict], ...]:
    by_station: list[dict] = []
    by_day: list[dict] = []
    by_hour: list[dict] = []
    by_axles: list[dict] = []
    hist: list[dict] = []
    if files:
        con = screening.connect(infos)
        try:
            con.execute(
                "CREATE TEMP TABLE s AS "
                + screening.screening_sql(screening.parquet_source(files), params, unique_ids=True)
            )

            def rows(sql: str) -> list[dict]:
                cur = con.execute(sql)
                names = [c[0] for c in cur.description]
                return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

            agg = (
                "count(*) AS traffic, count(*) FILTER (verdict = 'overload') AS overload, "
                "round(100.0 * count(*) FILTER (verdict = 'overload') / count(*), 2) AS rate"
            )
            by_station = rows(f"SELECT station_code, {agg} FROM s GROUP BY 1 ORDER BY 1")
            by_day = rows(
                f"SELECT strftime(pday, '%Y-%m-%d') AS day, {agg} FROM s GROUP BY pday ORDER BY pday"
            )
            by_hour = rows(f"SELECT hour(passed_at) AS hour, {agg} FROM s GROUP BY 1 ORDER BY 1")
            by_axles = rows(
                f"SELECT axle_count AS axles, {agg} FROM s WHERE axle_count BETWEEN 2 AND 12 "
                "GROUP BY 1 ORDER BY 1"
            )
            cases = " ".join(
                f"WHEN excess_pct > {lo} AND excess_pct <= {hi} THEN '{label}'"
                for label, lo, hi in EXCESS_BINS
            )
            got = dict(
                con.execute(
                    f"SELECT CASE {cases} END, count(*) FROM s WHERE verdict = 'overload' GROUP BY 1"
                ).fetchall()
            )
            hist = [{"bin": label, "count": got.get(label, 0)} for label, _, _ in EXCESS_BINS]
        finally:
            con.close()
        names = {s.code: s.name for s in stations}
        for r in by_station:
            r["name"] = names.get(r["station_code"], r["station_code"])
    return by_station, by_day, by_hour, by_axles, hist


def _lead_figures(actor: User, start: date, end: date) -> tuple[list[dict], list[dict], dict[str, Any]]:
    """Top enterprises, top source stations and the lead counts of the period, in four queries. The period
    is a range of instants (midnight to midnight, China time), not ``passed_at__date``: on SQLite that is
    a Python function called on every row and the five counts took most of a second."""
    since = datetime.combine(start, time.min, tzinfo=CST)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=CST)
    leads = leads_visible(actor).filter(passed_at__gte=since, passed_at__lt=until)
    confirmed = leads.filter(status=LeadStatus.CONFIRMED)
    top_ent = list(
        confirmed.exclude(enterprise=None)
        .values("enterprise__name")
        .annotate(n=Count("id"), excess=Sum("excess_kg"))
        .order_by("-n")[:10]
    )
    top_src = list(
        confirmed.exclude(source_station=None)
        .values("source_station__name")
        .annotate(n=Count("id"))
        .order_by("-n")[:10]
    )
    fines = sum((fl.get("amount_fen") or 0) for fl in confirmed.values_list("fine", flat=True))
    counts = leads.order_by().aggregate(
        leads=Count("id"),
        confirmed=Count("id", filter=Q(status=LeadStatus.CONFIRMED)),
        rejected=Count("id", filter=Q(status=LeadStatus.REJECTED)),
        pending=Count("id", filter=Q(status=LeadStatus.PENDING)),
        excess=Sum("excess_kg", filter=Q(status=LeadStatus.CONFIRMED)),
    )
    cases_fig = {
        "leads": counts["leads"],
        "confirmed": counts["confirmed"],
        "rejected": counts["rejected"],
        "pending": counts["pending"],
        "excess_tonnes": round((counts["excess"] or 0) / 1000, 1),
        "fines_yuan": fines // 100,
    }
    return top_ent, top_src, cases_fig


def case_for_lead(lead):
    """The zhifa case raised from the lead's case source, if any. ``lead`` comes from the scoped
    :func:`lead_get`, and the case belongs to the same jurisdiction (its source is the lead's)."""
    if not lead.case_source_id:
        return None
    from zhifa.cases.models import Case

    return Case.objects.filter(source_id=lead.case_source_id).order_by("pk").first()
