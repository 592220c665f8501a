from zhifa.core.errors import ErrorCode


class CreditError(ErrorCode):
    REPAIR_TOO_EARLY = (
        "credit.repair_too_early",
        "未满最短公示期，{date} 起方可申请信用修复（《信用修复管理办法》第十条第一项）",
        422,
    )
    REPAIR_OBLIGATIONS = (
        "credit.repair_obligations",
        "未纠正失信行为或未履行完毕处罚义务，不予修复（《信用修复管理办法》第十条第二项）",
        422,
    )
    REPAIR_PLEDGE = (
        "credit.repair_pledge",
        "未作出信用承诺，不予受理（《信用修复管理办法》第十条第三项）",
        422,
    )
    REPAIR_NOT_NEGATIVE = "credit.repair_not_negative", "该记录不是有效的失信信息，无需修复", 409
    REPAIR_DECIDED = "credit.repair_decided", "该申请已作出决定", 409
    FORBIDDEN = "credit.forbidden", "无权处理：{detail}", 403
    LIST_STATE = "credit.list_state", "名单当前状态“{state}”不能{action}", 409
    LIST_CRITERION = "credit.list_criterion", "未知的列入情形：{criterion}", 422
    OBJECTION_OPEN = "credit.objection_open", "异议期至 {date} 届满，届满后方可决定列入", 409
    POINTS_ITEM = "credit.points_item", "诚信考核计分分值表中没有计分项目“{item}”", 422
    MERGE = "credit.merge", "不能合并信用档案：{detail}", 422
