"""Local configuration of the case workflow that is not a legal number: the bureau's
重大执法决定法制审核目录 (review catalogue) and the 案卷评查 scoresheet. Legal periods, thresholds and
amounts are NOT here: they live in the rules library (``zhifa.rules.params.procedure_param``) and the
workflow asks it (see ``clocks.param``)."""

from __future__ import annotations

import os

# --- 重大执法决定法制审核目录 (local review catalogue) -------------------------------------------
# 处罚法 Art 58 (1)-(4) plus a bureau's own catalogue. Default entries follow the common county
# catalogue pattern; a bureau replaces them with a JSON file named by ZHIFA_REVIEW_CATALOGUE, a list of
# {"kind": "fine_at_least_fen"|"penalty_type"|"violation_code", "value": ..., "label": "..."}.
DEFAULT_REVIEW_CATALOGUE = [
    {"kind": "penalty_type", "value": "revoke", "label": "暂扣许可证件、降低资质等级、吊销许可证件"},
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
