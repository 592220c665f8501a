"""Events of 双公示 (see :mod:`zhifa.core.events`); ``credit`` listens to them."""

from zhifa.core import events

DECISION_RECORDED = events.declare(
    "disclosure.decision_recorded",
    label="一项行政决定已记入双公示（计入信用档案）",
    payload=("record", "actor"),
)
RECORD_WITHDRAWN = events.declare(
    "disclosure.record_withdrawn",
    label="双公示信息因决定变更或撤销而撤下",
    payload=("record", "actor", "reason"),
)
RECORD_EXPIRED = events.declare(
    "disclosure.record_expired",
    label="双公示信息公示期满，停止公示",
    payload=("record", "on", "actor", "reason"),
)
# The daily run (`zhifa disclosure tick`): listeners do their own daily work in it and return a dict of
# counts that the run reports. (A job scheduler will give each app its own daily job.)
DAILY_RUN = events.declare(
    "disclosure.daily_run",
    label="双公示每日运行（到期公示、期满停止）",
    payload=("on", "actor"),
)
