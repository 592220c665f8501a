"""Generate the shipped DOCX templates into ``templates_docx/``: ``python -m zhifa.documents.make_templates``.

The layout follows the 交通运输行政执法文书式样: issuing authority and title centred, the 文号 line under
the title, a form table for registers and reports, running text for notices and decisions, the signature
lines of the persons concerned and, for documents that leave the authority, the authority's name, date
and the place of its seal (处罚法 Art 59 for the decision). Output is byte-for-byte reproducible (fixed
zip timestamps and document properties), so regenerating changes nothing unless this script changed.

A bureau that wants its own wording copies a file from here (or downloads it on /documents/templates/),
edits it in Word/WPS keeping the ``{{ … }}`` tags it needs, and puts it in ``ZHIFA_TEMPLATE_DIR``.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from zhifa.documents.specs import BY_NAME, SPECS

OUT_DIR = Path(__file__).resolve().parent / "templates_docx"
BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
FIXED_TIME = datetime(2026, 1, 1, 0, 0, 0)


# --- layout helpers ----------------------------------------------------------------------------


def _font(run, name: str, size: float | None = None, bold: bool = False) -> None:
    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), name)
    if size:
        run.font.size = Pt(size)
    run.bold = bold or None


class Doc:
    def __init__(self, title: str):
        self.d = Document()
        sec = self.d.sections[0]
        sec.page_width, sec.page_height = Cm(21), Cm(29.7)
        sec.top_margin, sec.bottom_margin = Cm(3.0), Cm(2.5)
        sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)
        normal = self.d.styles["Normal"]
        normal.font.name = BODY_FONT
        normal.font.size = Pt(14)
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
        normal.paragraph_format.space_after = Pt(0)
        normal.paragraph_format.line_spacing = 1.4
        cp = self.d.core_properties
        cp.title, cp.author, cp.last_modified_by = title, "zhifa", "zhifa"
        cp.created = cp.modified = FIXED_TIME
        cp.revision = 1
        footer = sec.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(footer.add_run(f"{title} · 第 {{{{ doc.version }}}} 版"), BODY_FONT, 9)

    def header(self, title: str, numbered: bool = True) -> None:
        p = self.d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(p.add_run("{{ org.name }}"), TITLE_FONT, 18, bold=True)
        p = self.d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(6)
        _font(p.add_run(title), TITLE_FONT, 22, bold=True)
        if numbered:
            p = self.d.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _font(p.add_run("{{#doc.number}}{{ doc.number }}{{/doc.number}}"), BODY_FONT, 14)

    def para(self, text: str, *, indent: bool = True, align=None, bold: bool = False, size: float = 14):
        p = self.d.add_paragraph()
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        if align is not None:
            p.alignment = align
        _font(p.add_run(text), BODY_FONT, size, bold)
        return p

    def marker(self, text: str) -> None:
        """A paragraph holding only a section marker (dropped from the output)."""
        self.para(text, indent=False)

    def table(self, rows: list[list[str]], widths: list[float] | None = None, size: float = 12) -> None:
        ncols = max(len(r) for r in rows)
        t = self.d.add_table(rows=0, cols=ncols)
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        for row in rows:
            cells = t.add_row().cells
            if len(row) < ncols:  # last cell spans the rest
                cells[len(row) - 1].merge(cells[ncols - 1])
            for i, text in enumerate(row):
                cell = cells[i]
                cell.paragraphs[0].text = ""
                lines = text.split("\n")
                for j, line in enumerate(lines):
                    p = cell.paragraphs[0] if j == 0 else cell.add_paragraph()
                    _font(
                        p.add_run(line),
                        BODY_FONT,
                        size,
                        bold=(i % 2 == 0 and len(row) > 1 and len(line) < 12 and "{{" not in line),
                    )
        if widths:
            for row in t.rows:
                for i, w in enumerate(widths[: len(row.cells)]):
                    row.cells[i].width = Cm(w)

    def seal(self) -> None:
        self.d.add_paragraph()
        self.para("{{ org.name }}（印章）", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        self.para("{{ doc.date }}", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)

    def signatures(self, *labels: str) -> None:
        self.d.add_paragraph()
        for label in labels:
            self.para(f"{label}（签名）：________　　日期：________", indent=False, size=12)

    def save(self, path: Path) -> None:
        buf = io.BytesIO()
        self.d.save(buf)
        path.write_bytes(_reproducible_zip(buf.getvalue()))


def _reproducible_zip(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


OFFICER_LINE = "执法人员：{{#officers}}{{ name }}（执法证号：{{ cert_no }}）　{{/officers}}"
PARTY_ROWS = [
    ["当事人", "{{ party.name }}"],
    ["统一社会信用代码/身份证号码", "{{ party.id_no }}"],
    ["法定代表人（负责人）", "{{ party.legal_rep }}", "联系电话", "{{ party.phone }}"],
    ["住所（地址）", "{{ party.address }}"],
]


# --- the forms -----------------------------------------------------------------------------------


def case_register(d: Doc) -> None:
    d.table(
        [
            ["案由", "{{ case.cause }}"],
            ["案件来源", "{{ case.source }}", "受案时间", "{{ case.received_at }}"],
            *PARTY_ROWS,
            ["车牌号", "{{ party.vehicle }}"],
            ["简要案情及立案理由", "{{ case.summary }}"],
            ["立案依据", "{{ case.basis }}"],
            ["承办人意见", "{{ handler.opinion }}\n承办人（签名）：{{ handler.names }}"],
            [
                "负责人审批意见",
                "{{ approval.opinion }}\n负责人（签名）：{{ approval.by }}　　{{ approval.date }}",
            ],
        ],
        widths=[4.0, 5.6, 2.8, 3.2],
    )


def inquiry_record(d: Doc) -> None:
    d.para("案由：{{ case.cause }}", indent=False)
    d.para("询问时间：{{ inquiry.started_at }} 至 {{ inquiry.ended_at }}", indent=False)
    d.para("询问地点：{{ inquiry.place }}", indent=False)
    d.para(OFFICER_LINE, indent=False)
    d.para("记录人：{{ recorder }}", indent=False)
    d.para(
        "被询问人：{{ interviewee.name }}　性别：{{ interviewee.sex }}　年龄：{{ interviewee.age }}",
        indent=False,
    )
    d.para("身份证号码：{{ interviewee.id_no }}　联系电话：{{ interviewee.phone }}", indent=False)
    d.para("工作单位：{{ interviewee.employer }}　职务：{{ interviewee.position }}", indent=False)
    d.para("住址：{{ interviewee.address }}　与本案关系：{{ interviewee.relation }}", indent=False)
    d.para(
        "我们是{{ org.name }}的执法人员，已向你出示执法证件。现依法就有关问题进行询问，请你如实回答，"
        "不得作伪证或者隐匿证据。你有申请执法人员回避的权利，你是否申请回避？"
    )
    d.marker("{{#qa}}")
    d.para("问：{{ q }}", indent=False)
    d.para("答：{{ a }}", indent=False)
    d.marker("{{/qa}}")
    d.para("以上笔录已向被询问人宣读（或由其阅读），被询问人确认与其所述一致。")
    d.signatures("被询问人", "询问人", "记录人")


def inspection_record(d: Doc) -> None:
    d.para("案由：{{ case.cause }}", indent=False)
    d.para("勘验时间：{{ inspection.started_at }} 至 {{ inspection.ended_at }}", indent=False)
    d.para("勘验场所：{{ inspection.place }}　天气情况：{{ inspection.weather }}", indent=False)
    d.para("勘验人：{{#officers}}{{ name }}（执法证号：{{ cert_no }}）　{{/officers}}", indent=False)
    d.para("当事人：{{ party.name }}　被邀请人：{{ witness }}　记录人：{{ recorder }}", indent=False)
    d.para("勘验情况：", indent=False, bold=True)
    d.para("{{ inspection.findings }}")
    d.para("（现场照片、示意图附后。）")
    d.signatures("当事人", "被邀请人", "勘验人", "记录人")


def site_record(d: Doc) -> None:
    d.para("执法时间：{{ site.started_at }} 至 {{ site.ended_at }}", indent=False)
    d.para("执法地点：{{ site.place }}", indent=False)
    d.para(OFFICER_LINE, indent=False)
    d.table([*PARTY_ROWS, ["车牌号", "{{ party.vehicle }}"]], widths=[4.0, 5.6, 2.8, 3.2])
    d.para("现场情况：", indent=False, bold=True)
    d.para("{{ site.findings }}")
    d.para("当事人意见：{{ site.party_opinion }}", indent=False)
    d.para("执法人员已出示执法证件，告知当事人享有陈述、申辩和申请回避的权利。")
    d.signatures("当事人", "执法人员", "记录人（{{ recorder }}）")


def violation_notice(d: Doc) -> None:
    """处罚法 Art 44: the facts, reasons and basis of the intended penalty and the party's rights; Art 45 the
    陈述申辩 (period: the bureau's setting); Art 63, 64(一) the 听证 right and its five-day window."""
    d.para("{{ party.name }}：", indent=False)
    d.para("经调查，你（单位）于{{ case.occurred_at }}在{{ case.place }}实施了以下违法行为：{{ case.facts }}")
    d.para(
        "本机关认为，你（单位）的上述行为违反了{{ violation.violated }}的规定，依据{{ violation.penalty_basis }}"
        "的规定，本机关拟对你（单位）作出{{ proposed.penalty }}的行政处罚。"
        "{{#proposed.tier}}裁量阶次：{{ proposed.tier }}；裁量理由：{{ proposed.reasons }}。{{/proposed.tier}}"
    )
    d.para(
        "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你（单位）有权进行陈述和申辩，"
        "可以在收到本通知书之日起{{ statement.period }}内（至{{ statement.due }}止）向本机关提出陈述、申辩意见。"
        "{{#hearing_eligible}}根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，你（单位）有权要求听证，"
        "应当在收到本通知书之日起{{ law.hearing_request_period }}内提出（按工作日计算，不含法定节假日，至{{ hearing_request.due }}止，"
        "《中华人民共和国行政处罚法》第八十五条）。{{/hearing_eligible}}"
        "逾期未提出陈述、申辩{{#hearing_eligible}}或者听证要求{{/hearing_eligible}}的，视为放弃上述权利。"
    )
    d.para("联系人：{{ contact.person }}　联系电话：{{ contact.phone }}", indent=False)
    d.para(
        "联系地址（陈述、申辩{{#hearing_eligible}}、申请听证{{/hearing_eligible}}地点）：{{ contact.address }}",
        indent=False,
    )
    d.seal()
    d.signatures("当事人签收")


def hearing_notice(d: Doc) -> None:
    d.para("{{ party.name }}：", indent=False)
    d.para(
        "根据你（单位）于{{ hearing.applied_on }}提出的听证申请，本机关决定于{{ hearing.at }}在{{ hearing.place }}"
        "对{{ case.cause }}一案举行听证（本通知于举行听证的{{ law.hearing_notice_days }}前送达，"
        "《中华人民共和国行政处罚法》第六十四条第（二）项）。"
    )
    d.para(
        "听证主持人：{{ hearing.host }}　听证员：{{ hearing.members }}　记录员：{{ hearing.clerk }}",
        indent=False,
    )
    d.para("听证方式：{{ hearing.public }}", indent=False)
    d.para(
        "你（单位）认为主持人、听证员、记录员与本案有直接利害关系的，有权申请回避。你（单位）可以亲自参加听证，"
        "也可以委托一至二人代理；委托代理人参加的，应当提交授权委托书。请携带身份证明及有关证据材料按时参加。"
        "无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利（《中华人民共和国行政处罚法》第六十四条）。"
    )
    d.para("联系人：{{ contact.person }}　联系电话：{{ contact.phone }}", indent=False)
    d.para("联系地址：{{ contact.address }}", indent=False)
    d.seal()


def hearing_record(d: Doc) -> None:
    d.para("案由：{{ case.cause }}", indent=False)
    d.para("听证时间：{{ hearing.at }}　听证地点：{{ hearing.place }}　{{ hearing.public }}", indent=False)
    d.para(
        "听证主持人：{{ hearing.host }}　听证员：{{ hearing.members }}　记录员：{{ hearing.clerk }}",
        indent=False,
    )
    d.para("当事人：{{ party.name }}　统一社会信用代码/身份证号码：{{ party.id_no }}", indent=False)
    d.para("法定代表人（负责人）：{{ party.legal_rep }}　地址：{{ party.address }}", indent=False)
    d.para("委托代理人：{{ agents }}", indent=False)
    d.para("案件调查人员：{{ investigators }}", indent=False)
    d.para("听证经过：", indent=False, bold=True)
    d.marker("{{#statements}}")
    d.para("{{ speaker }}：{{ content }}", indent=False)
    d.marker("{{/statements}}")
    d.para("以上笔录经当事人、案件调查人员核对无误。")
    d.signatures("当事人或代理人", "案件调查人员", "听证主持人", "听证员", "记录员")


def penalty_decision(d: Doc) -> None:
    d.para("当事人：{{ party.name }}", indent=False)
    d.para("统一社会信用代码/身份证号码：{{ party.id_no }}", indent=False)
    d.para("法定代表人（负责人）：{{ party.legal_rep }}", indent=False)
    d.para("住所（地址）：{{ party.address }}", indent=False)
    d.para("经查，{{ case.facts }}")
    d.para("以上事实有下列证据证明：")
    d.marker("{{#evidence}}")
    d.para("{{ loop.index }}. {{ name }}：{{ description }}")
    d.marker("{{/evidence}}")
    d.para("本机关认为，当事人的上述行为违反了{{ violation.violated }}的规定。{{ penalty.reasons }}")
    d.para(
        "依据{{ violation.penalty_basis }}的规定，本机关决定对当事人作出如下行政处罚：{{ penalty.content }}"
        "{{#penalty.fine_fen}}（罚款金额：人民币{{ penalty.fine_fen | upper_yuan }}，"
        "¥{{ penalty.fine_fen | yuan }}）{{/penalty.fine_fen}}。"
    )
    d.para(
        "履行方式和期限：{{ payment.method }}，{{ payment.deadline }}（《中华人民共和国行政处罚法》第六十七条第三款）。"
        "{{#payment.bank}}代收机构：{{ payment.bank }}，账号：{{ payment.account }}。{{/payment.bank}}"
        "到期不缴纳罚款的，本机关可以每日按罚款数额的{{ law.surcharge_rate }}加处罚款，加处罚款的数额不超出罚款的数额"
        "（《中华人民共和国行政处罚法》第七十二条第一款第（一）项）。"
    )
    d.para(
        "{{ remedy.text }}"
        "行政复议和行政诉讼期间，本决定不停止执行，法律另有规定的除外（《中华人民共和国行政处罚法》第七十三条）。"
        "逾期不申请行政复议、不提起行政诉讼，又不履行本决定的，本机关将依法申请人民法院强制执行。"
    )
    d.seal()


def no_penalty_decision(d: Doc) -> None:
    d.para("当事人：{{ party.name }}", indent=False)
    d.para("统一社会信用代码/身份证号码：{{ party.id_no }}", indent=False)
    d.para("法定代表人（负责人）：{{ party.legal_rep }}", indent=False)
    d.para("住所（地址）：{{ party.address }}", indent=False)
    d.para("经查，{{ case.facts }}")
    d.marker("{{#evidence}}")
    d.para("{{ loop.index }}. {{ name }}：{{ description }}")
    d.marker("{{/evidence}}")
    d.para(
        "当事人的上述行为违反了{{ violation.violated }}的规定。鉴于{{ no_penalty.reason }}，"
        "依据{{ no_penalty.basis }}的规定，本机关决定不予行政处罚。"
    )
    d.para("教育情况：{{ education }}")
    d.para("{{ remedy.text }}")
    d.seal()


def service_receipt(d: Doc) -> None:
    d.table(
        [
            ["案由", "{{ case.cause }}"],
            ["受送达人", "{{ recipient.name }}"],
            ["送达地点", "{{ service.place }}", "送达方式", "{{ service.method }}"],
        ],
        widths=[3.4, 6.0, 2.8, 3.4],
    )
    d.para("")
    d.table(
        [
            ["送达文书名称", "文号", "收件人签名或盖章", "收件时间"],
            ["{{#items}}{{ name }}", "{{ number }}", "", "{{ service.at }}{{/items}}"],
        ],
        widths=[4.4, 4.2, 4.0, 3.0],
    )
    d.para(
        "送达方式：{{ service.method }}；送达日期：{{ service.at }}；视为送达日期：{{ service.deemed_on }}"
        "（{{ service.rule }}，{{ service.basis }}）。",
        indent=False,
    )
    d.para("送达情况：{{ service.detail }}", indent=False)
    d.para("送达人：{{ servers }}　见证人：{{ witness }}", indent=False)
    d.para("备注：{{ note }}", indent=False)
    d.seal()


def reminder(d: Doc) -> None:
    d.para("{{ party.name }}：", indent=False)
    d.para(
        "本机关于{{ decision.date }}对你（单位）作出《行政处罚决定书》（{{ decision.number }}），"
        "该决定已依法送达。你（单位）至今未履行下列义务：{{ obligation.content }}"
        "{{#obligation.amount_fen}}（金额：人民币{{ obligation.amount_fen | upper_yuan }}）{{/obligation.amount_fen}}。"
    )
    d.para(
        "根据《中华人民共和国行政强制法》第三十五条、第五十四条的规定，现催告你（单位）自收到本催告书之日起"
        "{{ law.reminder_period }}内履行上述义务，履行方式：{{ payment.method }}。"
    )
    d.para("你（单位）对本催告有权进行陈述和申辩。逾期仍不履行的，本机关将依法申请人民法院强制执行。")
    d.para("联系人：{{ contact.person }}　联系电话：{{ contact.phone }}", indent=False)
    d.seal()
    d.signatures("当事人签收")


def closing_report(d: Doc) -> None:
    d.table(
        [
            ["案由", "{{ case.cause }}"],
            ["案号", "{{ case.number }}", "立案日期", "{{ case.registered_on }}"],
            ["当事人", "{{ party.name }}"],
            ["处理决定", "{{ decision.summary }}"],
            ["执行情况", "{{ execution.summary }}"],
            ["结案理由", "{{ closing.reason }}"],
            ["承办人意见", "{{ handler.opinion }}\n承办人（签名）：{{ handler.names }}"],
            [
                "负责人审批意见",
                "{{ approval.opinion }}\n负责人（签名）：{{ approval.by }}　　{{ approval.date }}",
            ],
        ],
        widths=[3.4, 6.0, 2.8, 3.4],
    )


def legal_review_opinion(d: Doc) -> None:
    d.table(
        [
            ["案由", "{{ case.cause }}"],
            ["当事人", "{{ party.name }}"],
            ["送审机构", "{{ review.submitted_by }}", "送审日期", "{{ review.submitted_on }}"],
        ],
        widths=[3.4, 6.0, 2.8, 3.4],
    )
    d.para("")
    d.table(
        [
            ["审核内容", "审核情况"],
            ["{{#review.items}}{{ aspect }}", "{{ finding }}{{/review.items}}"],
        ],
        widths=[7.0, 8.6],
    )
    d.para("审核意见：{{ review.opinion }}", indent=False)
    d.para("审核结论：{{ review.conclusion }}", indent=False)
    d.para(
        "法制审核人员：{{#review.reviewers}}{{ name }}（{{ qualification }}）　{{/review.reviewers}}",
        indent=False,
    )
    d.para(
        "（依据《中华人民共和国行政处罚法》第五十八条，未经法制审核或者审核未通过的，不得作出决定。）",
        size=12,
    )
    d.seal()


def collective_discussion(d: Doc) -> None:
    d.para("案由：{{ case.cause }}　当事人：{{ party.name }}", indent=False)
    d.para("讨论时间：{{ meeting.at }}　地点：{{ meeting.place }}", indent=False)
    d.para("主持人：{{ meeting.chair }}　记录人：{{ recorder }}", indent=False)
    d.table(
        [
            ["出席人员", "职务", "签名"],
            ["{{#attendees}}{{ name }}", "{{ position }}", "{{/attendees}}"],
        ],
        widths=[5.0, 5.0, 5.6],
    )
    d.para("列席人员：{{ observers }}", indent=False)
    d.para("案情汇报：{{ meeting.report }}", indent=False)
    d.para("法制审核意见：{{ meeting.review_opinion }}", indent=False)
    d.para("讨论意见：", indent=False, bold=True)
    d.marker("{{#opinions}}")
    d.para("{{ speaker }}：{{ content }}", indent=False)
    d.marker("{{/opinions}}")
    d.para("讨论决定：{{ meeting.conclusion }}", indent=False, bold=True)
    d.para(
        "（依据《中华人民共和国行政处罚法》第五十七条第二款，对情节复杂或者重大违法行为给予行政处罚，"
        "行政机关负责人应当集体讨论决定。）",
        size=12,
    )
    d.signatures("主持人", "记录人")


# --- enforce (issue 14): 先行登记保存, 查封/扣押, 申请法院强制执行 ------------------------------------

ITEMS_TABLE = [
    ["名称", "数量", "存放地点"],
    ["{{#ITEMS}}{{ name }}", "{{ quantity }}", "{{ place }}{{/ITEMS}}"],
]


def _items(d: Doc, path: str) -> None:
    d.table([[c.replace("ITEMS", path) for c in row] for row in ITEMS_TABLE], widths=[6.0, 3.0, 6.6])


def preservation_notice(d: Doc) -> None:
    d.para("{{ party.name }}：", indent=False)
    d.para(
        "本机关在办理{{ case.cause }}过程中，因{{ preservation.reason }}，经本机关负责人{{ preservation.approved_by }}"
        "批准，依据《中华人民共和国行政处罚法》第五十六条的规定，于{{ preservation.started_on }}"
        "对你（单位）的有关证据（名称、数量详见《证据登记保存清单》）采取先行登记保存措施。"
    )
    d.para(
        "本机关将在七日内（至{{ preservation.due }}）作出处理决定。在此期间，当事人或者有关人员不得销毁或者转移证据。"
    )
    d.para(OFFICER_LINE, indent=False)
    d.seal()
    d.signatures("当事人签收")


def preservation_list(d: Doc) -> None:
    d.para("案由：{{ case.cause }}　当事人：{{ party.name }}", indent=False)
    d.para("登记保存日期：{{ preservation.started_on }}", indent=False)
    _items(d, "preservation.items")
    d.para(
        "（依据《中华人民共和国行政处罚法》第五十六条先行登记保存；本清单一式二份，当事人和本机关各执一份。）",
        size=12,
    )
    d.para(OFFICER_LINE, indent=False)
    d.signatures("当事人", "执法人员")


def preservation_release(d: Doc) -> None:
    d.para("{{ party.name }}：", indent=False)
    d.para(
        "本机关在办理{{ case.cause }}过程中，于{{ preservation.started_on }}对你（单位）的下列证据采取了先行登记保存措施。"
        "依据《中华人民共和国行政处罚法》第五十六条的规定，现决定解除先行登记保存："
    )
    _items(d, "preservation.items")
    d.para("解除及退还情况：{{ preservation.note }}", indent=False)
    d.seal()
    d.signatures("当事人签收")


def seizure_decision(d: Doc) -> None:
    d.para("当事人：{{ party.name }}", indent=False)
    d.para("住所（地址）：{{ party.address }}", indent=False)
    d.para(
        "因{{ seizure.reason }}，依据{{ seizure.legal_basis }}和《中华人民共和国行政强制法》第二十四条的规定，"
        "本机关决定对你（单位）的下列场所、设施或者财物予以{{ seizure.kind }}，期限为{{ seizure.period }}"
        "（不超过三十日；情况复杂的，经本机关负责人批准可以延长，延长期限不超过三十日；"
        "需要检测、检验、检疫或者技术鉴定的，其期间不计入，第二十五条）："
    )
    _items(d, "seizure.items")
    d.para("{{ seizure.kind }}的财物由本机关妥善保管，不得使用或者损毁（第二十六条）。")
    d.para(
        "如不服本决定，可以在收到本决定书之日起{{ law.review_period }}内向{{ remedy.review_organ }}申请行政复议，"
        "或者在{{ law.litigation_period }}内依法向{{ remedy.court }}提起行政诉讼。"
    )
    d.seal()
    d.signatures("当事人签收")


def seizure_list(d: Doc) -> None:
    d.para(
        "当事人：{{ party.name }}　措施：{{ seizure.kind }}　决定日期：{{ seizure.started_on }}", indent=False
    )
    _items(d, "seizure.items")
    d.para(
        "（依据《中华人民共和国行政强制法》第二十四条，本清单一式二份，由当事人和本机关分别保存。）", size=12
    )
    d.signatures("当事人", "执法人员")


def seizure_extension(d: Doc) -> None:
    d.para("{{ party.name }}：", indent=False)
    d.para(
        "本机关于{{ seizure.started_on }}对你（单位）的财物实施{{ seizure.kind }}。因{{ seizure.extension_reason }}，"
        "经本机关负责人批准，依据《中华人民共和国行政强制法》第二十五条的规定，决定延长{{ seizure.kind }}期限"
        "{{ seizure.extension_days }}日，至{{ seizure.due }}届满。"
    )
    d.seal()
    d.signatures("当事人签收")


def seizure_release(d: Doc) -> None:
    d.para("{{ party.name }}：", indent=False)
    d.para(
        "本机关于{{ seizure.started_on }}对你（单位）的下列财物实施了{{ seizure.kind }}。因{{ seizure.release_ground }}，"
        "依据《中华人民共和国行政强制法》第二十八条的规定，决定予以解除，并立即退还财物："
    )
    _items(d, "seizure.items")
    d.para("退还财物情况：{{ seizure.returned }}", indent=False)
    d.seal()
    d.signatures("当事人签收")


def court_application(d: Doc) -> None:
    d.para("{{ court.name }}：", indent=False)
    d.para("被申请人：{{ party.name }}　住所（地址）：{{ party.address }}", indent=False)
    d.para(
        "本机关于{{ decision.date }}对被申请人作出《行政处罚决定书》（{{ decision.number }}），已依法送达。"
        "被申请人在法定期限内未申请行政复议或者提起行政诉讼，又不履行下列义务：{{ obligation.content }}。"
        "本机关已依法催告，催告书送达十日后被申请人仍未履行。"
    )
    d.para(
        "当事人的意见：{{ court.statement }}{{#court.adopted}}（{{ court.adopted }}）{{/court.adopted}}",
        indent=False,
    )
    d.para(
        "依据《中华人民共和国行政强制法》第五十三条、第五十四条和《中华人民共和国行政处罚法》第七十二条的规定，"
        "特申请人民法院强制执行。"
    )
    d.para("随附材料（第五十五条）：", indent=False, bold=True)
    d.marker("{{#court.materials}}")
    d.para("{{ name }}", indent=False)
    d.marker("{{/court.materials}}")
    d.seal()
    d.signatures("行政机关负责人")


def hearing_report(d: Doc) -> None:
    """听证报告 (hearing, issue 14): made by the chair after the hearing; the decision is made on the basis of
    the 听证笔录 (处罚法 Art 65)."""
    d.para("案由：{{ case.cause }}", indent=False)
    d.para("当事人：{{ party.name }}", indent=False)
    d.para("听证时间：{{ hearing.at }}　听证地点：{{ hearing.place }}　{{ hearing.public }}", indent=False)
    d.para(
        "听证主持人：{{ hearing.host }}　听证员：{{ hearing.members }}　记录员：{{ hearing.clerk }}",
        indent=False,
    )
    d.para("委托代理人：{{ agents }}", indent=False)
    d.para("案件调查人员：{{ investigators }}", indent=False)
    d.para("拟作出的行政处罚：{{ proposed.penalty }}", indent=False)
    d.para("听证情况：", indent=False, bold=True)
    d.para("{{ hearing.summary }}")
    d.para("听证笔录：{{ hearing.signature }}", indent=False)
    d.para("主持人意见：", indent=False, bold=True)
    d.para("{{ hearing.opinion }}")
    d.para(
        "（依据《中华人民共和国行政处罚法》第六十五条，听证结束后，行政机关应当根据听证笔录，"
        "依照该法第五十七条的规定作出决定。）",
        size=12,
    )
    d.signatures("听证主持人", "听证员")


def instalment_decision(d: Doc) -> None:
    """The decision on the party's application to defer or split a fine (处罚法 Art 66 para 2)."""
    d.para("{{ party.name }}：", indent=False)
    d.para(
        "本机关于{{ decision.date }}对你（单位）作出《行政处罚决定书》（{{ decision.number }}）。"
        "你（单位）于{{ instalment.applied_on }}以{{ instalment.reason }}为由，申请延期（分期）缴纳罚款。"
    )
    d.para("根据《中华人民共和国行政处罚法》第六十六条第二款的规定，{{ instalment.text }}")
    d.para("审批意见：{{ instalment.opinion }}", indent=False)
    d.para(
        "逾期不缴纳的，本机关将依照《中华人民共和国行政处罚法》第七十二条第一款第（一）项，"
        "自该期缴纳期限届满之次日起，每日按该期未缴金额的{{ law.surcharge_rate }}加处罚款，"
        "加处罚款的数额不超出罚款的数额（《中华人民共和国行政强制法》第四十五条），并依法申请人民法院强制执行。"
    )
    d.seal()
    d.signatures("当事人签收")


# --- permits (issue 19b): the 行政许可 文书 (forms after 交通行政许可实施程序规定's set, layout unconfirmed) ----------


def _permit_letter(d: Doc, first: str, *more: str, remedy: bool = False) -> None:
    """A letter to the applicant about its application: what happened, then the further paragraphs, the remedy
    (不予 decisions: 行政许可法 Art 38 para 2), the seal and the receipt line."""
    d.para("{{ party.name }}：", indent=False)
    d.para(
        "你（单位）于{{ application.received_on }}提出的{{ application.item }}申请（申请编号："
        "{{ application.number }}），" + first
    )
    for text in more:
        d.para(text)
    if remedy:
        d.para("{{ remedy.text }}")
    d.seal()
    d.signatures("申请人签收")


def permit_correction(d: Doc) -> None:
    _permit_letter(
        d,
        "申请材料不齐全或者不符合法定形式。依据《中华人民共和国行政许可法》第三十二条第一款第（四）项，"
        "现一次告知你（单位）需要补正的全部内容：",
        "{{ correction.items }}",
        "请补正后重新提交。补正的申请材料齐全、符合法定形式的，本机关将予以受理。联系电话：{{ contact.phone }}",
    )


def permit_acceptance(d: Doc) -> None:
    _permit_letter(
        d,
        "申请材料齐全、符合法定形式，本机关于{{ application.accepted_on }}予以受理。{{ acceptance.note }}",
        "本机关将依照《中华人民共和国行政许可法》第四十二条的规定，在{{ clock.text }}。",
    )


def permit_not_accepted(d: Doc) -> None:
    _permit_letter(
        d,
        "经审查，{{ not_accepted.reason }}。",
        "依据《中华人民共和国行政许可法》第三十二条的规定，本机关决定不予受理。",
        remedy=True,
    )


def permit_excluded(d: Doc) -> None:
    _permit_letter(
        d,
        "因{{ pause.kind }}（{{ pause.note }}），自{{ pause.start }}至{{ pause.end }}所需时间依据"
        "《中华人民共和国行政许可法》第四十五条不计算在作出行政许可决定的期限内，特此告知。",
        "本机关将在{{ clock.text }}。",
    )


def permit_extension(d: Doc) -> None:
    _permit_letter(
        d,
        "因{{ extension.reason }}，不能在法定期限内作出决定。经本机关负责人批准，依据"
        "《中华人民共和国行政许可法》第四十二条第一款，决定期限延长{{ extension.days }}个工作日，"
        "本机关将在{{ clock.text }}。",
    )


def permit_grant(d: Doc) -> None:
    _permit_letter(
        d,
        "经审查，符合法定条件、标准。",
        "依据{{ decision.basis }}和《中华人民共和国行政许可法》第三十八条第一款，本机关决定：{{ decision.content }}。",
        "核发证照：{{ decision.licence }}",
        "本机关将于{{ decision.issue_due }}前向你（单位）颁发、送达行政许可证件（行政许可法第四十四条）。",
    )


def permit_refusal(d: Doc) -> None:
    _permit_letter(
        d,
        "经审查，{{ decision.reason }}。",
        "依据{{ decision.basis }}和《中华人民共和国行政许可法》第三十八条第二款，本机关决定不予行政许可。",
        remedy=True,
    )


PERMIT_BUILDERS: dict[str, Callable[[Doc], None]] = {
    "permit_correction": permit_correction,
    "permit_acceptance": permit_acceptance,
    "permit_not_accepted": permit_not_accepted,
    "permit_excluded": permit_excluded,
    "permit_extension": permit_extension,
    "permit_grant": permit_grant,
    "permit_refusal": permit_refusal,
}
# --- end permits (issue 19b) ----------------------------------------------------------------------------------


BUILDERS: dict[str, Callable[[Doc], None]] = {
    "case_register": case_register,
    "inquiry_record": inquiry_record,
    "inspection_record": inspection_record,
    "site_record": site_record,
    "violation_notice": violation_notice,
    "hearing_notice": hearing_notice,
    "hearing_record": hearing_record,
    "penalty_decision": penalty_decision,
    "no_penalty_decision": no_penalty_decision,
    "service_receipt": service_receipt,
    "reminder": reminder,
    "closing_report": closing_report,
    "legal_review_opinion": legal_review_opinion,
    "collective_discussion": collective_discussion,
    # enforce (issue 14)
    "preservation_notice": preservation_notice,
    "preservation_list": preservation_list,
    "preservation_release": preservation_release,
    "seizure_decision": seizure_decision,
    "seizure_list": seizure_list,
    "seizure_extension": seizure_extension,
    "seizure_release": seizure_release,
    "court_application": court_application,
    "hearing_report": hearing_report,
    "instalment_decision": instalment_decision,
    **PERMIT_BUILDERS,
}


def build(name: str) -> Doc:
    spec = BY_NAME[name]
    d = Doc(spec.title)
    d.header(spec.title)
    BUILDERS[name](d)
    return d


def main(out_dir: Path = OUT_DIR) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    for spec in SPECS:
        build(spec.name).save(out_dir / spec.filename)
        print(f"已生成 {spec.filename}（{spec.title}）")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT_DIR))
