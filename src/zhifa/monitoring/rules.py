"""Rule data of 两客一危 dynamic monitoring: every threshold the metrics and violations use, with its source.

Each parameter is a :class:`Param` with a value, the text it comes from and whether it is a national rule
(``national=True``) or a *local parameter* (no national text fixes it: enforcement-tech.md §2.3 and §3
mark the 联网联控考核 annex formulas and the JT/T 794-2019 §3.1 definitions as not obtained). Local
parameters can be overridden per deployment with environment variables ``ZHIFA_MON_<NAME>`` (upper
case), e.g. ``ZHIFA_MON_TRACK_GAP_S=600``; the override is recorded in every metrics run.

Versioning: :data:`RULESETS` holds dated rule sets; :func:`rules_for` picks the one in force on a day.
The engines read nothing but :class:`Rules`; no threshold is written anywhere else.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import date

# What we confirmed (search of the public corpus, this session):
# * 8 h / 24 h, 4 h by day, 2 h by night, rests of >= 20 min, coach night speed <= 80 % of the day limit:
#   《道路旅客运输企业安全管理规范》(交运发〔2018〕55号) 第三十八条, repeated by 《道路运输车辆动态监督管理办法》
#   (2022 text) — enforcement-tech.md §2.1 / §3.1 ✅ (several reproductions).
# * 02:00–05:00 stop for 长途客运 with the exemptions (airport / rail shuttles, single trip <= 100 km):
#   same 规范 第三十八条(五) ✅.
# * expressway 100 km/h for vehicles other than small passenger cars: 《道路交通安全法实施条例》第七十八条 ✅.
# * 70 km/h on a highway with one lane each way: same 条例 第四十五条 ✅; the other road-class defaults
#   (第四十五条, 第四十六条, 第七十八条) at ROAD_CLASSES below ✅.
# NOT found (kept local): the night window (22:00–06:00 is common practice, §3.1 ⚠️), the speed that
# counts as driving and the minimum stop (JT/T 794-2019 §3.1.4/3.1.5 wording not obtained), the
# 轨迹完整 gap and 漂移 thresholds and the 数据合格 field checks (联网联控考核 annex not obtained, §2.3 ⚠️),
# the dangerous-goods speed limit (80 km/h from old JT 617 practice, §3.2 ⚠️).


@dataclass(frozen=True)
class Param:
    value: float | int | str
    source: str
    national: bool
    unit: str = ""

    @property
    def kind(self) -> str:
        return "国家规定" if self.national else "本地参数"


LOCAL = False
NATIONAL = True

_ART38 = "《道路旅客运输企业安全管理规范》第三十八条；《道路运输车辆动态监督管理办法》"
_LOCAL_NOTE = "本地参数：国家层面未见明确规定（联网联控考核细则附件未取得），可通过环境变量调整"


def _p(value, source, national, unit=""):
    return Param(value, source, national, unit)


BASE_PARAMS: dict[str, Param] = {
    # --- driving-time rules ------------------------------------------------------------------------
    "day_continuous_max_s": _p(4 * 3600, _ART38 + "：日间连续驾驶不超过4小时", NATIONAL, "秒"),
    "night_continuous_max_s": _p(2 * 3600, _ART38 + "：夜间连续驾驶不超过2小时", NATIONAL, "秒"),
    "min_rest_s": _p(
        20 * 60,
        _ART38 + "：每次停车休息时间不少于20分钟；《道路交通安全法实施条例》第六十二条",
        NATIONAL,
        "秒",
    ),
    "daily_max_s": _p(8 * 3600, _ART38 + "：24小时内累计驾驶时间原则上不超过8小时", NATIONAL, "秒"),
    "daily_window_s": _p(24 * 3600, _ART38 + "：任意24小时", NATIONAL, "秒"),
    "night_start_min": _p(
        22 * 60, "本地参数：夜间起始时刻（22:00，通行做法，定义条文未查到）", LOCAL, "分钟（自0点）"
    ),
    "night_end_min": _p(6 * 60, "本地参数：夜间结束时刻（06:00）", LOCAL, "分钟（自0点）"),
    "driving_speed_kmh": _p(
        5.0, "本地参数：速度不低于该值视为行驶（JT/T 794-2019 3.1.3“行驶开始时间”原文未取得）", LOCAL, "km/h"
    ),
    "max_point_gap_s": _p(600, "本地参数：相邻两点间隔超过该值时按位移推算是否行驶", LOCAL, "秒"),
    # --- coach 02:00-05:00 -------------------------------------------------------------------------
    "coach_night_start_min": _p(
        2 * 60,
        "《道路旅客运输企业安全管理规范》第三十八条（五）：凌晨2时至5时停止运行",
        NATIONAL,
        "分钟（自0点）",
    ),
    "coach_night_end_min": _p(
        5 * 60, "《道路旅客运输企业安全管理规范》第三十八条（五）", NATIONAL, "分钟（自0点）"
    ),
    "coach_night_min_s": _p(
        300, "本地参数：凌晨行驶累计超过该时长才记为违规运行（排除定位抖动）", LOCAL, "秒"
    ),
    "coach_night_types": _p(
        "coach,charter",
        "《道路旅客运输企业安全管理规范》第三十八条（五）：长途客运车辆（班车、包车）",
        NATIONAL,
    ),
    # --- speed -------------------------------------------------------------------------------------
    "limit_coach_kmh": _p(
        100.0,
        "《道路交通安全法实施条例》第七十八条：高速公路其他机动车不超过100km/h"
        "（无路段限速图层时取车辆可达的最高法定限速）",
        NATIONAL,
        "km/h",
    ),
    "limit_charter_kmh": _p(100.0, "《道路交通安全法实施条例》第七十八条", NATIONAL, "km/h"),
    "limit_dangerous_kmh": _p(
        80.0, "本地参数：危险货物运输车辆高速公路80km/h（原JT 617通行做法，未确认）", LOCAL, "km/h"
    ),
    "limit_default_kmh": _p(100.0, "《道路交通安全法实施条例》第七十八条", NATIONAL, "km/h"),
    "limit_dangerous_other_kmh": _p(
        60.0,
        "本地参数：危险货物运输车辆在高速公路以外道路的限速上限60km/h（原JT 617通行做法，未确认），"
        "路段限速图层内按该路段限速与本值取小",
        LOCAL,
        "km/h",
    ),
    "coach_night_speed_ratio": _p(0.8, _ART38 + "：客车夜间行驶速度不得超过日间限速的80%", NATIONAL),
    "overspeed_min_s": _p(
        60, "本地参数：持续超速达到该时长才记为超速（对应JT/T 808参数0x0056超速持续时间）", LOCAL, "秒"
    ),
    # --- offline move ------------------------------------------------------------------------------
    "offline_s": _p(
        1200,
        "本地参数：两次定位间隔超过该值视为离线（湖南考核指标“危货车辆离线位移”，阈值未公布）",
        LOCAL,
        "秒",
    ),
    "offline_move_m": _p(1000, "本地参数：离线期间位移超过该距离记为离线位移", LOCAL, "米"),
    # --- KPIs --------------------------------------------------------------------------------------
    "track_gap_s": _p(300, _LOCAL_NOTE + "（轨迹完整：时间间隔阈值）", LOCAL, "秒"),
    "track_gap_m": _p(2000, _LOCAL_NOTE + "（轨迹完整：距离阈值）", LOCAL, "米"),
    "drift_speed_kmh": _p(200.0, _LOCAL_NOTE + "（漂移：前后两段推算速度均超过该值的点）", LOCAL, "km/h"),
    "lon_min": _p(73.0, "本地参数：中国范围经度下限（业内建议值，国家层面未见明确规定）", LOCAL, "度"),
    "lon_max": _p(136.0, "本地参数：中国范围经度上限", LOCAL, "度"),
    "lat_min": _p(3.0, "本地参数：中国范围纬度下限", LOCAL, "度"),
    "lat_max": _p(54.0, "本地参数：中国范围纬度上限", LOCAL, "度"),
    "speed_max_kmh": _p(
        160.0, "本地参数：合格记录速度上限（业内建议值，国家层面未见明确规定）", LOCAL, "km/h"
    ),
    "altitude_min_m": _p(-500, "本地参数：合格记录海拔下限", LOCAL, "米"),
    "altitude_max_m": _p(9000, "本地参数：合格记录海拔上限", LOCAL, "米"),
    "future_tolerance_s": _p(300, "本地参数：定位时间晚于接收时间超过该值视为未来时间", LOCAL, "秒"),
    "min_valid_year": _p(2000, "本地参数：早于该年份的定位时间视为无效（含GNSS周数翻转）", LOCAL, "年"),
    "required_types": _p(
        "coach,charter,dangerous",
        "《全国重点营运车辆联网联控系统考核管理办法》：旅游客车、包车客车、三类以上班线客车和危险货物运输车辆"
        "（可加 重型货车、半挂牵引车：《道路运输车辆动态监督管理办法》第三条）",
        NATIONAL,
    ),
    # --- rates thresholds for the 通报 ----------------------------------------------------------------
    "notice_online_rate_min": _p(0.95, "本地参数：上线率低于该值的企业在通报中点名", LOCAL),
    "notice_quality_rate_min": _p(0.95, "本地参数：数据合格率低于该值的企业在通报中点名", LOCAL),
    "notice_completeness_rate_min": _p(
        0.70, "本地参数：轨迹完整率低于该值的企业点名（湖北黄石评分“低于70%不得分”）", LOCAL
    ),
    "notice_drift_rate_max": _p(0.05, "本地参数：漂移率高于该值的企业在通报中点名", LOCAL),
}


# What each parameter is called on the pages (the code stays the key of the rule data, the environment
# override and the run record).
PARAM_LABELS: dict[str, str] = {
    "day_continuous_max_s": "日间连续驾驶时间上限",
    "night_continuous_max_s": "夜间连续驾驶时间上限",
    "min_rest_s": "每次停车休息时间下限",
    "daily_max_s": "24小时累计驾驶时间上限",
    "daily_window_s": "累计驾驶统计时段",
    "night_start_min": "夜间起始时刻",
    "night_end_min": "夜间结束时刻",
    "driving_speed_kmh": "视为行驶的速度下限",
    "max_point_gap_s": "按位移推算行驶的定位间隔",
    "coach_night_start_min": "客车凌晨停驶起始时刻",
    "coach_night_end_min": "客车凌晨停驶结束时刻",
    "coach_night_min_s": "凌晨违规运行累计时长下限",
    "coach_night_types": "凌晨2时至5时停驶的车辆类型",
    "limit_coach_kmh": "客运班车限速",
    "limit_charter_kmh": "旅游包车限速",
    "limit_dangerous_kmh": "危险货物运输车高速公路限速",
    "limit_default_kmh": "其他车辆默认限速",
    "limit_dangerous_other_kmh": "危险货物运输车其他道路限速",
    "coach_night_speed_ratio": "客车夜间限速比例",
    "overspeed_min_s": "计为超速的持续时间",
    "offline_s": "视为离线的定位间隔",
    "offline_move_m": "离线位移距离",
    "track_gap_s": "轨迹完整：时间间隔阈值",
    "track_gap_m": "轨迹完整：距离阈值",
    "drift_speed_kmh": "漂移：推算速度阈值",
    "lon_min": "经度下限",
    "lon_max": "经度上限",
    "lat_min": "纬度下限",
    "lat_max": "纬度上限",
    "speed_max_kmh": "合格记录速度上限",
    "altitude_min_m": "合格记录海拔下限",
    "altitude_max_m": "合格记录海拔上限",
    "future_tolerance_s": "未来时间容差",
    "min_valid_year": "有效定位时间最早年份",
    "required_types": "应入网车辆类型",
    "notice_online_rate_min": "通报点名：上线率下限",
    "notice_quality_rate_min": "通报点名：数据合格率下限",
    "notice_completeness_rate_min": "通报点名：轨迹完整率下限",
    "notice_drift_rate_max": "通报点名：漂移率上限",
}
# Parameters whose value is a comma list of vehicle types (registry.enums.VehicleType codes).
_TYPE_LIST_PARAMS = {"coach_night_types", "required_types"}


def param_value_text(name: str, value) -> str:
    """A parameter's value as a person reads it: vehicle types by their Chinese names."""
    if name in _TYPE_LIST_PARAMS:
        from zhifa.registry.enums import VehicleType

        names = dict(VehicleType.choices)
        return "、".join(str(names.get(v.strip(), v.strip())) for v in str(value).split(",") if v.strip())
    return str(value)


