"""The screening engine: the rule data of :mod:`zhifa.overload.rules` compiled into one DuckDB query.

The same query screens a 10-million-row Parquet file (``zhifa overload screen``, the benchmark, the
ingest) and the single record an officer opens for review (:func:`screen_rows` with one row): there is
no second implementation of a limit, an adjustment, a tolerance or a verdict anywhere.

Verdicts, in order of precedence:

* ``invalid``: device not registered or its verification certificate not valid on the day (metrology
  law: unverified measurements may not be used); plate unreadable; impossible or missing values; an axle
  count / vehicle kind that Art 3 does not list;
* ``duplicate``: a record id already seen at the station, or the same plate and colour at the same
  station within the dedupe window of its previous passage;
* ``overload`` (excess above the device tolerance), ``within_tolerance`` (over the limit by no more than
  the tolerance), ``compliant``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import pyarrow as pa

from . import rules
from .records import SCHEMA, to_table

VERDICTS = {
    "overload": "超限",
    "within_tolerance": "误差范围内",
    "compliant": "未超限",
    "invalid": "无效",
    "duplicate": "重复",
}
OUTPUT_COLUMNS = (
    "record_id",
    "station_code",
    "passed_at",
    "plate",
    "plate_color",
    "axle_count",
    "vehicle_kind",
    "gross_kg",
    "limit_kg",
    "tolerance_kg",
    "excess_kg",
    "excess_pct",
    "verdict",
    "rule",
    "reason",
)

SCHEMA_COLUMNS = tuple(SCHEMA.names)

STATION_SCHEMA = pa.schema(
    [
        ("station_code", pa.string()),
        ("accuracy_class", pa.string()),
        ("cert_no", pa.string()),
        ("cert_valid_from", pa.date32()),
        ("cert_valid_to", pa.date32()),
    ]
)


@dataclass(frozen=True)
class StationInfo:
    """What screening needs to know about a detection point (from the register, or given directly)."""

    station_code: str
    accuracy_class: str
    cert_no: str
    cert_valid_from: date | None
    cert_valid_to: date | None


@dataclass(frozen=True)
class Params:
    tolerance_bp: dict[str, int]
    dedupe_minutes: int

    @classmethod
    def default(
        cls, *, province: str = "", tolerance: dict[str, int] | None = None, dedupe_minutes: int | None = None
    ) -> Params:
        return cls(
            rules.tolerance_table(province=province, override=tolerance),
            rules.dedupe_window_minutes() if dedupe_minutes is None else dedupe_minutes,
        )


def _q(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _limit_case(rs: rules.RuleSet) -> tuple[str, str]:
    """(limit_kg expression, rule citation expression) for one rule set, over the ``b`` relation."""
    base_when, rule_when = [], []
    # Art 3 item 8 variant first: a 6+ axle combination whose tractor has a single drive axle.
    six = next(x for x in rs.limits if x.kind == rules.COMBINATION and x.axles_max is None)
    cond6 = f"vehicle_kind = '{rules.COMBINATION}' AND axle_count >= {six.axles_min} AND drive_axle_single"
    base_when.append(f"WHEN {cond6} THEN {rs.single_drive_axle_limit_kg}")
    rule_when.append(f"WHEN {cond6} THEN {_q(rs.cite + rs.single_drive_axle_article)}")
    # the 37 t case: 4-axle articulated combination, air suspension, semi-trailer axle spacing ≥ 1800 mm
    cond37 = (
        f"vehicle_kind = '{rules.COMBINATION}' AND axle_count = 4 AND air_suspension AND "
        f"len(axle_spacings_mm) >= 1 AND axle_spacings_mm[len(axle_spacings_mm)] >= "
        f"{rs.air_suspension_37t_spacing_mm}"
    )
    base_when.append(f"WHEN {cond37} THEN {rs.air_suspension_37t_limit_kg}")
    rule_when.append(f"WHEN {cond37} THEN {_q(rs.air_suspension_37t_article)}")
    for lim in rs.limits:
        cond = f"vehicle_kind = '{lim.kind}' AND axle_count >= {lim.axles_min}"
        if lim.axles_max is not None:
            cond += f" AND axle_count <= {lim.axles_max}"
        base_when.append(f"WHEN {cond} THEN {lim.limit_kg}")
        rule_when.append(f"WHEN {cond} THEN {_q(rs.cite + lim.article)}")
    base = "CASE " + " ".join(base_when) + " END"
    axles = ",".join(str(a) for a in rs.air_suspension_truck_axles)
    air = (
        f"CASE WHEN vehicle_kind = '{rules.TRUCK}' AND axle_count IN ({axles}) AND air_suspension "
        f"THEN {rs.air_suspension_truck_bonus_kg} ELSE 0 END"
    )
    tyre = (
        f"CASE WHEN wide_tyre THEN 0 ELSE {rs.single_tyre_reduction_kg} * coalesce(single_tyre_axles, 0) END"
    )
    limit = f"({base}) + {air} - {tyre}"
    base_rule = "CASE " + " ".join(rule_when) + " END"
    has_adj = (
        f"(vehicle_kind = '{rules.TRUCK}' AND axle_count IN ({axles}) AND air_suspension) "
        "OR coalesce(single_tyre_axles, 0) > 0"
    )
    adjusted = (
        "concat_ws('；', " + base_rule + ", "
        f"CASE WHEN vehicle_kind = '{rules.TRUCK}' AND axle_count IN ({axles}) AND air_suspension THEN "
        f"{_q(rs.air_suspension_article)} END, "
        f"CASE WHEN coalesce(single_tyre_axles, 0) > 0 AND NOT wide_tyre THEN "
        f"concat({_q(rs.cite + rs.single_tyre_article + '×')}, single_tyre_axles) END, "
        f"CASE WHEN coalesce(single_tyre_axles, 0) > 0 AND wide_tyre THEN {_q(rs.wide_tyre_article)} END)"
    )
    # constant strings for the common case (no adjustment): no per-row string building
    rule = f"CASE WHEN {has_adj} THEN {adjusted} ELSE {base_rule} END"
    return limit, rule


def _in_force(rs: rules.RuleSet) -> str:
    cond = f"pday >= DATE '{rs.effective_from.isoformat()}'"
    if rs.effective_to:
        cond += f" AND pday <= DATE '{rs.effective_to.isoformat()}'"
    return cond


def screening_sql(source: str, params: Params, *, unique_ids: bool = False) -> str:
    """The full screening query over ``source`` (a relation with the stored record columns) joined to the
    ``stations`` relation. Returns every record column plus the verdict columns."""
    limit_cases, rule_cases = [], []
    for rs in rules.RULESETS:
        lim, rule = _limit_case(rs)
        limit_cases.append(f"WHEN {_in_force(rs)} THEN {lim}")
        rule_cases.append(f"WHEN {_in_force(rs)} THEN {rule}")
    limit_expr = "CASE " + " ".join(limit_cases) + " END"
    rule_expr = "CASE " + " ".join(rule_cases) + " END"
    tol_case = (
        "CASE eff_class "
        + " ".join(f"WHEN {_q(cls)} THEN {bp}" for cls, bp in sorted(params.tolerance_bp.items()))
        + " END"
    )
    p = rules.PLAUSIBLE
    win = int(params.dedupe_minutes)
    dedupe = (
        f"prev_pass IS NOT NULL AND plate_valid AND prev_key = hash(plate_color, plate, station_code) "
        f"AND prev_pass >= passed_at - INTERVAL {win} MINUTE"
        if win > 0
        else "false"
    )
    # The Parquet store is idempotent on (station_code, record_id): a repeated id cannot occur there, so the
    # store's callers pass unique_ids=True and skip that window; raw files (the CLI) keep the check.
    rid_expr = (
        "1"
        if unique_ids
        else "row_number() OVER (PARTITION BY hash(r.station_code, r.record_id) ORDER BY r.passed_at, r.gross_kg)"
    )
    return f"""
