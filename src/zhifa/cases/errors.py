"""Error codes of the cases domain; every refusal cites the article it enforces."""

from zhifa.core.errors import ErrorCode


class CaseError(ErrorCode):
    SOURCE_INVALID = "cases.source_invalid", "案源信息有误：{detail}", 422
    SOURCE_DONE = "cases.source_done", "该案源已处理（{status}），不能重复处理", 409
    INVALID = "cases.invalid", "输入有误：{detail}", 422
    NOT_ALLOWED = "cases.not_allowed", "当前状态“{state}”不能执行“{action}”", 409
    ROLE = "cases.role", "“{action}”须由{roles}办理", 403
    CONFLICT = "cases.conflict", "数据已被他人修改，请刷新后重试", 409
    HEAD_APPROVAL = (
        "cases.head_approval",
        "立案须经执法部门负责人批准（《交通运输行政执法程序规定》第六十三条）",
        403,
    )
    LIMITATION = (
        "cases.limitation",
        "违法行为已超过追责时效，不得立案处罚：{detail}（《行政处罚法》第三十六条）",
        409,
    )
    SUMMARY_AMOUNT = (
        "cases.summary_amount",
        ("不符合简易程序条件：{detail}（《行政处罚法》第五十一条、《交通运输行政执法程序规定》第六十条）"),
        409,
    )
    OFFICERS = (
        "cases.officers",
        "执法人员不得少于两人且须持有效执法证：{detail}（《行政处罚法》第四十二条）",
        409,
    )
    EVIDENCE = (
        "cases.evidence",
        "尚无调查取证记录，不能调查终结（《行政处罚法》第四十条、第四十六条、第五十五条）",
        409,
    )
    NOTICE = (
        "cases.notice",
        (
            "作出行政处罚决定前，应当告知当事人拟作出的处罚内容及事实、理由、依据和陈述、申辩、听证权利，"
            "未告知不得作出决定（《行政处罚法》第四十四条、第六十二条）"
        ),
        409,
    )
    STATEMENT_PERIOD = (
        "cases.statement_period",
        (
            "当事人陈述申辩/申请听证期限尚未届满（至 {due}），且未陈述申辩或明确放弃（《行政处罚法》第四十五条、第六十四条）"
        ),
        409,
    )
    HEARING_RIGHT = (
        "cases.hearing_right",
        "本案拟作出的处罚不属于应告知听证权利的情形（《行政处罚法》第六十三条）",
        409,
    )
    HEARING_LATE = (
        "cases.hearing_late",
        "听证申请已超过告知后五日的期限（届满日 {due}）（《行政处罚法》第六十四条第（一）项）",
        409,
    )
    HEARING_NOTICE = (
        "cases.hearing_notice",
        "应当在举行听证的七日前通知当事人，听证日不得早于 {earliest}（《行政处罚法》第六十四条第（二）项）",
        409,
    )
    HEARING_PENDING = (
        "cases.hearing_pending",
        "当事人已申请听证，听证结束前不得作出决定（《行政处罚法》第六十四条、第六十五条）",
        409,
    )
    HEARING_CHAIR = (
        "cases.hearing_chair",
        "听证由非本案调查人员主持（《行政处罚法》第六十四条第（四）项）",
        409,
    )
    REVIEW_REQUIRED = (
        "cases.review_required",
        (
            "本案须经法制审核（{reasons}）；未经法制审核或审核未通过的，不得作出决定（《行政处罚法》第五十八条）"
        ),
        409,
    )
    REVIEWER = (
        "cases.reviewer",
        "法制审核人员须具有法制审核岗位并取得国家统一法律职业资格（《行政处罚法》第五十八条第二款）：{detail}",
        403,
    )
    DISCUSSION_REQUIRED = (
        "cases.discussion_required",
        (
            "情节复杂或者重大违法行为给予行政处罚，行政机关负责人应当集体讨论决定（《行政处罚法》第五十七条第二款）"
        ),
        409,
    )
    TIME_LIMIT = (
        "cases.time_limit",
        "已超过办案期限（{due}），且无经批准的延期记录（《行政处罚法》第六十条）",
        409,
    )
    HEAVIER = (
        "cases.heavier",
        "决定罚款不得高于告知的拟处罚款（{notified}元）；加重须重新告知，且不得因陈述申辩而加重（《行政处罚法》第四十四条、第四十五条）",
        409,
    )
    DEVIATION = (
        "cases.deviation",
        "罚款偏离裁量基准（{range}），须书面说明理由并经法制审核或集体讨论（《行政处罚法》第三十四条；国办发〔2022〕27号）",
        409,
    )
    EDUCATION = (
        "cases.education",
        "不予行政处罚的，应当对当事人进行教育并记录（《行政处罚法》第三十三条第三款）",
        422,
    )
    SERVICE_PROOF = "cases.service_proof", "送达须有送达回证或其他送达凭证（《行政处罚法》第六十一条）", 422
    NOT_OVERDUE = "cases.not_overdue", "缴款期限（{due}）尚未届满，不能催告（《行政强制法》第五十四条）", 409
    REMINDER_WAIT = (
        "cases.reminder_wait",
        "催告书送达十个工作日后（{due} 后）才可申请人民法院强制执行（《行政强制法》第五十四条）",
        409,
    )
    COURT_WINDOW = (
        "cases.court_window",
        "申请法院强制执行应在复议、诉讼期限届满之日起三个月内（{start} 至 {due}）（《行政强制法》第五十三条）",
        409,
    )
    CHECK_VETO = "cases.check_veto", "案卷评查存在否决项，不能结案：{detail}", 409
    SUMMARY_FILING = (
        "cases.summary_filing",
        "当场处罚决定书尚未备案（《交通运输行政执法程序规定》第六十一条第（八）项）",
        409,
    )
    RECUSAL = "cases.recusal", "回避申请由执法部门负责人决定（《行政处罚法》第四十三条）：{detail}", 409
    EXTENSION = "cases.extension", "延长办案期限须写明理由；再次延长须经集体讨论（{detail}）", 422
    # --- enforce (issue 14): 先行登记保存, 查封/扣押, 强制执行, 复议/诉讼 ---
    PRESERVATION = (
        "cases.preservation",
        "先行登记保存须证据可能灭失或者以后难以取得，经行政机关负责人批准，并列明证据清单：{detail}"
        "（《中华人民共和国行政处罚法》第五十六条）",
        422,
    )
    PRESERVATION_LATE = (
        "cases.preservation_late",
        "先行登记保存应当在七日内（至 {due}）作出处理决定；逾期不得再决定没收、移送、检测或者查封、扣押，"
        "只能解除先行登记保存（《中华人民共和国行政处罚法》第五十六条）",
        409,
    )
    SEIZURE = (
        "cases.seizure",
        "查封、扣押须有法律、法规规定的职权依据，经行政机关负责人批准，并制作当场交付查封、扣押决定书和清单：{detail}"
        "（《中华人民共和国行政强制法》第十八条、第二十二条、第二十四条）",
        422,
    )
    SEIZURE_EXTENSION = (
        "cases.seizure_extension",
        "查封、扣押期限情况复杂的，经行政机关负责人批准可以延长一次，延长期限不得超过三十日，并书面告知当事人理由：{detail}"
        "（《中华人民共和国行政强制法》第二十五条）",
        409,
    )
    SEIZURE_RELEASE = (
        "cases.seizure_release",
        "解除查封、扣押须写明第二十八条所列情形并立即退还财物：{detail}（《中华人民共和国行政强制法》第二十八条）",
        422,
    )
    COURT_MATERIALS = (
        "cases.court_materials",
        "申请人民法院强制执行应当提供下列材料，尚缺：{missing}（《中华人民共和国行政强制法》第五十五条）",
        422,
    )
    COURT_STEP = (
        "cases.court_step",
        "{detail}（《中华人民共和国行政强制法》{article}）",
        409,
    )
    APPEAL = "cases.appeal", "复议/诉讼登记有误：{detail}", 422
    # --- hearing (issue 14) ---
    HEARING_CLOSED = (
        "cases.hearing_closed",
        "本案听证权利已于 {on} 终结（{how}），不能再申请或举行听证（《行政处罚法》第六十三条、第六十四条）",
        409,
    )
    HEARING_STAFF = (
        "cases.hearing_staff",
        (
            "听证由行政机关指定的非本案调查人员主持；{role}“{name}”是本案调查人员，不得担任"
            "（《行政处罚法》第六十四条第（四）项）"
        ),
        409,
    )
    HEARING_PUBLIC = (
        "cases.hearing_public",
        "除涉及国家秘密、商业秘密或者个人隐私依法予以保密外，听证公开举行，并应公告：{detail}（《行政处罚法》第六十四条第（三）项）",
        422,
    )
    HEARING_AGENTS = (
        "cases.hearing_agents",
        "当事人可以亲自参加听证，也可以委托一至二人代理，代理人须提交授权委托书：{detail}（《行政处罚法》第六十四条第（五）项）",
        409,
    )
    HEARING_RECUSAL = (
        "cases.hearing_recusal",
        "当事人认为主持人与本案有直接利害关系的，有权申请回避，由行政机关负责人决定：{detail}（《行政处罚法》第六十四条第（四）项）",
        409,
    )
    HEARING_ABSENCE = (
        "cases.hearing_absence",
        "当事人及其代理人无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利：{detail}（《行政处罚法》第六十四条第（六）项）",
        409,
    )
    HEARING_RECORD = (
        "cases.hearing_record",
        "听证应当制作笔录，笔录交当事人或者其代理人核对无误后签字或者盖章；拒绝签字或者盖章的，由听证主持人在笔录中注明：{detail}（《行政处罚法》第六十四条第（八）项）",
        409,
    )
    HEARING_BASIS = (
        "cases.hearing_basis",
        "听证结束后，行政机关应当根据听证笔录作出决定：{detail}（《行政处罚法》第六十五条）",
        409,
    )
    SUMMARY_RECORD = (
        "cases.summary_record",
        "当场处罚记录不完整：{detail}（《行政处罚法》第五十二条；《交通运输行政执法程序规定》第六十一条）",
        422,
    )
    ONSITE_COLLECTION = (
        "cases.onsite_collection",
        "不符合当场收缴罚款的条件：{detail}（《行政处罚法》第六十八条、第六十九条）",
        409,
    )
    ONSITE_RECEIPT = (
        "cases.onsite_receipt",
        "当场收缴罚款必须向当事人出具财政部门统一制发的专用票据，请填写票据号码（《行政处罚法》第七十条）",
        422,
    )
    ONSITE_HANDIN = (
        "cases.onsite_handin",
        "当场收缴的罚款应当自收缴之日起二日内交至行政机关（水上自抵岸之日起二日内）：{detail}（《行政处罚法》第七十一条）",
        409,
    )
    # --- money (issue 14) ---
    PAY_AMOUNT = (
        "cases.pay_amount",
        "登记缴款须填写缴款金额（元，大于零）和缴款票据/凭证号：{detail}（《行政处罚法》第六十七条、第七十条）",
        422,
    )
    OVERPAID = (
        "cases.overpaid",
        "缴款金额 {paid} 超出应缴金额 {due}（罚款余额 {fine} + 加处罚款 {surcharge}），请核对票据（《行政处罚法》第七十二条第一款第（一）项）",
        409,
    )
    INSTALMENT_APPLICATION = (
        "cases.instalment_application",
        "延期或分期缴纳罚款须经当事人申请和行政机关批准：{detail}（《行政处罚法》第六十六条第二款）",
        409,
    )
    INSTALMENT_SCHEDULE = (
        "cases.instalment_schedule",
        "延期/分期缴纳计划有误：{detail}（《行政处罚法》第六十六条第二款）",
        422,
    )
    # --- notice and service (issue 14) ---
    PUBLIC_NOTICE_GROUNDS = (
        "cases.public_notice_grounds",
        (
            "公告送达仅适用于受送达人下落不明或者用其他方式无法送达的情形，须写明公告媒体和无法以其他方式送达的原因、经过"
            "（《中华人民共和国民事诉讼法》第九十五条；《中华人民共和国行政处罚法》第六十一条第一款）"
        ),
        422,
    )
    LEFT_SERVICE_WITNESS = (
        "cases.left_service_witness",
        (
            "留置送达须邀请有关基层组织或者所在单位的代表到场见证，或者采用拍照、录像等方式记录送达过程"
            "（《中华人民共和国民事诉讼法》第八十九条）"
        ),
        422,
    )
    ELECTRONIC_CONSENT = (
        "cases.electronic_consent",
        "电子送达须当事人同意并签订送达地址确认书（《中华人民共和国行政处罚法》第六十一条第二款）",
        422,
    )
    PUBLIC_NOTICE_RUNNING = (
        "cases.public_notice_running",
        (
            "公告送达中，决定书自发出公告之日起经过{period}、于 {deemed} 视为送达，此前缴款期限尚未起算，不能{action}"
            "（《中华人民共和国民事诉讼法》第九十五条；《中华人民共和国行政处罚法》第六十七条第三款）"
        ),
        409,
    )
    # --- violation and legal basis (issue 14) ---
    BASIS_MISSING = (
        "cases.basis_missing",
        (
            "本案未从执法事项库认定违法行为（违反条款、处罚依据），不得{stage}；"
            "没有法定依据的行政处罚无效（《行政处罚法》第三十八条）"
        ),
        409,
    )
    BASIS_NOTICE = (
        "cases.basis_notice",
        (
            "本案未从执法事项库认定违法行为（违反条款、处罚依据），不能告知：告知须载明拟作出处罚的事实、理由及依据"
            "（《行政处罚法》第四十四条）；没有法定依据的行政处罚无效（《行政处罚法》第三十八条）"
        ),
        409,
    )
    VIOLATION_UNKNOWN = (
        "cases.violation_unknown",
        "执法事项库中没有违法行为“{code}”在 {on} 施行的版本，请从执法事项库中选择（《行政处罚法》第三十八条）",
        422,
    )
    LEGAL_RANGE = (
        "cases.legal_range",
        (
            "罚款 {fine} 超出法定幅度：{basis}规定{penalty}，即{range}；超出法定依据的处罚无效"
            "（《行政处罚法》第三十八条）"
        ),
        409,
    )
    REDUCED_BELOW_MIN = (
        "cases.reduced_below_min",
        (
            "罚款 {fine} 低于法定最低额（{min}，{basis}）；只有依法减轻处罚（裁量阶次“减轻”）并书面说明理由，"
            "经法制审核和集体讨论，才可低于法定最低额（《行政处罚法》第三十二条、第三十八条）"
        ),
        409,
    )
    EXEMPT = (
        "cases.exempt",
        (
            "当事人符合“{kind}”情形（{conditions}），依法不予行政处罚（{source}）；"
            "请作出不予行政处罚决定，并对当事人进行教育、记录在案（《行政处罚法》第三十三条第三款）"
        ),
        409,
    )
    PARTY_CODE = "cases.party_code", "当事人证件号码有误：{detail}", 422
    # --- case check and records (issue 14) ---
    RECORD_SIGNATURE = (
        "cases.record_signature",
        (
            "笔录应当交被询问人、当事人核对无误后签名或者盖章；拒绝签名或者盖章的，由执法人员在笔录中注明："
            "{detail}（《中华人民共和国行政处罚法》第五十五条；《交通运输行政执法程序规定》关于笔录签名的规定，条号待核实）"
        ),
        422,
    )
