"""Credit rule data with sources (enforcement-tech.md §1.5, §5; procedure.md §3.4).

Confirmed vs not:
* Driver 诚信考核: 12-month cycle from the first 从业资格证, full score 20, single violations 20/10/5/3/1,
  grades AAA/AA/A/B, exceeding the points -> B (《道路运输从业人员管理规定》第三十七条 as quoted ✅). The point
  bands for AAA/AA/A are NOT confirmed (secondary sources contradict): the bands below are a local choice,
  overridable with ZHIFA_CREDIT_DRIVER_BANDS='[[0,"AAA"],[10,"AA"],[19,"A"]]' (max points for the grade).
  Points per behaviour (the 办法's 附件1 计分分值) are rule data in ``data/driver_points.json`` (see
  ``credit.driver_points``): the annex text was not retrieved, so its items are provisional and a bureau's
  verified table replaces it through ZHIFA_CREDIT_DRIVER_POINTS.
* Enterprise 质量信誉考核: Guangdong 1000-point scheme (AAAA ≥950 top 10%, AAA ≥850, AA ≥700, A ≥600,
  B on a disqualifying condition; 粤交运 诚信评价管理办法 第六条 🟡 as quoted); the national trial scheme is
  believed to use the same 850/700/600 cut-offs ⚠️. Deductions per record are a local choice.
* 治超 serious-dishonesty list: the ten situations (creding.com on the 2017 信用交通 publication ✅ content,
  document number ⚠️). List periods are a local choice (ZHIFA_CREDIT_LIST_YEARS, default 3, matching the
  36号令 maximum for 严重 information).
"""

from __future__ import annotations

import json
import os

SCHEME = os.environ.get("ZHIFA_CREDIT_ENTERPRISE_SCHEME", "national")  # or "guangdong"

DRIVER_FULL_POINTS = 20
DRIVER_POINT_VALUES = (20, 10, 5, 3, 1)
DRIVER_BANDS = [
    tuple(x)
    for x in json.loads(os.environ.get("ZHIFA_CREDIT_DRIVER_BANDS", '[[0, "AAA"], [10, "AA"], [19, "A"]]'))
]

def scheme_label(scheme: str) -> str:
    """What a rating's 考核办法 is called on the pages (the rating row keeps the code)."""
    if scheme == "driver":
        return "道路运输驾驶员诚信考核"
    spec = ENTERPRISE_SCHEMES.get(scheme)
    return "道路运输企业质量信誉考核" + ("（广东）" if scheme == "guangdong" else "") if spec else scheme


ENTERPRISE_SCHEMES = {
    "national": {
        "title": "《道路运输企业质量信誉考核办法（试行）》（全国，文号未核实）",
        "base": 1000,
        "bands": [(850, "AAA"), (700, "AA"), (600, "A")],
        "confirmed": False,
    },
    "guangdong": {
        "title": "《广东省交通运输厅关于道路运输企业诚信评价的管理办法》第六条",
        "base": 1000,
        "bands": [(950, "AAAA"), (850, "AAA"), (700, "AA"), (600, "A")],
        "confirmed": True,
    },
}
# points deducted from the base per active negative record, by severity (local choice)
DEDUCTIONS = {"minor": 10, "general": 50, "serious": 200, "": 20}
SEVERITY_LABELS = {"minor": "轻微", "general": "一般", "serious": "严重"}  # 失信程度 as the pages show it
BONUS = {"commendation": 20}
# disqualifying conditions -> grade B (the scheme's "B 级" clause)
DISQUALIFYING = {
    "black": "列入黑名单（失信联合惩戒对象）",
    "fatal_accident": "发生负同等以上责任的死亡安全生产责任事故",
}

LIST_YEARS = int(os.environ.get("ZHIFA_CREDIT_LIST_YEARS", "3"))
OBJECTION_WORKDAYS = int(os.environ.get("ZHIFA_CREDIT_OBJECTION_WORKDAYS", "5"))  # local choice

# 治超 严重失信当事人名单: ten inclusion situations (enforcement-tech.md §1.5)
OVERLOAD_BLACKLIST_CRITERIA = {
    "ZC-BL-1": "货运车辆1年内违法超限运输超过3次",
    "ZC-BL-2": "货运车辆驾驶人1年内违法超限运输超过3次",
    "ZC-BL-3": "道路运输企业1年内违法超限运输的货运车辆超过本单位货运车辆总数10%且被责令停业整顿",
    "ZC-BL-4": "车辆维修企业非法改装车辆情节严重被吊销经营许可",
    "ZC-BL-5": "指使、强令驾驶人超限运输货物，罚款2万元以上或1年内被处罚3次以上",
    "ZC-BL-6": "隐瞒事实、提供虚假材料或以欺骗、贿赂等手段取得超限运输许可",
    "ZC-BL-7": "驾驶人、货运源头单位、大件运输企业无正当理由拒绝检查或提供虚假信息",
    "ZC-BL-8": "堵塞交通、强行闯卡、暴力抗法或破坏设施并受到公安机关处罚",
    "ZC-BL-9": "因超限运输造成重大责任事故且负同等以上责任",
    "ZC-BL-10": "暴力抗法致人伤亡",
    "OTHER": "其他依法依规列入的情形",
}
RED_CRITERIA = {"RED-AAA": "上一年度质量信誉考核AAA级以上且无失信记录"}
WATCH_CRITERIA = {"WATCH-1": "一年内有一般以上失信记录两次以上"}

# joint measures (联合惩戒/激励) other modules consult through credit_measures_for(); keys are stable
MEASURES = {
    "black": [
        ("inspection_ratio_up", "提高双随机抽查比例和频次"),
        ("no_commitment_approval", "不适用告知承诺制"),
        ("no_incomplete_acceptance", "不适用容缺受理"),
        ("no_commendation", "不得参加评先评优"),
    ],
    "watch": [("inspection_ratio_up", "提高双随机抽查比例和频次")],
    "red": [
        ("inspection_ratio_down", "降低双随机抽查比例"),
        ("green_channel", "信易行：行政许可绿色通道、容缺受理"),
    ],
}
