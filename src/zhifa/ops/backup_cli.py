"""``zhifa backup [DIR]`` and ``zhifa restore SNAPSHOT_DIR`` (see :mod:`zhifa.ops.backup`)."""

from __future__ import annotations

import json
import sys

CHECK_LABELS = {"audit": "审计哈希链", "evidence": "证据材料", "documents": "执法文书"}


def _progress(args):
    if args.json:
        return None
    return lambda done, total, message: print(message, flush=True)


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)  # pragma: no cover


def cmd_backup(args) -> int:
    from zhifa.core.commandline import cli_error, setup_django

    setup_django()
    from django.conf import settings

    from zhifa.core.errors import DomainError
    from zhifa.ops.backup import backup_create

    if args.keep is not None and args.keep < 1:
        return cli_error("--keep 必须至少为 1 / --keep must be at least 1")
    # the administrator's "back up now" goes where the daily job (backup.daily) writes
    target = args.dir or settings.BACKUP_DIR
    if not target:
        return cli_error("请给出备份目录，或设置 ZHIFA_BACKUP_DIR / give DIR or set ZHIFA_BACKUP_DIR")
    try:
        m = backup_create(target, keep=args.keep, progress=_progress(args))
    except DomainError as e:
        return cli_error(e.message, 1)
    d, s = m.data, m.stats
    if args.json:
        print(json.dumps({"snapshot": str(m.path), **{k: d[k] for k in ("started_at", "finished_at", "stats",
                          "problems", "audit")}, "retention": d.get("retention")}, ensure_ascii=False))
    else:
        print(f"已写入快照：{m.path}")
        print(f"  数据库（{d['database']['engine']}），审计链头第 {d['audit']['head_seq']} 条")
        print(f"  文件对象 {s['objects_total']} 个：新复制 {s['objects_copied']} 个（{_size(s['bytes_copied'])}），"
              f"已存在未复制 {s['objects_reused']} 个")
        need = "、".join(f"{n}（指纹 {i['fingerprint']}）" for n, i in d["keys"]["required"].items())
        print(f"  备份不含密钥；恢复时需配置：{need}")
        if d.get("retention"):
            r = d["retention"]
            print(f"  按保留 {args.keep} 份清理：删除旧快照 {len(r['snapshots_removed'])} 个，"
                  f"不再引用的对象 {r['objects_removed']} 个")
    for problem in d["problems"]:
        print(f"警告：{problem}", file=sys.stderr)
    return 1 if d["problems"] else 0


def cmd_restore(args) -> int:
    from zhifa.core.commandline import cli_error, setup_django

    setup_django()
    from zhifa.core.errors import DomainError
    from zhifa.ops.backup import backup_restore

    try:
        report = backup_restore(args.snapshot, verify=not args.no_verify, progress=_progress(args))
    except DomainError as e:
        if args.json:
            print(json.dumps({"ok": False, "code": e.code, "message": e.message}, ensure_ascii=False))
        return cli_error(e.message, 1)
    if args.json:
        print(json.dumps({"ok": report.ok, "snapshot": report.snapshot, "objects": report.objects,
                          "files": report.files, "notes": report.notes,
                          "checks": [{"name": n, "ok": ok, "message": msg} for n, ok, msg in report.checks]},
                         ensure_ascii=False))
    else:
        print(f"已恢复快照 {report.snapshot}：证据与文书文件 {report.objects} 个，列式存储与模板文件 {report.files} 个")
        for note in report.notes:
            print(f"注意：{note}")
        for name, ok, message in report.checks:
            print(f"  {CHECK_LABELS[name]}校验：{'通过' if ok else '未通过'}——{message}")
        if not report.checks:
            print("未运行校验（--no-verify）；请运行 zhifa audit verify、zhifa evidence verify、zhifa documents verify")
    return 0 if report.ok else 1


def register(sub) -> None:
    """Add ``backup`` and ``restore`` to the ``zhifa`` parser's subparsers ``sub``."""
    s = sub.add_parser("backup", help="在线备份数据库、证据、文书与列式存储 / back up the installation online")
    s.add_argument("dir", nargs="?", default="",
                   help="备份目录（快照与共享对象库；默认 ZHIFA_BACKUP_DIR）/ backup directory (default ZHIFA_BACKUP_DIR)")
    s.add_argument("--keep", type=int, help="只保留最新的 N 份快照 / keep only the newest N snapshots")
    s.add_argument("--json", action="store_true", help="以 JSON 输出结果 / machine-readable output")
    s.set_defaults(func=cmd_backup)
    r = sub.add_parser("restore", help="把快照恢复到空的安装中并校验 / restore a snapshot into an empty installation")
    r.add_argument("snapshot", help="快照目录，如 /backup/20260101-020000 / snapshot directory")
    r.add_argument("--no-verify", action="store_true",
                   help="恢复后不运行三项校验（演练时分步核对用）/ skip the three verifications")
    r.add_argument("--json", action="store_true", help="以 JSON 输出结果 / machine-readable output")
    r.set_defaults(func=cmd_restore)