@dataclass(frozen=True)
class Rules:
    version: str
    valid_from: date
    params: dict[str, Param] = field(default_factory=dict)

    def __getattr__(self, name: str):
        params = self.__dict__.get("params")  # absent while unpickling (Spark workers): no recursion
        if params is None or name not in params:
            raise AttributeError(name)
        return params[name].value

    def explain(self) -> list[dict]:
        return [
            {"name": k, "label": PARAM_LABELS.get(k, k), "value": p.value, "value_text": param_value_text(k, p.value),
             "unit": p.unit, "kind": p.kind, "source": p.source}
            for k, p in sorted(self.params.items())
        ]

    def values(self) -> dict:
        return {k: p.value for k, p in self.params.items()}

    def with_overrides(self, overrides: dict) -> Rules:
        params = dict(self.params)
        for k, v in overrides.items():
            if k not in params:
                raise KeyError(k)
            old = params[k]
            params[k] = replace(old, value=type(old.value)(v), source=old.source + "（已按本地配置调整）")
        return replace(self, params=params)


RULESETS = [Rules(version="2025.1", valid_from=date(2018, 7, 1), params=BASE_PARAMS)]


def _env_overrides(base: Rules) -> dict:
    out = {}
    for k in base.params:
        raw = os.environ.get(f"ZHIFA_MON_{k.upper()}")
        if raw is not None and raw.strip():
            out[k] = raw.strip()
    return out


