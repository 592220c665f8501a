"""Events of the register (see :mod:`zhifa.core.events`); ``disclosure`` and ``credit`` listen to them."""

from zhifa.core import events

# A 许可决定 (grant, change, renewal, 注销, 撤销, 暂扣, 发还, 吊销, 恢复) was recorded and moved its licence.
# ``publish_on``: the day its public side is due (None: today); ``immediately``: publish now, not after commit.
PERMIT_DECIDED = events.declare(
    "registry.permit_decided",
    label="许可决定已记录（证照状态已变更）",
    payload=("decision", "actor", "publish_on", "immediately"),
)
