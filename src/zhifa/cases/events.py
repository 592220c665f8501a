"""Events of 执法办案 (see :mod:`zhifa.core.events`); ``disclosure`` listens to them (双公示 of 行政处罚)."""

from zhifa.core import events

# A 行政处罚决定 was made (ordinary or summary procedure), or made anew after an appeal changed it.
PENALTY_DECIDED = events.declare(
    "cases.penalty_decided",
    label="作出行政处罚决定",
    payload=("case", "decided_on", "actor"),
)
# A 复议决定 or 判决 changed, revoked or declared illegal the decision: its public record comes down.
DECISION_OVERTURNED = events.declare(
    "cases.decision_overturned",
    label="处罚决定经复议或诉讼被变更、撤销或确认违法",
    payload=("case", "changed_on", "actor", "reason"),
)
# A 案源 was accepted into a case (立案) or closed without one (不予立案): the feeder it came from (a
# complaint's work order) learns the outcome without cases importing it.
SOURCE_ACCEPTED = events.declare(
    "cases.source_accepted",
    label="案源已立案",
    payload=("source", "case", "on", "actor"),
)
SOURCE_CLOSED = events.declare(
    "cases.source_closed",
    label="案源不予立案",
    payload=("source", "reason", "actor"),
)
# A case ended without a penalty: 不予行政处罚决定 (处罚法 Art 33) or 撤销立案. No public record follows; the
# feeder the case came from (a complaint's work order) tells its complainant.
NO_PENALTY_DECIDED = events.declare(
    "cases.no_penalty_decided",
    label="作出不予行政处罚决定",
    payload=("case", "decided_on", "actor"),
)
FILING_REVOKED = events.declare(
    "cases.filing_revoked",
    label="撤销立案",
    payload=("case", "reason", "on", "actor"),
)
