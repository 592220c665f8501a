"""Procedure parameters of the case workflow, as rule data with their sources.

Each entry: value, unit, day type (procedure.md §0), the article it comes from, the confidence of the
source ([V] checked against the statute text, [S] secondary copy, [?] unconfirmed -> configurable),
and the dates it applies. :func:`param` asks ``zhifa.rules.selectors.procedure_param`` first when the
rules module provides it (the legal-basis library is the single home of rule data) and falls back to
this table, so the workflow runs before and after that module lands.

Confirmed with the ``search`` tool during this work:
* 程序规定 (2021 text, jianbiaoku copy m.jianbiaoku.com/webarbs/book/143334/4862561.shtml) Art 60: 简易程序
  for 公民 ≤200 元 / 法人或者其他组织 ≤3,000 元 or 警告; Art 61(8): copy of the 当场处罚决定书 filed with the
  department "作出当场处罚决定之日起五日内" (day type not stated; counted in working days like 处罚法 Art 85 —
  [?]); Arts 62–63: 立案 "及时", 立案登记表 approved by the 执法部门负责人.
* 较大数额 (hearing threshold) for 广东: 公民 5,000 元以上 / 法人或者其他组织 10 万元以上 — a Guangdong local
  government FAQ quoting 《广东省行政处罚听证程序实施办法》 [S]; per-province, so env-configurable.
* 陈述申辩 period: not fixed by 处罚法 Art 45; a transport flow chart says "三日内" [S/?]; configurable.
* 90-day extension regime of 程序规定: not found in the corpus [?]; an extension is recorded with head
  approval and written reasons, length configurable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Param:
    name: str
    value: int
    unit: str  # "fen", "workdays", "days", "months", "years", "permille_per_day", "count"
    label: str
    article: str
    confidence: str = "V"
    valid_from: date = date(2021, 7, 15)
    valid_to: date | None = None
    env: str = ""
    note: str = ""
    inputs: dict = field(default_factory=dict)

    def explain(self) -> str:
        unit = {
            "fen": "分",
            "workdays": "个工作日",
            "days": "日（自然日）",
            "months": "个月",
            "years": "年",
            "permille_per_day": "‰/日",
            "count": "人",
        }.get(self.unit, self.unit)
        conf = {"V": "已核对原文", "S": "二手来源", "?": "未确认，可配置"}[self.confidence]
        extra = f"；可由环境变量 {self.env} 配置" if self.env else ""
        return f"{self.label}：{self.value}{unit}（{self.article}；{conf}{extra}）"


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw.lstrip("-").isdigit() else default


def _table() -> dict[str, Param]:
    rows = [
        Param(
            "summary_max_fine_citizen_fen",
            20000,
            "fen",
            "简易程序罚款上限（公民）",
            "《行政处罚法》第五十一条；《交通运输行政执法程序规定》第六十条",
        ),
        Param(
            "summary_max_fine_org_fen",
            300000,
            "fen",
            "简易程序罚款上限（法人或者其他组织）",
            "《行政处罚法》第五十一条；《交通运输行政执法程序规定》第六十条",
        ),
        Param(
            "summary_filing_workdays",
            _env_int("ZHIFA_SUMMARY_FILING_WORKDAYS", 5),
            "workdays",
            "当场处罚决定书副本备案期限",
            "《交通运输行政执法程序规定》第六十一条第（八）项",
            "S",
            env="ZHIFA_SUMMARY_FILING_WORKDAYS",
            note="“五日内”，日的类型原文未明示，按工作日计",
        ),
        Param("min_officers", 2, "count", "执法人员最少人数", "《行政处罚法》第四十二条"),
        Param("limitation_years", 2, "years", "追责时效", "《行政处罚法》第三十六条第一款"),
        Param(
            "limitation_years_serious",
            5,
            "years",
            "追责时效（涉及公民生命健康安全、金融安全且有危害后果）",
            "《行政处罚法》第三十六条第一款",
        ),
        Param("decision_limit_days", 90, "days", "办案期限（自立案之日起）", "《行政处罚法》第六十条"),
        Param(
            "decision_extension_days",
            _env_int("ZHIFA_CASE_EXTENSION_DAYS", 30),
            "days",
            "办案期限延长（经负责人批准并书面记录理由）",
            "《行政处罚法》第六十条“法律、法规、规章另有规定的，从其规定”；交通运输延期规则未确认",
            "?",
            env="ZHIFA_CASE_EXTENSION_DAYS",
        ),
        Param(
            "statement_workdays",
            _env_int("ZHIFA_STATEMENT_WORKDAYS", 3),
            "workdays",
            "陈述申辩期限",
            "《行政处罚法》第四十五条（未规定期限）；交通运输流程图“三日内”",
            "?",
            env="ZHIFA_STATEMENT_WORKDAYS",
        ),
        Param(
            "hearing_request_workdays",
            5,
            "workdays",
            "听证申请期限（告知后）",
            "《行政处罚法》第六十四条第（一）项",
        ),
        Param(
            "hearing_notice_workdays", 7, "workdays", "听证通知提前期", "《行政处罚法》第六十四条第（二）项"
        ),
        Param(
            "hearing_threshold_citizen_fen",
            _env_int("ZHIFA_HEARING_CITIZEN_YUAN", 5000) * 100,
            "fen",
            "较大数额罚款（公民，含本数）",
            "《行政处罚法》第六十三条；广东省行政处罚听证程序实施办法（二手来源）",
            "S",
            env="ZHIFA_HEARING_CITIZEN_YUAN",
        ),
        Param(
            "hearing_threshold_org_fen",
            _env_int("ZHIFA_HEARING_ORG_YUAN", 100000) * 100,
            "fen",
            "较大数额罚款（法人或者其他组织，含本数）",
            "《行政处罚法》第六十三条；广东省行政处罚听证程序实施办法（二手来源）",
            "S",
            env="ZHIFA_HEARING_ORG_YUAN",
        ),
        Param(
            "service_absent_workdays",
            7,
            "workdays",
            "当事人不在场时决定书送达期限",
            "《行政处罚法》第六十一条第一款",
        ),
        Param(
            "payment_days", 15, "days", "罚款缴纳期限（自收到决定书之日起）", "《行政处罚法》第六十七条第三款"
        ),
        Param(
            "surcharge_permille_per_day",
            30,
            "permille_per_day",
            "加处罚款（每日按罚款数额的3%）",
            "《行政处罚法》第七十二条第一款第（一）项；《行政强制法》第四十五条（不得超出罚款数额）",
        ),
        Param(
            "court_reminder_workdays",
            10,
            "workdays",
            "催告书送达后申请法院强制执行等待期",
            "《行政强制法》第五十四条、第六十九条",
        ),
        Param("reconsideration_days", 60, "days", "申请行政复议期限", "《行政复议法》（2023）第二十条"),
        Param("litigation_months", 6, "months", "提起行政诉讼期限", "《行政诉讼法》第四十六条"),
        Param(
            "court_apply_months",
            3,
            "months",
            "申请法院强制执行期限（复议、诉讼期限届满之日起）",
            "《行政强制法》第五十三条",
        ),
        Param("deadline_board_days", 3, "days", "期限看板临期天数", "本系统设置", "V"),
    ]
    return {p.name: p for p in rows}


def param(name: str, *, on: date | None = None) -> Param:
    """The parameter ``name`` in force on ``on`` (rules module first, then this table)."""
    try:  # the legal-basis library, when the rules module provides it
        from zhifa.rules.selectors import procedure_param  # type: ignore[attr-defined]
    except ImportError:
        procedure_param = None
    if procedure_param is not None:
        try:
            found = procedure_param(name, on=on)
        except Exception:  # noqa: BLE001 - an unknown name there falls back to this table
            found = None
        if found is not None:
            value = getattr(found, "value", found)
            if isinstance(value, int):
                local = _table().get(name)
                if local is not None:
                    return Param(
                        name,
                        value,
                        local.unit,
                        local.label,
                        getattr(found, "article", local.article) or local.article,
                        local.confidence,
                    )
    return _table()[name]


def value(name: str, *, on: date | None = None) -> int:
    return param(name, on=on).value


# --- 重大执法决定法制审核目录 (local review catalogue) -------------------------------------------
# 处罚法 Art 58 (1)-(4) plus a bureau's own catalogue. Default entries follow the common county
# catalogue pattern; a bureau replaces them with a JSON file named by ZHIFA_REVIEW_CATALOGUE, a list of
# {"kind": "fine_at_least_fen"|"penalty_type"|"violation_code", "value": ..., "label": "..."}.
DEFAULT_REVIEW_CATALOGUE = [
    {"kind": "penalty_type", "value": "revoke", "label": "吊销许可证件、降低资质等级"},
    {"kind": "penalty_type", "value": "suspend", "label": "责令停产停业、限制从业"},
    {"kind": "hearing_threshold", "value": 1, "label": "拟作出较大数额罚款"},
]


def review_catalogue() -> list[dict]:
    import json

    path = os.environ.get("ZHIFA_REVIEW_CATALOGUE", "").strip()
    if path:
        with open(path, encoding="utf-8") as fh:
            return list(json.load(fh))
    return list(DEFAULT_REVIEW_CATALOGUE)


# --- 案卷评查 scoresheet (procedure.md §6) ---------------------------------------------------------
# Veto items (基本标准): any failure makes the file 不合格. Form items (卷面标准) with points. A bureau may
# replace the form-item points with ZHIFA_CASEFILE_SCORESHEET (JSON: {"form": [{"code", "label", "points"}]}).
VETO_ITEMS = [
    ("subject", "实施主体不合法", "《行政处罚法》第十七条、第三十八条"),
    ("certificate", "执法人员不具备执法资格", "《行政处罚法》第四十二条"),
    ("two_officers", "执法人员少于两人", "《行政处罚法》第四十二条"),
    ("evidence", "证据不足（无调查取证记录）", "《行政处罚法》第四十条、第四十六条"),
    ("notice", "作出决定前未告知", "《行政处罚法》第四十四条、第六十二条"),
    ("hearing", "应听证未听证", "《行政处罚法》第六十三条、第六十四条"),
    ("review", "应法制审核未审核", "《行政处罚法》第五十八条"),
    ("discussion", "应集体讨论未讨论", "《行政处罚法》第五十七条第二款"),
    ("deadline", "超过办案期限且无延期记录", "《行政处罚法》第六十条"),
    ("service", "无送达凭证", "《行政处罚法》第六十一条"),
    ("education", "不予处罚未记录教育", "《行政处罚法》第三十三条"),
]
DEFAULT_FORM_ITEMS = [
    {"code": "register_form", "label": "立案登记表经负责人批准", "points": 4},
    {"code": "records", "label": "调查取证笔录齐全", "points": 4},
    {"code": "report", "label": "调查终结报告", "points": 2},
    {"code": "reasons", "label": "裁量理由已说明", "points": 4},
    {"code": "service_method", "label": "送达方式记载完整", "points": 2},
    {"code": "order", "label": "案卷按立案→调查→审查→决定→送达→执行顺序排列", "points": 2},
    {"code": "timely", "label": "各环节期限内完成", "points": 2},
]


def scoresheet() -> dict:
    import json

    path = os.environ.get("ZHIFA_CASEFILE_SCORESHEET", "").strip()
    form = DEFAULT_FORM_ITEMS
    if path:
        with open(path, encoding="utf-8") as fh:
            form = list(json.load(fh).get("form", form))
    return {"veto": VETO_ITEMS, "form": form}
