"""Names of the audit actions of core (and of the demo loader, which is no installed app)."""

from zhifa.core.audit import register_action_labels


def _import(kind: str) -> str:
    from zhifa.core.imports import get_importer

    try:
        return f"数据导入：{get_importer(kind).label}"
    except Exception:  # an import kind no longer registered still gets a name
        return f"数据导入（{kind}）"


register_action_labels(
    {"calendar.schedule_import": "导入放假安排", "demo.load": "载入演示数据"},
    prefixes={"import.": _import},
)

register_action_labels({"list.export": "导出列表（Excel / CSV）"})
