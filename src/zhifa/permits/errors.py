"""Error codes of 行政许可; every refusal names the field or the article it enforces."""

from zhifa.core.errors import ErrorCode


class PermitError(ErrorCode):
    INVALID = "permits.invalid", "输入有误：{detail}", 422
    STATE = "permits.state", "申请当前状态“{state}”不能{what}", 409
    CLOCK = "permits.clock", "{detail}（{article}）", 409
    ROLE = "permits.role", "“{what}”须由{roles}办理", 403
    NOT_FOUND = "permits.not_found", "{what}不存在或无权查看", 404
