"""``zhifa inspections …``: replay a published draw file (no database, no Django needed)."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def cmd_replay(args) -> int:
    from zhifa.inspections import draw

    path = Path(args.draw_file)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        print(f"文件不存在：{path}", file=sys.stderr)
        return 2
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        print(f"无法读取抽取文件：{e}", file=sys.stderr)
        return 2
    if not isinstance(doc, dict):
        print("抽取文件格式不正确：应为 JSON 对象", file=sys.stderr)
        return 2
    v = draw.verify_file(doc)
    if v.result is not None:
        out = draw.canonical(v.result.assignments)
        if args.output:
            Path(args.output).write_bytes(out)
        else:
            sys.stdout.buffer.write(out + b"\n")
            sys.stdout.flush()
    for p in v.problems:
        print(f"不一致：{p}", file=sys.stderr)
    if v.ok:
        n = len(v.result.assignments)
        print(
            f"验证通过：算法 {draw.ALGORITHM}，承诺值、输入摘要一致，复算 {n} 个检查对象的匹配结果与公布结果逐字节相同",
            file=sys.stderr,
        )
        return 0
    return 1


def register(sub) -> None:
    """Add this app's subcommands to the ``zhifa`` parser's subparsers ``sub``."""
    s = sub.add_parser("inspections", help="双随机抽查 / random inspections")
    isub = s.add_subparsers(dest="op", required=True, metavar="操作/operation")
    c = isub.add_parser(
        "replay",
        help="由公布的抽取文件复算并验证抽取结果 / recompute and verify a draw from its published file",
        description="读取公布的抽取文件（JSON），校验输入摘要与承诺值，按 zhifa-draw-v1 复算，"
        "将匹配结果（规范化 JSON）写到标准输出；一致时退出码 0，不一致 1，文件错误 2。 / "
        "Verify digests and commitment, recompute with zhifa-draw-v1 and print the assignments "
        "as canonical JSON; exit 0 when identical, 1 when not, 2 on a bad file.",
    )
    c.add_argument("draw_file", metavar="DRAW_FILE", help="抽取文件 / published draw file (JSON)")
    c.add_argument("-o", "--output", help="结果写入文件而非标准输出 / write the assignments to this file")
    c.set_defaults(func=cmd_replay)
