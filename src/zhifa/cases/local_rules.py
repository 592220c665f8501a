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
    ("basis", "决定无法律依据（未载明违反条款或处罚依据）", "《行政处罚法》第三十八条、第五十九条"),
    ("range", "处罚超出法定种类或幅度", "《行政处罚法》第三十八条及所适用的罚则条款"),
    ("evidence", "证据不足（无调查取证记录）", "《行政处罚法》第四十条、第四十六条"),
    ("notice", "作出决定前未告知", "《行政处罚法》第四十四条、第六十二条"),
    ("hearing_told", "应告知听证权利而未告知", "《行政处罚法》第四十四条、第六十三条、第六十四条第（一）项"),
    ("hearing", "应听证未听证", "《行政处罚法》第六十三条、第六十四条"),
    ("review", "应法制审核未审核", "《行政处罚法》第五十八条"),
    ("discussion", "应集体讨论未讨论", "《行政处罚法》第五十七条第二款"),
    ("deadline", "超过办案期限且无延期记录", "《行政处罚法》第六十条"),
    ("service", "无送达凭证或视为送达日错误", "《行政处罚法》第六十一条；《民事诉讼法》第九十五条"),
    ("signature", "笔录未经签名或未注明拒签", "《行政处罚法》第五十五条、第六十四条第（八）项；《交通运输行政执法程序规定》关于笔录签名的规定（条号待核实）"),
    ("measures", "先行登记保存逾期未处理或查封扣押超期", "《行政处罚法》第五十六条；《行政强制法》第二十五条、第二十八条"),
    ("education", "不予处罚未记录教育", "《行政处罚法》第三十三条第三款"),
]
DEFAULT_FORM_ITEMS = [
    {"code": "register_form", "label": "立案登记表经负责人批准", "points": 4,
     "article": "《交通运输行政执法程序规定》第六十三条"},
    {"code": "records", "label": "调查取证笔录齐全", "points": 4, "article": "《行政处罚法》第五十五条"},
    {"code": "report", "label": "调查终结报告", "points": 2, "article": "《行政处罚法》第五十七条"},
    {"code": "reasons", "label": "裁量理由已说明", "points": 4,
     "article": "《行政处罚法》第三十四条；国办发〔2022〕27号"},
    {"code": "service_method", "label": "送达方式记载完整", "points": 2, "article": "《行政处罚法》第六十一条"},
    {"code": "order", "label": "案卷按立案→调查→审查→决定→送达→执行顺序排列", "points": 2,
     "article": "案卷评查卷面标准（本局评查细则）"},
    {"code": "timely", "label": "各环节期限内完成", "points": 2,
     "article": "《交通运输行政执法程序规定》第六十一条第（八）项（当场处罚备案）"},
]


def scoresheet() -> dict:
    import json

    path = os.environ.get("ZHIFA_CASEFILE_SCORESHEET", "").strip()
    form = DEFAULT_FORM_ITEMS
    if path:
        with open(path, encoding="utf-8") as fh:
            form = list(json.load(fh).get("form", form))
    return {"veto": VETO_ITEMS, "form": form}