def rules_for(on: date, overrides: dict | None = None) -> Rules:
    """The rule set in force on ``on``, with local overrides from the environment and ``overrides``."""
    chosen = [r for r in RULESETS if r.valid_from <= on]
    base = chosen[-1] if chosen else RULESETS[0]
    merged = _env_overrides(base)
    merged.update(overrides or {})
    return base.with_overrides(merged) if merged else base


def speed_limit_kmh(rules: Rules, vehicle_type: str) -> float:
    """The limit of a vehicle type where no 路段限速 zone applies (the fallback of :func:`zone_limit_kmh`)."""
    return float(rules.params.get(f"limit_{vehicle_type}_kmh", rules.params["limit_default_kmh"]).value)


# --- 路段限速: default limits by road class ----------------------------------------------------------------
#
# 《道路交通安全法实施条例》(国务院令第405号), confirmed by search of the public corpus (this session, several
# reproductions of the text): 第四十五条 a vehicle may not exceed the speed on limit signs and markings; where
# there are none: (一) no centre line: urban road 30, highway (公路) 40 km/h; (二) one motor lane per direction:
# urban road 50, highway 70 km/h. 第四十六条 sharp bends, narrow roads and bridges, level crossings, U-turns,
# turns, steep descents, ice, snow, mud: 30 km/h. 第七十八条 expressway: at most 120, small passenger cars 120,
# other motor vehicles (coaches, trucks, dangerous goods) 100, motorcycles 80 km/h; a posted limit that differs
# is followed. Roads with two or more lanes per direction other than expressways have NO default in the 条例
# (the 70/80 km/h figures often quoted come from the repealed 1988 《道路交通管理条例》): such a zone needs a
# posted limit. A posted limit (one for all, or per vehicle type) always overrides the class default.


