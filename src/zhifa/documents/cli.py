"""``zhifa documents …``: list templates, render a preview from JSON, set numbering rules, verify files."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _setup():
    from zhifa.core.commandline import setup_django

    setup_django()


def cmd_templates(args) -> int:
    _setup()
    from zhifa.documents.selectors import templates_catalogue

    for tf in templates_catalogue():
        req = "、".join(f.path for f in tf.spec.required)
        print(f"{tf.spec.name}\t{tf.spec.title}\t{tf.source_label}\t{tf.path}\t必填：{req}")
    return 0


def cmd_render(args) -> int:
    _setup()
    from zhifa.core.errors import DomainError
    from zhifa.documents.services import document_render_preview
    from zhifa.documents.specs import sample_context

    if args.sample:
        context = sample_context()
    else:
        if not args.context:
            print("请给出上下文 JSON 文件，或使用 --sample", file=sys.stderr)
            return 2
        try:
            context = json.loads(Path(args.context).read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            print(f"无法读取上下文 JSON：{e}", file=sys.stderr)
            return 2
    try:
        data = document_render_preview(args.template, context)
    except DomainError as e:
        print(e.message, file=sys.stderr)
        return 1
    Path(args.output).write_bytes(data)
    print(f"已生成 {args.output}（{len(data)} 字节，未编号、未登记）")
    return 0


def cmd_numbering(args) -> int:
    _setup()
    from zhifa.accounts.models import Org
    from zhifa.core.commandline import bind_cli_context
    from zhifa.core.errors import DomainError
    from zhifa.documents.services import numbering_rule_set

    org = Org.objects.filter(name=args.org).first()
    if org is None:
        print(f"单位“{args.org}”不存在", file=sys.stderr)
        return 2
    try:
        with bind_cli_context():
            rule = numbering_rule_set(
                issuer=org, doc_type=args.type, word=args.word, pattern=args.pattern or "", actor=None
            )
    except DomainError as e:
        print(e.message, file=sys.stderr)
        return 1
    print(
        f"已设置：{org.name} {rule.doc_type} 类别字“{rule.word}”{('，格式 ' + rule.pattern) if rule.pattern else ''}"
    )
    return 0


def cmd_verify(args) -> int:
    _setup()
    from zhifa.documents.services import documents_verify

    result = documents_verify()
    for line in result.bad:
        print(line)
    for orphan in result.orphans:
        print(f"无登记记录的文件：{orphan}")
    print(f"已校验 {result.checked} 份文书，{len(result.bad)} 份异常，{len(result.orphans)} 个多余文件")
    if result.orphans:
        print("多余文件来自已回滚或中断的办理，可用 zhifa documents sweep 清理")
    return 1 if result.bad or result.orphans else 0


def cmd_sweep(args) -> int:
    _setup()
    from zhifa.documents.services import documents_sweep

    if args.older_than < 0:
        print("错误：--older-than 不能为负数", file=sys.stderr)
        return 2
    removed = documents_sweep(older_than_minutes=args.older_than)
    for rel in removed:
        print(f"已删除：{rel}")
    print(f"已清理 {len(removed)} 个无登记记录的文件（{args.older_than} 分钟内写入的不清理）")
    return 0


def register(sub) -> None:
    """Add this app's subcommands to the ``zhifa`` parser's subparsers ``sub``."""
    s = sub.add_parser("documents", help="执法文书模板与文号 / enforcement document templates and numbers")
    dsub = s.add_subparsers(dest="documents_command", metavar="子命令/subcommand", required=True)
    c = dsub.add_parser("templates", help="列出文书模板及必填字段 / list templates and their required fields")
    c.set_defaults(func=cmd_templates)
    c = dsub.add_parser(
        "render", help="按模板生成预览（不编号、不登记）/ render a preview (no number, not recorded)"
    )
    c.add_argument("template", help="模板名，如 penalty_decision / template name")
    c.add_argument("context", nargs="?", help="上下文 JSON 文件 / context JSON file")
    c.add_argument("-o", "--output", required=True, help="输出 DOCX 文件 / output DOCX file")
    c.add_argument("--sample", action="store_true", help="使用内置示例数据 / use the built-in sample context")
    c.set_defaults(func=cmd_render)
    c = dsub.add_parser(
        "numbering", help="设置文号类别字与格式 / set a document-number type word and pattern"
    )
    c.add_argument("--org", required=True, help="发文机关名称 / issuing authority name")
    c.add_argument("--type", required=True, help="文书类型，如 decision / document type")
    c.add_argument("--word", required=True, help="类别字，如 罚 / type word")
    c.add_argument("--pattern", help="格式，如 {org}交{word}〔{year}〕{seq}号 / pattern")
    c.set_defaults(func=cmd_numbering)
    c = dsub.add_parser("verify", help="重新计算已存文书的摘要 / re-hash stored documents")
    c.set_defaults(func=cmd_verify)
    c = dsub.add_parser("sweep", help="删除无登记记录的文书文件 / delete stored files no record points to")
    c.add_argument("--older-than", type=int, default=60, metavar="分钟",
                   help="只删除早于此分钟数写入的文件（默认 60）/ grace period in minutes")
    c.set_defaults(func=cmd_sweep)
