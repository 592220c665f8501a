"""``zhifa inspections …``: replay a published draw file (no database, no Django needed)."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _load(path: Path, what: str) -> dict | None:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        print(f"{what}不存在：{path}", file=sys.stderr)
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        print(f"无法读取{what}：{e}", file=sys.stderr)
        return None
    if not isinstance(doc, dict):
        print(f"{what}格式不正确：应为 JSON 对象", file=sys.stderr)
        return None
    return doc


def cmd_replay(args) -> int:
    from zhifa.inspections import draw

    doc = _load(Path(args.draw_file), "抽取文件")
    if doc is None:
        return 2
    earlier = None
    if args.against:
        earlier = _load(Path(args.against), "比对文件")
        if earlier is None:
            return 2
    v = draw.verify_file(doc)
    if v.kind in ("bad", "unrevealed"):
        for p in v.problems:
            print(p, file=sys.stderr)
        return 2
    problems = list(v.problems)
    if earlier is not None:
        problems += draw.compare_with_earlier(earlier, doc)
    if v.result is not None:
        out = draw.canonical(v.result.assignments)
        if args.output:
            Path(args.output).write_bytes(out)
        else:
            sys.stdout.buffer.write(out + b"\n")
            sys.stdout.flush()
    for p in problems:
        print(f"不一致：{p}", file=sys.stderr)
    if problems:
        return 1
    n = len(v.result.assignments)
    parts = ["承诺值、输入摘要"]
    if doc.get("algorithm") == draw.ALGORITHM_V2:
        witnesses = [w for w in doc.get("witnesses") or [] if not w.get("absent")]
        parts.append(f"{len(witnesses)} 名见证人取值" + ("、公开随机值" if doc.get("public") else ""))
    against = "，与比对文件一致" if earlier is not None else ""
    print(
        f"验证通过：算法 {doc['algorithm']}，{'、'.join(parts)}一致{against}，"
        f"复算 {n} 个检查对象的匹配结果与公布结果逐字节相同",
        file=sys.stderr,
    )
    return 0


def register(sub) -> None:
    """Add this app's subcommands to the ``zhifa`` parser's subparsers ``sub``."""
    s = sub.add_parser("inspections", help="双随机抽查 / random inspections")
    isub = s.add_subparsers(dest="op", required=True, metavar="操作/operation")
    c = isub.add_parser(
        "replay",
        help="由公布的抽取文件复算并验证抽取结果 / recompute and verify a draw from its published file",
        description="读取公布的抽取文件（JSON），校验输入摘要、权重、承诺值和见证人取值，按文件所写算法"
        "（zhifa-draw-v1 单方随机 / zhifa-draw-v2 多方见证随机）复算，将匹配结果（规范化 JSON）写到标准输出；"
        "--against 与抽取前保存的文件比对，输入、承诺值或见证人名单不同即拒绝。"
        "退出码：0 一致；1 不一致或伪造（说明哪一项不同）；2 文件无法读取、格式不对或抽取尚未揭示。 / "
        "Verify digests, weights, commitment and witness values, recompute with the file's algorithm and "
        "print the assignments as canonical JSON; --against compares with a file saved before the draw. "
        "Exit 0 when identical, 1 when not (or forged), 2 on a bad or unrevealed file.",
    )
    c.add_argument("draw_file", metavar="DRAW_FILE", help="抽取文件 / published draw file (JSON)")
    c.add_argument(
        "--against",
        metavar="PRE_DRAW_FILE",
        help="抽取前（公布承诺时）保存的抽取文件，逐项比对 / the file saved when the commitment was published",
    )
    c.add_argument("-o", "--output", help="结果写入文件而非标准输出 / write the assignments to this file")
    c.set_defaults(func=cmd_replay)