@dataclass(frozen=True)
class RoadClass:
    code: str
    label: str
    limits: dict[str, float]  # vehicle type → km/h, "default" for every other type; {} = posted limit needed
    source: str
    expressway: bool = False


_ART45 = "《道路交通安全法实施条例》第四十五条"
ROAD_CLASSES: dict[str, RoadClass] = {
    r.code: r
    for r in [
        RoadClass(
            "expressway",
            "高速公路",
            {"default": 100.0},
            "《道路交通安全法实施条例》第七十八条：高速公路其他机动车（含客车、货车）不得超过每小时100公里"
            "（小型载客汽车120公里、摩托车80公里，不属于两客一危车辆）",
            expressway=True,
        ),
        RoadClass(
            "highway_one_lane",
            "公路（同方向1条机动车道）",
            {"default": 70.0},
            _ART45 + "第（二）项：公路每小时70公里",
        ),
        RoadClass(
            "urban_one_lane",
            "城市道路（同方向1条机动车道）",
            {"default": 50.0},
            _ART45 + "第（二）项：城市道路每小时50公里",
        ),
        RoadClass(
            "highway_no_centre",
            "公路（无道路中心线）",
            {"default": 40.0},
            _ART45 + "第（一）项：公路每小时40公里",
        ),
        RoadClass(
            "urban_no_centre",
            "城市道路（无道路中心线）",
            {"default": 30.0},
            _ART45 + "第（一）项：城市道路每小时30公里",
        ),
        RoadClass(
            "special",
            "急弯、窄路、窄桥、铁路道口、陡坡等路段",
            {"default": 30.0},
            "《道路交通安全法实施条例》第四十六条：最高每小时30公里",
        ),
        RoadClass(
            "multi_lane",
            "其他道路（同方向2条以上机动车道）",
            {},
            _ART45 + "：按限速标志、标线；条例对此类道路未规定默认限速，须填写路段限速",
        ),
    ]
}
POSTED_SOURCE = "《道路交通安全法实施条例》第四十五条、第七十八条：按道路限速标志、标线标明的速度行驶"


