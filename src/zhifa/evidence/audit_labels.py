"""Names of the audit actions of 全过程记录 (each access to evidence is a custody event)."""

from zhifa.core.audit import register_action_labels

from .enums import CustodyAction


def _custody(action: str) -> str:
    return f"证据{CustodyAction(action).label}" if action in CustodyAction.values else ""


register_action_labels({}, prefixes={"evidence.": _custody})
