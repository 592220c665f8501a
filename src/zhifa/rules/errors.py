"""Error codes of the rules domain, with the Chinese messages a person reads."""

from __future__ import annotations

from zhifa.core.errors import ErrorCode


class RulesError(ErrorCode):
    INVALID = "rules.invalid", "规则数据有误：{detail}", 422
    NOT_FOUND = "rules.not_found", "{what}不存在或在该日期不施行", 404
    PARAM_NOT_FOUND = "rules.param_not_found", "程序参数“{name}”不存在或在 {on} 不施行", 404
    FORBIDDEN = "rules.forbidden", "无权执行此操作：{detail}", 403
    VERSION_CONFLICT = (
        "rules.version_conflict",
        "执法事项 {code} 已有 {on} 生效的版本且内容不同：修订不覆盖原版本，请以新的生效日期发布新版本",
        409,
    )
    VERSION_NOT_LATER = (
        "rules.version_not_later",
        "新版本的生效日期应晚于现行最新版本的生效日期（{latest}）：修订只能向后生效，不改写已施行的版本",
        422,
    )
    TIER_MISSING = "rules.tier_missing", "执法事项 {code} 没有“{tier}”裁量阶次", 422
    NOT_OVERLIMIT = (
        "rules.not_overlimit",
        "超限质量应大于 0 千克（《超限运输车辆行驶公路管理规定》第四十三条）",
        422,
    )
    INCOME_REQUIRED = "rules.income_required", "该阶次按违法所得倍数计算，请提供违法所得金额", 422
