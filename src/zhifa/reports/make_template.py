"""Write the default 月度通报 template (``templates_docx/bulletin.docx``) with python-docx:
``python -m zhifa.reports.make_template``. A bureau replaces it with its own (``ZHIFA_BULLETIN_TEMPLATE``),
keeping the placeholders (the template language of ``zhifa.documents.render``):

- ``{{ org }}``, ``{{ number }}``, ``{{ month_label }}``, ``{{ generated_on }}``;
- ``{{#indicators}}`` rows: ``{{ name }}``, ``{{ value }}``, ``{{ previous }}``, ``{{ change }}``, ``{{ source }}``;
- ``{{#rankings}}``: ``{{ name }}``, ``{{ text }}``; ``{{#problems}}``: ``{{ loop.index }}``, ``{{ text }}``."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

OUT = Path(__file__).resolve().parent / "templates_docx" / "bulletin.docx"


def build(path: Path = OUT) -> Path:
    doc = Document()
    doc.styles["Normal"].font.name = "仿宋"
    doc.styles["Normal"].font.size = Pt(14)
    title = doc.add_paragraph("{{ org }}{{ month_label }}执法工作通报")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.runs[0].font.size = Pt(20)
    num = doc.add_paragraph("{{ number }}")
    num.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("现将{{ month_label }}执法工作主要指标、各单位排名和存在的问题通报如下：")
    doc.add_paragraph("一、主要指标")
    t = doc.add_table(rows=2, cols=5)
    t.style = "Table Grid"
    for i, h in enumerate(["指标", "本月", "上月", "环比变化", "来源"]):
        t.rows[0].cells[i].text = h
    cells = t.rows[1].cells
    cells[0].text = "{{#indicators}}{{ name }}"
    cells[1].text = "{{ value }}"
    cells[2].text = "{{ previous }}"
    cells[3].text = "{{ change }}"
    cells[4].text = "{{ source }}{{/indicators}}"
    doc.add_paragraph("二、各单位排名")
    doc.add_paragraph("{{#rankings}}")
    doc.add_paragraph("{{ name }}：{{ text }}。")
    doc.add_paragraph("{{/rankings}}")
    doc.add_paragraph("{{^rankings}}本月无可排名的单位。{{/rankings}}")
    doc.add_paragraph("三、存在的问题")
    doc.add_paragraph("{{#problems}}")
    doc.add_paragraph("{{ loop.index }}. {{ text }}")
    doc.add_paragraph("{{/problems}}")
    doc.add_paragraph("{{^problems}}本月未发现需要通报的问题。{{/problems}}")
    doc.add_paragraph("请各单位对照问题抓好整改，于下月10日前报送整改情况。")
    end = doc.add_paragraph("{{ org }}　{{ generated_on }}")
    end.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


if __name__ == "__main__":
    print(build())
