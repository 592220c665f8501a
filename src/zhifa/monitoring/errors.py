from zhifa.core.errors import ErrorCode


class MonitoringError(ErrorCode):
    NOT_BUSINESS = (
        "monitoring.not_business",
        "仅执法人员、法制审核人员和执法部门负责人可以处理动态监控数据",
        403,
    )
    OUT_OF_SCOPE = ("monitoring.out_of_scope", "{what}不在您的单位管辖范围内", 403)
    MONTH = ("monitoring.month", "月份“{value}”格式应为 YYYY-MM", 422)
    ENGINE = ("monitoring.engine", "计算引擎“{value}”无效，应为 duckdb 或 spark", 422)
    REVIEWED = ("monitoring.reviewed", "该线索已审核（{status}），不能重复处理", 409)
    DECISION = (
        "monitoring.decision",
        "审核结论“{value}”无效，应为 notice（通知企业整改）、case（转案源）或 dismiss（不予处理）",
        422,
    )
    NOTE_REQUIRED = (
        "monitoring.note_required",
        "不予处理须写明理由（《行政处罚法》第五十四条：发现违法行为应当依法处理）",
        422,
    )
    TERMINAL = ("monitoring.terminal", "终端信息有误：{detail}", 422)
    TERMINAL_TAKEN = (
        "monitoring.terminal_taken",
        "终端 {terminal_no} 已绑定本辖区以外的车辆，不能改绑；请联系该终端的登记单位解除绑定",
        409,
    )
    INGEST = ("monitoring.ingest", "定位数据有误：{detail}", 422)
    ZONES = ("monitoring.zones", "路段限速文件有误：{detail}", 422)
    JT809 = ("monitoring.jt809", "平台对接：{detail}", 422)
