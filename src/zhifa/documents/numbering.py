"""Document numbers (文号) such as ``郁交罚〔2026〕12号``: authority short name, 交, type word, year, sequence.

The type words are a local choice (each bureau's 文书编号规则; procedure.md gives no official list), so
they are defaults a bureau overrides per authority and type with a ``NumberingRule`` row (CLI
``zhifa documents numbering``). The pattern defaults to ``{org}交{word}〔{year}〕{seq}号`` and can be changed
for the whole installation with ``ZHIFA_DOC_NUMBER_PATTERN`` or per rule.
"""

from __future__ import annotations

import os

from django.db import IntegrityError, transaction
from django.db.models import F

from zhifa.accounts.models import Org
from zhifa.documents.errors import DocumentError
from zhifa.documents.models import NumberingRule, NumberSequence

DEFAULT_PATTERN = "{org}交{word}〔{year}〕{seq}号"

# doc_type -> type word (类别字). Local defaults; override per authority with NumberingRule.
DEFAULT_TYPE_WORDS: dict[str, str] = {
    "register": "立",  # 立案登记表
    "inquiry": "询",  # 询问笔录
    "inspection": "勘",  # 勘验笔录
    "site": "现",  # 现场笔录
    "notice": "告",  # 违法行为通知书
    "hearing": "听",  # 听证通知书
    "hearing_record": "听记",  # 听证笔录
    "decision": "罚",  # 行政处罚决定书
    "no_penalty": "不罚",  # 不予行政处罚决定书
    "service": "送",  # 送达回证
    "reminder": "催",  # 催告书
    "closing": "结",  # 结案报告
    "review": "审",  # 法制审核意见书
    "discussion": "议",  # 集体讨论记录
    "bulletin": "通",  # 通报 (reports)
    # enforce (issue 14)
    "preservation": "保",  # 先行登记保存通知书, 解除证据登记保存决定书
    "seizure": "强",  # 行政强制措施决定书, 延长/解除行政强制措施
    "court": "执申",  # 强制执行申请书
    "hearing_report": "听报",  # 听证报告 (hearing, issue 14)
    "instalment": "缓",  # 延期（分期）缴纳罚款决定书 (money, issue 14)
    # permits (issue 19b): 行政许可 文书
    "permit_correction": "许补",  # 补正材料通知书
    "permit_accept": "许受",  # 受理通知书
    "permit_not_accept": "许不受",  # 不予受理决定书
    "permit_exclude": "许告",  # 不计入期限告知书
    "permit_extend": "许延",  # 延长期限通知书
    "permit_decision": "许",  # 准予 / 不予行政许可决定书 (one sequence)
}


def default_pattern() -> str:
    return os.environ.get("ZHIFA_DOC_NUMBER_PATTERN") or DEFAULT_PATTERN


def _check_pattern(pattern: str) -> str:
    if "{year}" not in pattern or "{seq}" not in pattern:
        raise DocumentError.BAD_PATTERN.error(pattern=pattern)
    try:
        pattern.format(org="", word="", year=2000, seq=1)
    except (KeyError, IndexError, ValueError):
        raise DocumentError.BAD_PATTERN.error(pattern=pattern) from None
    return pattern


def rule_for(issuer: Org, doc_type: str) -> tuple[str, str]:
    """(type word, pattern) for ``issuer`` and ``doc_type``."""
    row = NumberingRule.objects.filter(issuer=issuer, doc_type=doc_type).first()
    word = row.word if row else DEFAULT_TYPE_WORDS.get(doc_type)
    if not word:
        raise DocumentError.NO_TYPE_WORD.error(doc_type=doc_type)
    return word, _check_pattern((row.pattern if row and row.pattern else "") or default_pattern())


def format_number(*, issuer: Org, word: str, pattern: str, year: int, seq: int) -> str:
    if not issuer.short_name:
        raise DocumentError.NO_SHORT_NAME.error(org=issuer.name)
    return pattern.format(org=issuer.short_name, word=word, year=year, seq=seq)


def number_allocate(*, issuer: Org, doc_type: str, year: int) -> int:
    """Next sequence number; must run inside the caller's transaction (the row stays locked until it
    ends, and a rollback returns the number)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("number_allocate must run inside transaction.atomic")
    rows = NumberSequence.objects.filter(issuer=issuer, doc_type=doc_type, year=year)
    if not rows.update(last=F("last") + 1):
        try:
            with transaction.atomic():  # savepoint: a concurrent first issue may win the insert
                NumberSequence.objects.create(issuer=issuer, doc_type=doc_type, year=year, last=1)
            return 1
        except IntegrityError:
            rows.update(last=F("last") + 1)
    return rows.values_list("last", flat=True).get()
