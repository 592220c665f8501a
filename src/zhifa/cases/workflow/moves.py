"""The moves of a case in one table (:data:`MOVES`), and the moves the law forbids (:data:`FORBIDDEN`).

Each row of :data:`TABLE` reads: action, label, the states it starts from, the state it leads to (``None``:
the case stays where it is), the roles that may take it and, when not only the ordinary procedure, the
procedures; then the form it asks for (``fields``), the documents it issues, and what it runs, named by the
module that holds it: ``guard`` (checks the legal conditions and refuses with the article's message, before
anything changes), ``effect`` (writes the change) and ``settle`` (runs once the documents are numbered).
How a row is applied (role, jurisdiction, optimistic lock, clocks, documents, audit) is in ``transition.py``.

Where to find a guard or an effect, by stage:

- 立案 — ``register.py``: approval within the limitation period, assigning officers, recusal (回避)
- 调查 — ``investigate.py``: 笔录, 调查终结, the head's 处理意见 (what is proposed, and what it entails)
- 告知与听证 — ``notice_hearing.py``: 告知, 陈述申辩 or waiver, hearing request, notice and hearing
- 审核与决定 — ``review_decide.py``: 法制审核, 集体讨论, penalty and no-penalty decisions, 延长办案期限
- 送达与执行 — ``serve_enforce.py``: service, deferral or instalments, payment and surcharge, 催告, court
- 救济 — ``remedy.py``: 复议/诉讼 registered, and their results
- 结案 — ``close.py``: 撤销立案, 当场处罚决定书备案, 结案 after the case check, 归档

and what they share: ``licence.py`` (Art 9(三) 暂扣/吊销 made by a decision, given back when it is revoked),
``criteria.py`` (hearing right Art 63, 裁量基准, legal-review reasons Art 58), ``basis.py`` (the violations from
the 执法事项库: basis required Art 38/44, legal range Art 38, 减轻 Art 32, 分别裁量, Art 33 exemptions), ``paperwork.py`` (案号, 文号,
documents), ``publication.py`` (the public record), ``base.py`` (Move, FieldSpec, roles, the Art 42 officer
check).
"""

from __future__ import annotations

from ..enums import (
    OPEN_BEFORE_DECISION,
    AppealOutcome,
    LicenceAct,
    Outcome,
    PenaltyType,
    Procedure,
    ServiceMethod,
    Tier,
)
from ..errors import CaseError
from . import close, investigate, licence, notice_hearing, register, remedy, review_decide, serve_enforce
from .base import ANY_BUSINESS, HEAD, OFFICER, REVIEWER, FieldSpec, Move, S

_OFFICERS_FIELD = FieldSpec("officer_ids", "执法人员（至少两名持证人员）", "officers", True)
_BOTH = (Procedure.ORDINARY, Procedure.SUMMARY)
_PRE = tuple(s for s in OPEN_BEFORE_DECISION if s != S.FILING)
_EXEMPTIONS = (("minor", "轻微不罚"), ("first", "首违不罚"), ("no_fault", "无主观过错不罚"))  # 处罚法 Art 33

