"""Names of the audit actions of 执法办案: each case step is named as the move table names it."""

from zhifa.core.audit import register_action_labels


def _move(action: str) -> str:
    from .workflow import MOVES

    move = MOVES.get(action)
    return f"办案：{move.label}" if move else ""


register_action_labels(
    {
        "case.create": "新建案件",
        "case.view": "查看案件",
        "case.summary_decide": "办案：当场处罚决定（简易程序）",
        "case.reviewer_qualification": "登记法制审核人员资格",
        "case_source.create": "登记案源",
        "case_source.accept": "案源受理",
        "case_source.close": "案源处理完毕",
    },
    prefixes={"case.": _move},
)
