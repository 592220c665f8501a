"""Names of the audit actions of the register of regulated subjects and licences."""

from zhifa.core.audit import register_action_labels

from .enums import PermitAction

_SUBJECTS = {"enterprises": "企业", "persons": "从业人员", "vehicles": "车辆", "licences": "证照"}


def _permit(action: str) -> str:
    return f"许可决定：{PermitAction(action).label}" if action in PermitAction.values else ""


def _subject_save(rest: str) -> str:
    kind, _, what = rest.partition(".")
    return f"保存{_SUBJECTS[kind]}信息" if what == "save" and kind in _SUBJECTS else ""


register_action_labels(
    {"person.idcard_view": "查看从业人员完整身份证号"},
    prefixes={"registry.permit.": _permit, "registry.": _subject_save},
)
