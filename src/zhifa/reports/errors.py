from zhifa.core.errors import ErrorCode


class ReportError(ErrorCode):
    NOT_HEAD = ("reports.not_head", "只有执法部门负责人可以签发年度报告或印发通报", 403)
    ISSUED = ("reports.issued", "《{title}》已于 {at} 签发，不能再修改；如需更正请另行起草说明", 409)
    LINT_ERRORS = ("reports.lint_errors", "报告有 {n} 处必须改正的问题：{first}", 422)
    EXISTS = ("reports.exists", "{org}{year}年度的报告已存在", 409)
    BAD_YEAR = ("reports.bad_year", "年度“{year}”无效：请填写 2000 至 2100 之间的年份", 422)
    BAD_MONTH = ("reports.bad_month", "月份“{month}”无效：请按 YYYY-MM 填写", 422)
    NO_INDICATORS = ("reports.no_indicators", "请至少选择一项通报指标", 422)
    NOT_READY = ("reports.not_ready", "通报文件尚未生成完毕，请稍候刷新", 409)
    BULLETIN_EXISTS = ("reports.bulletin_exists", "{org}{month}的月度通报已生成", 409)
    FILE_CHANGED = (
        "reports.file_changed",
        "通报“{number}”的存档文件校验失败（摘要不符），可能已被修改或损坏",
        500,
    )
    BAD_MOVE = ("reports.bad_move", "通报当前状态为“{state}”，不能进行此操作", 409)
