from zhifa.core.errors import ErrorCode


class DisclosureError(ErrorCode):
    MISSING_ITEMS = (
        "disclosure.missing_items",
        "数据项不全，暂缓公示（不得公示残缺记录）：缺少{items}",
        422,
    )
    NOT_PUBLIC = "disclosure.not_public", "该记录依法不予公示：{reason}", 409
    BAD_STATE = "disclosure.bad_state", "当前状态“{state}”不能{action}", 409
    FORBIDDEN = "disclosure.forbidden", "无权操作：执法公示由负责人或法制审核人员发布，且仅限本单位", 403
    NOT_YOURS = (
        "disclosure.not_allowed",
        "无权公示或补录：仅本单位及其上级单位的执法人员、法制审核人员和执法部门负责人可以操作（三员不办理业务）",
        403,
    )
