"""The text test's detector and the crawler's parser, on the examples issue 15 counted (no database)."""

from __future__ import annotations

import pytest

from tests.crawl.codes import internal_codes
from tests.crawl.crawler import parse_page, url_shape


@pytest.mark.parametrize(
    "text",
    [
        "2026-03-02 10:00 case.view 查看案件",
        "证据材料 · cases.case#101",
        "overload.lead#2065 的证据",
        "审计对象 core.auditrecord",
        "不足部分 overload_part_tonne_rounding=floor",
        "可由环境变量 ZHIFA_RULE_STATEMENT_PERIOD 配置",
        "参数 altitude_max_m 9000",
        "应入网 coach,charter,dangerous",
        "依据 enforcement-tech.md §2.3",
        "见 shared/domain/procedure.md",
        "来源：chinese_calendar 库",
        "双随机抽查：DemoInspections(items=4, plan_id=1)",
        "<Case object at 0x7f>",
        "size=2243；digest=84f1",
        "文书模板 no_penalty",
        "检查对象范围 passenger 现场检查",  # an enum value printed instead of its label
    ],
)
def test_codes_a_person_must_not_read_are_found(text):
    assert internal_codes(text), text


@pytest.mark.parametrize(
    "text",
    [
        "证据材料 · 案件 #101",
        "现场照片.jpg 已上传，SM3 摘要 84f1666899d1",
        "郁交罚〔2026〕12号 粤W12345 黄色",
        "转载自 jianbiaoku.com 全文",
        "登录名 reviewer_city",
        "里程 2,223,341.9 公里",
    ],
)
def test_what_a_person_legitimately_reads_passes(text):
    assert not internal_codes(text), internal_codes(text)


def test_visible_text_leaves_out_scripts_attributes_and_verbatim_elements():
    html = """<html><head><title>案件</title><style>.a_b{}</style></head><body>
    <a href="/cases/1/" title="case.view">案件一</a><script>var x_y = "case.view";</script>
    <p>模板标记 <code data-verbatim>{{ case.number }}</code> 照抄</p>
    <form method="get" action="/cases/"><input name="q" value="粤W"><select name="s">
      <option value="">全部</option><option value="open" selected>办理中</option></select></form>
    <form method="post" action="/logout/"><button>退出</button></form></body></html>"""
    links, text = parse_page(html)
    assert text == "案件 案件一 模板标记 照抄 全部 办理中 退出"
    assert links == ["/cases/1/", "/cases/?q=%E7%B2%A4W&s=open"]


def test_one_shape_per_view_and_filter_set():
    assert url_shape("/cases/12/?page=2&q=x") == url_shape("/cases/13/?q=y&page=9") == "/cases/#/?page&q"