# Every move once, in the order of a case (the order the pages list them in).
# fmt: off
TABLE: tuple[Move, ...] = (
    # Move(action, label, from states, to state, roles[, procedures],
    #      fields=…, documents=…, field_step=…, guard=…, effect=…, settle=…)
    # ---- 立案 (register.py) ----------------------------------------------------------------------------
    Move("register", "批准立案", (S.FILING,), S.INVESTIGATING, (HEAD,),
         documents=("立案登记表",),
         guard=register.check_within_limitation, effect=register.register_case),
    Move("assign_officers", "指派执法人员", (S.FILING, *_PRE), None, (OFFICER, HEAD),
         fields=(_OFFICERS_FIELD,
                 FieldSpec("lead_id", "主办人员编号", "int")),
         guard=register.check_assigned_officers, effect=register.assign_officers),
    Move("recusal_request", "回避申请", _PRE, None, ANY_BUSINESS,
         fields=(FieldSpec("officer_id", "申请回避的执法人员编号", "int", True),
                 FieldSpec("applicant", "申请人", required=True),
                 FieldSpec("reason", "理由", "textarea", True))),
    Move("recusal_decide", "回避决定", _PRE, None, (HEAD,),
         fields=(FieldSpec("officer_id", "执法人员编号", "int", True),
                 FieldSpec("granted", "准予回避", "bool"),
                 FieldSpec("reason", "理由", "textarea", True)),
         guard=register.check_recusal_requested, effect=register.apply_recusal_decision),
    # ---- 调查 (investigate.py) -------------------------------------------------------------------------
    Move("record", "调查取证记录（笔录）", (S.INVESTIGATING,), None, (OFFICER, HEAD),
         fields=(FieldSpec("kind", "笔录种类", "choice", True,
                           (("询问笔录", "询问笔录"), ("勘验笔录", "勘验笔录"), ("现场笔录", "现场笔录"))),
                 FieldSpec("content", "笔录内容", "textarea", True)),
         field_step=True),
    Move("violation_add", "认定违法行为（执法事项库）", (S.FILING, S.INVESTIGATING, S.INVESTIGATED), None,
         (OFFICER, HEAD),
         fields=(FieldSpec("violation_code", "违法行为（执法事项库编码）", required=True),
                 FieldSpec("violation_codes", "其他违法行为编码（合并处罚）", "list"),
                 FieldSpec("basis_note", "依据补充说明（只作补充）", "textarea")),
         guard=investigate.check_violation_codes, effect=investigate.record_violations),
    Move("end_investigation", "调查终结（调查报告）", (S.INVESTIGATING,), S.INVESTIGATED, (OFFICER, HEAD),
         fields=(FieldSpec("report", "调查终结报告", "textarea", True),),
         guard=investigate.check_investigation_complete),
    Move("propose", "负责人审查处理意见", (S.INVESTIGATED,), S.PROPOSED, (HEAD,),
         fields=(FieldSpec("outcome", "处理意见", "choice", True, tuple(Outcome.choices)),
                 FieldSpec("penalty_type", "处罚种类", "choice", False, tuple(PenaltyType.choices)),
                 FieldSpec("licence_act", "证照处罚（第九条第（三）项）", "choice", False, tuple(LicenceAct.choices)),
                 FieldSpec("licence_number", "拟暂扣、吊销的证照编号（当事人的证照）"),
                 FieldSpec("licence_suspend_months", "暂扣期限（月）", "int"),
                 FieldSpec("proposed_fine_fen", "拟罚款（分）", "money"),
                 FieldSpec("tier", "裁量阶次", "choice", False, tuple(Tier.choices)),
                 FieldSpec("tier_reasons", "裁量理由", "textarea"),
                 FieldSpec("penalty_variant", "适用罚则情形序号（见违法行为表所列情形，如情节严重；空为基本罚则）"),
                 FieldSpec("items", "分别裁量：其他违法行为的阶次和拟罚款（合并处罚）", "items"),
                 FieldSpec("exemption", "免罚情形（《行政处罚法》第三十三条）", "choice", False, _EXEMPTIONS),
                 FieldSpec("exemption_conditions", "符合的免罚条件", "list"),
                 FieldSpec("complex_case", "情节复杂或重大违法", "bool"),
                 FieldSpec("major_public_interest", "涉及重大公共利益", "bool"),
                 FieldSpec("transfer_to", "移送机关（移送时）")),
         guard=investigate.check_proposal_complete, effect=investigate.record_proposal),
    # ---- 告知与听证 (notice_hearing.py) ----------------------------------------------------------------
    Move("notify", "告知（违法行为通知书）", (S.PROPOSED,), S.NOTIFIED, (OFFICER, HEAD),
         documents=("违法行为通知书",),
         field_step=True,
         guard=notice_hearing.check_may_notify, effect=notice_hearing.record_notice),
    Move("statement", "陈述申辩/放弃", (S.NOTIFIED,), None, (OFFICER, HEAD),
         fields=(FieldSpec("content", "陈述申辩内容（放弃的写明放弃）", "textarea", True),
                 FieldSpec("adopted", "意见成立并采纳", "bool"),
                 FieldSpec("waive_hearing", "放弃听证", "bool")),
         effect=notice_hearing.record_statement),
    Move("hearing_request", "申请听证", (S.NOTIFIED,), S.HEARING_REQUESTED, (OFFICER, HEAD),
         guard=notice_hearing.check_hearing_request, effect=notice_hearing.record_hearing_request),
    Move("hearing_notice", "听证通知", (S.HEARING_REQUESTED,), S.HEARING_SCHEDULED, (OFFICER, HEAD),
         fields=(FieldSpec("hearing_on", "听证日期", "date", True),
                 FieldSpec("place", "听证地点", required=True)),
         documents=("听证通知书",),
         guard=notice_hearing.check_hearing_notice_period, effect=notice_hearing.record_hearing_notice),
    Move("hearing_hold", "举行听证（听证笔录）", (S.HEARING_SCHEDULED,), S.HEARD, (OFFICER, HEAD),
         fields=(FieldSpec("chair", "主持人（非本案调查人员）", required=True),
                 FieldSpec("record", "听证笔录摘要", "textarea", True)),
         documents=("听证笔录",),
         guard=notice_hearing.check_hearing_chair_and_record, effect=notice_hearing.record_hearing_held),
    # ---- 审核与决定 (review_decide.py) -----------------------------------------------------------------
    Move("submit_review", "提交法制审核", (S.NOTIFIED, S.HEARD, S.DISCUSSED), S.UNDER_REVIEW, (OFFICER, HEAD),
         guard=review_decide.check_statement_period_over),
    Move("review", "法制审核", (S.UNDER_REVIEW,), S.REVIEWED, (REVIEWER,),
         fields=(FieldSpec("passed", "审核通过", "bool"),
                 FieldSpec("opinion", "审核意见", "textarea", True)),
         documents=("法制审核意见书",),
         guard=review_decide.check_reviewer_qualified, effect=review_decide.record_review),
    Move("discuss", "集体讨论", (S.NOTIFIED, S.HEARD, S.REVIEWED), S.DISCUSSED, (HEAD,),
         fields=(FieldSpec("attendees", "出席负责人（逗号分隔）", required=True),
                 FieldSpec("minutes", "讨论记录", "textarea", True),
                 FieldSpec("conclusion", "结论", "textarea", True)),
         documents=("集体讨论记录",),
         guard=review_decide.check_discussion_quorum, effect=review_decide.record_discussion),
    Move("decide", "作出处罚决定", (S.NOTIFIED, S.HEARD, S.REVIEWED, S.DISCUSSED), S.DECIDED, (HEAD,),
         fields=(FieldSpec("fine_fen", "罚款（分）", "money"),
                 FieldSpec("items", "分别裁量：各违法行为的决定罚款（合并处罚）", "items"),
                 FieldSpec("deviation_reasons", "偏离裁量基准理由", "textarea")),
         documents=("行政处罚决定书",),
         guard=review_decide.check_may_decide_penalty,
         effect=review_decide.record_penalty_decision,
         settle=licence.apply_licence_penalty),
    Move("decide_no_penalty", "不予行政处罚决定",
         (S.INVESTIGATED, S.PROPOSED, S.NOTIFIED, S.HEARD, S.REVIEWED, S.DISCUSSED), S.DECIDED, (HEAD,),
         fields=(FieldSpec("ground", "不予处罚理由（第三十三条情形）", "textarea", True),
                 FieldSpec("education_record", "教育记录", "textarea", True),
                 FieldSpec("exemption", "免罚情形（《行政处罚法》第三十三条）", "choice", False, _EXEMPTIONS),
                 FieldSpec("exemption_conditions", "符合的免罚条件", "list")),
         documents=("不予行政处罚决定书",),
         guard=review_decide.check_may_decide_no_penalty, effect=review_decide.record_no_penalty_decision),
    Move("extend", "延长办案期限", _PRE, None, (HEAD,),
         fields=(FieldSpec("reason", "延期理由", "textarea", True),
                 FieldSpec("collective_minutes", "集体讨论记录（再次延长）", "textarea")),
         guard=review_decide.check_extension_allowed, effect=review_decide.extend_time_limit),
    # ---- 送达与执行 (serve_enforce.py) -----------------------------------------------------------------
    Move("serve", "送达决定书（送达回证）", (S.DECIDED,), S.SERVED, (OFFICER, HEAD),
         fields=(FieldSpec("method", "送达方式", "choice", True, tuple(ServiceMethod.choices)),
                 FieldSpec("proof", "送达回证编号/凭证")),
         documents=("送达回证",),
         field_step=True,
         guard=serve_enforce.check_service_proof, effect=serve_enforce.record_service),
    Move("instalment", "批准延期/分期缴纳", (S.SERVED, S.EXECUTING), None, (HEAD,), _BOTH,
         fields=(FieldSpec("defer_to", "延期/分期最后缴纳日期", "date", True),
                 FieldSpec("reason", "理由", "textarea", True)),
         guard=serve_enforce.check_instalment_request, effect=serve_enforce.approve_instalment),
    Move("pay", "登记缴款", (S.SERVED, S.EXECUTING), S.PERFORMED, (OFFICER, HEAD), _BOTH,
         fields=(FieldSpec("paid_fen", "缴款金额（分，含加处罚款）", "money"),),
         guard=serve_enforce.check_paid_in_full, effect=serve_enforce.record_payment),
    Move("remind", "催告", (S.SERVED, S.EXECUTING), S.EXECUTING, (OFFICER, HEAD), _BOTH,
         documents=("催告书",),
         guard=serve_enforce.check_payment_overdue, effect=serve_enforce.record_reminder),
    Move("apply_court", "申请法院强制执行", (S.EXECUTING,), None, (HEAD,), _BOTH,
         guard=serve_enforce.check_court_application_window, effect=serve_enforce.record_court_application),
    Move("enforced", "强制执行完毕", (S.EXECUTING,), S.PERFORMED, (HEAD,), _BOTH,
         fields=(FieldSpec("note", "执行情况", "textarea", True),),
         effect=serve_enforce.record_enforcement_done),
    # ---- 救济 (remedy.py) ------------------------------------------------------------------------------
    Move("appeal_file", "登记复议/诉讼",
         (S.DECIDED, S.SERVED, S.EXECUTING, S.PERFORMED), None, (OFFICER, HEAD, REVIEWER), _BOTH,
         fields=(FieldSpec("kind", "类型", "choice", True,
                           (("reconsideration", "行政复议"), ("litigation", "行政诉讼"))),),
         guard=remedy.check_no_open_appeal, effect=remedy.record_appeal_filed),
    Move("appeal_result", "登记复议/诉讼结果",
         (S.DECIDED, S.SERVED, S.EXECUTING, S.PERFORMED), None, (OFFICER, HEAD, REVIEWER), _BOTH,
         fields=(FieldSpec("outcome", "结果", "choice", True, tuple(AppealOutcome.choices)),
                 FieldSpec("new_fine_fen", "变更后罚款（分）", "money"),
                 FieldSpec("appeal_doc_no", "复议决定书/判决书文号（撤销暂扣、吊销证照决定时据以发还、恢复）")),
         guard=remedy.check_appeal_result, effect=remedy.record_appeal_result),
    # ---- 结案 (close.py) -------------------------------------------------------------------------------
    Move("revoke_filing", "撤销立案", (S.INVESTIGATING, S.INVESTIGATED, S.PROPOSED), S.REVOKED, (HEAD,),
         fields=(FieldSpec("reason", "撤销理由", "textarea", True),),
         guard=close.check_revocation_reason, effect=close.record_filing_revoked),
    Move("summary_file", "当场处罚决定书备案", (S.SERVED, S.PERFORMED), None, (OFFICER, HEAD), (Procedure.SUMMARY,),
         effect=close.record_summary_filing),
    Move("close", "结案", (S.PERFORMED, S.TRANSFERRED, S.REVOKED, S.SERVED), S.CLOSED, (HEAD,), _BOTH,
         documents=("结案报告",),
         guard=close.check_may_close, effect=close.close_case),
    Move("archive", "归档", (S.CLOSED,), S.ARCHIVED, (OFFICER, HEAD), _BOTH,
         effect=close.archive_case),
)
# fmt: on

MOVES: dict[str, Move] = {m.action: m for m in TABLE}

# Moves the law forbids from particular states get the article's own message instead of the generic one.
FORBIDDEN: dict[tuple[str, str], CaseError] = {
    **{("decide", s): CaseError.NOTICE for s in (S.FILING, S.INVESTIGATING, S.INVESTIGATED, S.PROPOSED)},
    **{("decide", s): CaseError.HEARING_PENDING for s in (S.HEARING_REQUESTED, S.HEARING_SCHEDULED)},
    ("decide", S.UNDER_REVIEW): CaseError.REVIEW_REQUIRED,
    ("register", S.INVESTIGATING): CaseError.NOT_ALLOWED,
}
