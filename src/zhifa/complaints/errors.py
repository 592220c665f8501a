"""Error codes of 投诉举报; every refusal says which rule it enforces."""

from zhifa.core.errors import ErrorCode


class ComplaintError(ErrorCode):
    INVALID = "complaints.invalid", "输入有误：{detail}", 422
    NOT_ALLOWED = "complaints.not_allowed", "工单当前状态“{state}”不能“{what}”", 409
    ROLE = "complaints.role", "“{what}”须由{roles}办理", 403
    NO_REPLY = (
        "complaints.no_reply",
        "未答复诉求人不得办结（《信访工作条例》第三十四条“办结并书面答复”；国办发〔2020〕53号受理、办理、回复、办结闭环）",
        409,
    )
    NO_REVISIT = (
        "complaints.no_revisit",
        "{track}须经回访、记录满意度后方可办结（{source}）",
        409,
    )
    REDO_ONLY_UNSATISFIED = "complaints.redo", "只有回访“不满意”的工单才能重办", 409
    EXTENSION = "complaints.extension", "延期有误：{detail}（{article}）", 409
    CAPTCHA = "complaints.captcha", "验证码不正确或已过期，请重新输入", 422
    RATE = "complaints.rate", "提交过于频繁，请{minutes}分钟后再试", 429
    NOT_FOUND = "complaints.not_found", "工单不存在或无权查看", 404
