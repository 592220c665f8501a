"""Names of the audit actions of 投诉举报."""

from zhifa.core.audit import register_action_labels

register_action_labels(
    {
        "complaint.create": "投诉举报：登记工单",
        "complaint.accept": "投诉举报：受理",
        "complaint.refuse": "投诉举报：不予受理",
        "complaint.dispatch": "投诉举报：转办/交办",
        "complaint.objection": "投诉举报：派单异议（退回）",
        "complaint.handle": "投诉举报：办理",
        "complaint.extend": "投诉举报：延期（经负责人批准）",
        "complaint.reply": "投诉举报：答复",
        "complaint.revisit": "投诉举报：回访",
        "complaint.redo": "投诉举报：重办",
        "complaint.close": "投诉举报：办结",
        "complaint.review": "投诉举报：受理复查/复核申请",
        "complaint.archive": "投诉举报：归档",
        "complaint.merge": "投诉举报：并单",
        "complaint.to_case": "投诉举报：转为案源",
        "complaint.case_outcome": "投诉举报：案件处理结果回传",
        "complaint.reveal": "投诉举报：查看诉求人信息",
        "complaint.platform_export": "投诉举报：导出至热线平台",
    },
    prefixes={"complaint.": lambda rest: _move(rest)},
)


def _move(rest: str) -> str:
    from .services import ACTION_LABELS

    return f"投诉举报：{ACTION_LABELS[rest]}" if rest in ACTION_LABELS else ""
