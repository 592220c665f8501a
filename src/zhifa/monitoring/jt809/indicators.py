"""The JT/T 809 indicators per lower platform (registered in core.indicators; loaded by MonitoringConfig.ready):
平台连通率, 查岗响应率, 查岗平均应答用时, 督办按期办结率, 定位接收数 — definitions in selectors.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from zhifa.core.indicators import Indicator, Value, register

DIMENSIONS = {"platform": "下级平台"}


def _compute(pick: Callable) -> Callable[..., list[Value]]:
    def compute(actor, *, start: date, end: date, dimension: str) -> list[Value]:
        from .selectors import stats_for

        rows = stats_for(actor, start, end)
        if dimension == "platform":
            return [Value(str(s.platform.pk), s.platform.name, *pick([s])) for s in rows]
        return [Value("", "合计", *pick(rows))]

    return compute


def _records(actor, *, start: date, end: date, dimension: str = "", key: str = ""):
    from .selectors import platforms_visible

    qs = platforms_visible(actor).filter(active=True)
    return qs.filter(pk=key) if dimension == "platform" and key else qs


def _rate(num, den) -> tuple:
    return (round(100 * num / den, 2) if den else None, num, den)


def _connectivity(rows):
    return _rate(sum(s.connected_s for s in rows), sum(s.period_s for s in rows))


def _response(rows):
    return _rate(sum(s.spotchecks_on_time for s in rows), sum(s.spotchecks for s in rows))


def _delay(rows):
    pairs = [(s.avg_delay_s, s.spotchecks) for s in rows if s.avg_delay_s is not None]
    n = sum(k for _, k in pairs)
    return (round(sum(d * k for d, k in pairs) / n, 1) if n else None, None, n or None)


def _supervision(rows):
    return _rate(sum(s.supervisions_on_time for s in rows), sum(s.supervisions for s in rows))


def _positions(rows):
    got, exp = sum(s.positions for s in rows), sum(s.positions_expected for s in rows)
    return (got, got, exp or None)


for ind_id, name, formula, unit, pick in (
    (
        "monitoring.jt809_connectivity",
        "平台连通率",
        "（考核时长 − 主链路断开时长）÷ 考核时长 × 100%",
        "%",
        _connectivity,
    ),
    (
        "monitoring.jt809_spotcheck_response",
        "平台查岗响应率",
        "应答时限内应答的查岗次数 ÷ 到期的查岗次数 × 100%",
        "%",
        _response,
    ),
    (
        "monitoring.jt809_spotcheck_delay",
        "查岗平均应答用时",
        "已应答查岗的应答用时（秒）平均值",
        "秒",
        _delay,
    ),
    (
        "monitoring.jt809_supervision_on_time",
        "报警督办按期办结率",
        "截止时间前办结的督办件数 ÷ 到期或已办结的督办件数 × 100%",
        "%",
        _supervision,
    ),
    (
        "monitoring.jt809_positions",
        "平台定位接收数",
        "收到的定位条数（对照：接入车辆数 × 在线秒数 ÷ 上报间隔）",
        "条",
        _positions,
    ),
):
    register(Indicator(id=ind_id, name=name, formula=formula, unit=unit, period="month", dimensions=DIMENSIONS,
                       compute=_compute(pick), records=_records, owner="monitoring"))  # fmt: skip
