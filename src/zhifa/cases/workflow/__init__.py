"""The one transition service of a case, with the explicit table of allowed moves (:data:`MOVES`).

``case_transition(case=…, action=…, actor=…, data=…, expected_version=…)``:

1. the move must exist, start from one of its ``from_states``, suit the procedure and the actor's role;
   a move the law forbids from the current state gets a message citing the article (:data:`FORBIDDEN`);
2. the move's guard checks the legal conditions (officers, notice, review, periods…) and raises a
   ``DomainError``;
3. the changes are written with ``UPDATE … WHERE id = … AND version = expected`` (optimistic lock): of two
   people acting on the same version one wins, the other gets ``cases.conflict``;
4. clocks, the step record, documents and the audit record are written in the same transaction, the
   disclosure record after commit. Any refusal or failure (a document that does not render) rolls the
   whole move back: a forbidden move changes nothing.

The table is in ``moves.py``; the guards and effects it names are in one module per stage of the case
(``register``, ``investigate``, ``seizure``, ``notice_hearing``, ``hearing``, ``review_decide``,
``serve_enforce``, ``payment``, ``enforce``, ``remedy``, ``summary``, ``close``), the service in
``transition.py``. This package re-exports what callers import.

Where to find a guard or an effect, by stage:

- 立案 — ``register.py``: approval within the limitation period, assigning officers, recusal (回避)
- 调查 — ``investigate.py``: 笔录, 调查终结, the head's 处理意见 (what is proposed, and what it entails)
- 告知与听证 — ``notice_hearing.py``: 告知, 陈述申辩 or waiver, 放弃听证, hearing request
- 听证 — ``hearing.py``: notice (chair, members, clerk, public and 公告), agents, recusal of the hearing staff,
  withdrawal, absence (视为放弃), the hearing and its 笔录 signed or refused, the 听证报告, Art 65 basis
- 审核与决定 — ``review_decide.py``: 法制审核, 集体讨论, penalty and no-penalty decisions, 延长办案期限
- 送达 — ``serve_enforce.py``: service by each method and the deemed service date
- 缴款 — ``payment.py``: 延期/分期 application and decision (Art 66), payments, balance, 加处罚款 per instalment
- 强制执行 — ``enforce.py``: 催告, the party's statement, the court application, acceptance, ruling,
  执行 / 中止 / 终结 (行政强制法 Arts 35–40, 53–58)
- 先行登记保存、查封扣押 — ``seizure.py``: evidence kept (处罚法 Art 56), 查封/扣押 with its 30 + 30 days
  (行政强制法 Arts 18, 24–28)
- 救济 — ``remedy.py``: 复议/诉讼 registered as records, answered, and their results
- 当场收缴 — ``summary.py``: the on-the-spot record of a 当场处罚, 当场收缴 and its 2-day hand-in (交款)
- 结案 — ``close.py``: 撤销立案, 当场处罚决定书备案, 结案 after the case check, 归档
- 案卷评查 — ``check.py``: the veto tests of a file (each citing its article) and the form scoresheet

and what they share: ``licence.py`` (Art 9(三) 暂扣/吊销 made by a decision, given back when it is revoked),
``criteria.py`` (hearing right Art 63, 裁量基准, legal-review reasons Art 58), ``basis.py`` (the violations from
the 执法事项库: basis required Art 38/44, legal range Art 38, 减轻 Art 32, 分别裁量, Art 33 exemptions),
``paperwork.py`` (案号, 文号, documents), ``wording.py`` (what documents must say: 救济 by procedure and date,
notice rights, service facts), ``publication.py`` (the public record), ``base.py`` (Move, FieldSpec, roles, the Art 42 officer
check).
"""

from .base import ANY_BUSINESS, HEAD, OFFICER, REVIEWER, FieldSpec, Move, active_officers, check_officers
from .criteria import (
    RULES_TIER,
    benchmark_range,
    benchmark_table,
    hearing_decision,
    hearing_required,
    review_reasons,
    rules_party_kind,
)
from .licence import _licence_undo_on_revocation, apply_licence_penalty
from .moves import FORBIDDEN, MOVES
from .paperwork import TEMPLATE_NAMES, UNNUMBERED, _decision_number, case_number, doc_context, issue_documents
from .payment import current_surcharge, ledger
from .register import _officers_from
from .transition import allowed_moves, case_transition

# The decision's licence move under its name before the split (tests/cases/test_licence_penalty.py).
s_decide_licence = apply_licence_penalty

__all__ = [
    "ANY_BUSINESS",
    "FORBIDDEN",
    "HEAD",
    "MOVES",
    "OFFICER",
    "REVIEWER",
    "RULES_TIER",
    "TEMPLATE_NAMES",
    "UNNUMBERED",
    "FieldSpec",
    "Move",
    "_decision_number",
    "_licence_undo_on_revocation",
    "_officers_from",
    "active_officers",
    "allowed_moves",
    "apply_licence_penalty",
    "benchmark_range",
    "benchmark_table",
    "case_number",
    "case_transition",
    "check_officers",
    "current_surcharge",
    "doc_context",
    "hearing_decision",
    "hearing_required",
    "issue_documents",
    "ledger",
    "review_reasons",
    "rules_party_kind",
    "s_decide_licence",
]
