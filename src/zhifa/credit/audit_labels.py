"""Names of the audit actions of 信用管理."""

from zhifa.core.audit import register_action_labels

from .models import RecordStatus


def _record(status: str) -> str:
    return f"信用记录：{RecordStatus(status).label}" if status in RecordStatus.values else ""


register_action_labels(
    {
        "credit.record_add": "信用记录：新增",
        "credit.record_update": "信用记录：更新事项",
        "credit.file_merge": "信用档案：合并主体",
        "credit.list_notice": "名单：告知拟列入",
        "credit.list_objection": "名单：当事人异议",
        "credit.list_decide": "名单：决定列入",
        "credit.list_end": "名单：移出",
        "credit.rating_run": "信用评价：初评",
        "credit.rating_recompute": "信用评价：重新计算",
        "credit.rating_finalise": "信用评价：确定并公布",
        "credit.repair_apply": "信用修复：申请",
        "credit.repair_decide": "信用修复：决定",
    },
    prefixes={"credit.record_": _record},
)