def zone_limit_kmh(
    rules: Rules,
    road_class: str,
    vehicle_type: str,
    *,
    posted: float | None = None,
    limits: dict | None = None,
) -> tuple[float, str]:
    """The day limit of ``vehicle_type`` in a 路段限速 zone and where it comes from: a posted limit for the
    type (``limits``), else one posted limit for all (``posted``), else the road class default; for a
    dangerous-goods vehicle without a posted limit of its own, capped by the local parameter
    (``limit_dangerous_kmh`` on expressways, ``limit_dangerous_other_kmh`` elsewhere)."""
    limits = limits or {}
    rc = ROAD_CLASSES[road_class]
    if vehicle_type in limits:
        return float(limits[vehicle_type]), POSTED_SOURCE
    if posted is not None:
        value, source = float(posted), POSTED_SOURCE
    elif "default" in limits:
        value, source = float(limits["default"]), POSTED_SOURCE
    elif rc.limits:
        value, source = float(rc.limits.get(vehicle_type, rc.limits["default"])), rc.source
    else:
        raise ValueError(f"道路等级“{rc.label}”没有法定默认限速，须填写路段限速")
    if vehicle_type == "dangerous":
        name = "limit_dangerous_kmh" if rc.expressway else "limit_dangerous_other_kmh"
        cap = rules.params[name]
        if float(cap.value) < value:
            value, source = float(cap.value), cap.source
    return value, source
