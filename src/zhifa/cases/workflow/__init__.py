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