WITH b AS (
  SELECT r.*, CAST(r.passed_at AS DATE) AS pday,
         s.station_code IS NOT NULL AS st_known, s.cert_no, s.cert_valid_from, s.cert_valid_to,
         coalesce(nullif(s.accuracy_class, ''), r.device_class) AS eff_class,
         {rid_expr} AS rid_n,
         -- previous passage of the same vehicle at the same station; the partition key is a 64-bit hash
         -- (cheap to sort), and a second, differently ordered hash guards against a collision
         lag(r.passed_at) OVER w AS prev_pass, lag(hash(r.plate_color, r.plate, r.station_code)) OVER w AS prev_key
  FROM ({source}) r LEFT JOIN stations s ON s.station_code = r.station_code
  WINDOW w AS (PARTITION BY hash(r.station_code, r.plate, r.plate_color) ORDER BY r.passed_at, r.record_id)
), l AS (
  SELECT *, {limit_expr} AS limit_kg, {tol_case} AS tol_bp FROM b
), c AS (
  SELECT *, CAST(limit_kg * tol_bp // 10000 AS INTEGER) AS tolerance_kg,
         CAST(gross_kg - limit_kg AS INTEGER) AS over_kg,
         -- excess ratio in % to 2 decimals, rounded half up, in integer arithmetic (DECIMAL is slow)
         ((CAST(gross_kg - limit_kg AS BIGINT) * 20000 // limit_kg + 1) // 2) / 100.0 AS pct,
         CASE
           WHEN NOT st_known THEN '检测点未登记，设备检定状态无法确认，记录不得作为执法依据'
           WHEN cert_valid_to IS NULL OR pday > cert_valid_to OR pday < coalesce(cert_valid_from, pday)
             THEN '检测设备检定证书（' || coalesce(cert_no, '无') || '）在过车当日不在有效期内（有效期至 '
                  || coalesce(CAST(cert_valid_to AS VARCHAR), '未登记')
                  || '），未经检定或超过检定周期的计量器具不得使用（《中华人民共和国计量法》第九条）'
           WHEN NOT coalesce(plate_valid, false) THEN '车牌无法识别或号码格式无效（' || coalesce(plate, '') || '）'
           WHEN axle_count IS NULL OR axle_count < {p["axles_min"]} OR axle_count > {p["axles_max"]}
             THEN '轴数缺失或不合理（' || coalesce(CAST(axle_count AS VARCHAR), '空') || '）'
           WHEN gross_kg IS NULL OR gross_kg < {p["gross_min_kg"]} OR gross_kg > {p["gross_max_kg"]}
             THEN '车货总质量缺失或不合理（' || coalesce(CAST(gross_kg AS VARCHAR), '空') || ' 千克）'
           WHEN coalesce(vehicle_kind, '') = '' THEN '车型（货车/汽车列车）缺失'
           WHEN coalesce(single_tyre_axles, 0) < 0 OR coalesce(single_tyre_axles, 0) >= axle_count
             THEN '单胎轴数（' || single_tyre_axles || '）不合理'
           WHEN len(axle_weights_kg) > 0 AND len(axle_weights_kg) <> axle_count
             THEN '轴重个数（' || len(axle_weights_kg) || '）与轴数（' || axle_count || '）不符'
           WHEN len(axle_weights_kg) > 0
                AND abs(list_sum(axle_weights_kg) - gross_kg) * 10000 > gross_kg * {p["axle_sum_tolerance_bp"]}
             THEN '各轴轴重之和（' || list_sum(axle_weights_kg) || ' 千克）与车货总质量相差超过5%'
           WHEN limit_kg IS NULL
             THEN '轴数与车型组合（' || axle_count || '轴' || CASE vehicle_kind WHEN 'truck' THEN '货车'
                  ELSE '汽车列车' END || '）未列入第三条，或过车日期无适用标准，须人工认定'
           WHEN tol_bp IS NULL THEN '设备准确度等级（' || coalesce(eff_class, '') || '）未知，无法确定允许误差'
         END AS invalid_reason,
         {rule_expr} AS rule_text
  FROM l
)
SELECT *,
  CASE WHEN invalid_reason IS NOT NULL THEN 'invalid'
       WHEN rid_n > 1 OR {dedupe} THEN 'duplicate'
       WHEN over_kg <= 0 THEN 'compliant'
       WHEN over_kg <= tolerance_kg THEN 'within_tolerance'
       ELSE 'overload' END AS verdict,
  CASE WHEN invalid_reason IS NULL AND over_kg > 0 THEN over_kg ELSE 0 END AS excess_kg,
  CASE WHEN invalid_reason IS NULL AND over_kg > 0 THEN pct ELSE 0 END AS excess_pct,
  CASE WHEN invalid_reason IS NOT NULL THEN invalid_reason
       WHEN rid_n > 1 THEN concat('同一检测点检测流水号重复（', record_id, '），只处理首条')
       WHEN {dedupe} THEN concat('同一车辆 {win} 分钟内在同一检测点重复检测（上次 ',
            strftime(prev_pass, '%H:%M:%S'), '），只处理首条')
       WHEN over_kg <= 0 THEN '未超过限值'
       WHEN over_kg <= tolerance_kg THEN concat('超限 ', over_kg, ' 千克，未超过', eff_class, '级设备允许误差 ',
            tolerance_kg, ' 千克，不予认定')
       ELSE concat('超限 ', over_kg, ' 千克（', pct, '%），超过', eff_class, '级设备允许误差 ', tolerance_kg, ' 千克')
  END AS reason,
  CASE WHEN limit_kg IS NULL THEN '' ELSE rule_text END AS rule
FROM c
"""


def output_select(inner: str, *, ordered: bool = True) -> str:
    """The public output columns (issue 6 §3) from a screened relation."""
    return f"""SELECT record_id, station_code, strftime(passed_at, '%Y-%m-%dT%H:%M:%S+08:00') AS passed_at, plate,
  plate_color, axle_count, CASE vehicle_kind WHEN 'truck' THEN '货车' WHEN 'combination' THEN '汽车列车' ELSE '' END
  AS vehicle_kind, gross_kg, limit_kg, CASE WHEN limit_kg IS NULL THEN NULL ELSE tolerance_kg END AS tolerance_kg,
  excess_kg, excess_pct, verdict, rule, reason FROM ({inner})""" + (
        " ORDER BY station_code, passed_at, record_id" if ordered else ""
    )


def stations_table(stations: Iterable[StationInfo]) -> pa.Table:
    return pa.Table.from_pylist([s.__dict__ for s in stations], schema=STATION_SCHEMA)


def connect(
    stations: Iterable[StationInfo], *, memory_limit: str = "1GB", threads: int | None = None
) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{memory_limit}'")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    st = stations_table(stations)
    con.register("stations_arrow", st)
    con.execute("CREATE TEMP TABLE stations AS SELECT * FROM stations_arrow")
    con.unregister("stations_arrow")
    return con


def content_key(*parts) -> str:
    """A cache key naming everything a cached screening figure was computed from (``parts`` as JSON,
    hashed): the statistics page and a lead's re-screening are cached under it."""
    return hashlib.sha256(json.dumps(parts, default=str, sort_keys=True).encode()).hexdigest()


def parquet_source(paths: list[str]) -> str:
    listed = ", ".join(_q(p) for p in paths)
    return f"SELECT * FROM read_parquet([{listed}], union_by_name = true)"


def screen_table(table: pa.Table, stations: Iterable[StationInfo], params: Params) -> pa.Table:
    """Screen an Arrow table of stored records; every record column plus the verdict columns."""
    con = connect(stations)
    try:
        con.register("rec", table)
        return con.sql(
            screening_sql("SELECT * FROM rec", params) + " ORDER BY station_code, passed_at, record_id"
        ).to_arrow_table()
    finally:
        con.close()


def screen_rows(rows: list[dict[str, Any]], stations: Iterable[StationInfo], params: Params) -> list[dict]:
    """The same engine on a few records (the review page: one record with its neighbours)."""
    if not rows:
        return []
    return screen_table(to_table(rows), stations, params).to_pylist()


def empty_table() -> pa.Table:
    return SCHEMA.empty_table()
