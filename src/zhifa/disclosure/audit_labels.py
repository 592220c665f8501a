"""Names of the audit actions of 双公示."""

from zhifa.core.audit import register_action_labels

from .models import DisclosureState


def _state(state: str) -> str:
    return f"双公示：{DisclosureState(state).label}" if state in DisclosureState.values else ""


register_action_labels(
    {
        "disclosure.emit": "双公示：生成公示信息",
        "disclosure.publish": "双公示：公示",
        "disclosure.complete": "双公示：补全数据项",
        "disclosure.export": "双公示：导出报送批次",
    },
    prefixes={"disclosure.": _state},
)
