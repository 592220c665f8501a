"""Events 双随机 emits (see :mod:`zhifa.core.events`). An app of the same layer subscribes through
``events.named`` (it may not import this module)."""

from zhifa.core import events

RECORD_SUBMITTED = events.declare(
    "inspections.record_submitted",
    label="双随机检查记录已提交",
    payload=(
        "record",  # the InspectionRecord, submitted
        "bureau",  # the Org that drew (谁检查)
        "uscc",  # the inspected enterprise's 统一社会信用代码
        "drawn_on",  # the task's draw date: the day its target list was taken
        "inspected_on",
        "passed",  # True when the record found nothing (未发现问题)
        "summary",  # Chinese: task, result and findings, for the listener's own record
        "from_postchecks",  # True when the task drew from the 告知承诺事后核查名录
        "actor",
    ),
)
