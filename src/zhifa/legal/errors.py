"""Error codes of 法制工作; every refusal names the rule and article it enforces."""

from zhifa.core.errors import ErrorCode


class LegalError(ErrorCode):
    INVALID = "legal.invalid", "输入有误：{detail}", 422
    NOT_FOUND = "legal.not_found", "记录不存在或无权查看", 404
    ROLE = "legal.role", "“{what}”须由{roles}办理", 403
    STATE = "legal.state", "文件当前状态为“{state}”，不能“{what}”", 409
    COMMENT_OPEN = ("legal.comment_open", "征求意见期至{until}届满，届满后方可送合法性审核", 409)
    LEGAL_REVIEW_MISSING = (
        "legal.legal_review_missing",
        "未经合法性审核或审核未通过的规范性文件不得提交集体审议（国办发〔2018〕37号：合法性审核是集体审议的前置程序）",
        409,
    )
    FAIR_REVIEW_MISSING = (
        "legal.fair_review_missing",
        "涉及经营者经济活动的规范性文件没有公平竞争审查结论（或结论为不得出台）的，不得出台（《公平竞争审查条例》第十八条）",
        409,
    )
    FAIR_FINDINGS = "legal.fair_findings", "公平竞争审查有误：{detail}（《公平竞争审查条例》{article}）", 422
    NOT_DELIBERATED = (
        "legal.not_deliberated",
        "规范性文件须经集体审议后统一登记、编号、印发（国办发〔2018〕37号）",
        409,
    )
    NOT_PUBLISHED = (
        "legal.not_published",
        "规范性文件须先公布（未经公布的不得作为行政管理依据，国办发〔2018〕37号），方可{what}",
        409,
    )
    DECISION_STEP = "legal.decision_step", "{detail}（《重大行政决策程序暂行条例》{article}）", 409
    CAMPAIGN = "legal.campaign", "{detail}", 409
    REVIEWER_IS_HANDLER = (
        "legal.reviewer_is_handler",
        "案卷 {case} 没有可分配的评查人员：评查人员不得评查本人承办的案卷",
        409,
    )
    HEARING = (
        "legal.hearing",
        "{detail}（最高人民法院《关于行政机关负责人出庭应诉若干问题的规定》{article}）",
        422,
    )
