"""Names of the audit actions of 两客一危 monitoring."""

from zhifa.core.audit import register_action_labels

register_action_labels(
    {
        "monitoring.terminal_bind": "动态监控：绑定车载终端",
        "monitoring.positions_ingest": "动态监控：导入定位数据",
        "monitoring.monthly_run": "动态监控：月度考核计算",
        "monitoring.lead_review": "动态监控：审核违规线索",
        "monitoring.speed_zones_import": "动态监控：导入路段限速",
        "monitoring.jt809_spotcheck": "动态监控：平台查岗",
        "monitoring.jt809_supervision": "动态监控：报警督办",
        "monitoring.jt809_overdue": "动态监控：报警督办逾期处理",
    }
)
