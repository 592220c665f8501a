"""``zhifa worker`` and ``zhifa jobs …``.

Exit codes: 0 success; 1 a job failed; 2 usage or input error."""

from __future__ import annotations

import json
import sys

from zhifa.core.commandline import cli_error, setup_django


def cmd_worker(args) -> int:
    setup_django()
    from zhifa.jobs.worker import run_worker

    return run_worker(workers=args.workers, periodic=not args.no_schedule)


def cmd_list(args) -> int:
    setup_django()
    from django.utils import timezone

    from zhifa.jobs.models import Job
    from zhifa.jobs.registry import all_specs

    if args.kinds:
        for spec in all_specs():
            when = f"（定时：{spec.schedule.label}）" if spec.schedule else ""
            print(f"{spec.name}\t{spec.label}{when}")
        return 0
    qs = Job.objects.all()
    if args.status:
        qs = qs.filter(status=args.status)
    for job in qs[: args.limit]:
        print(f"#{job.pk}\t{job.get_status_display()}\t{job.label}\t{timezone.localtime(job.created_at):%Y-%m-%d %H:%M:%S}\t"
              f"{job.done}/{job.total}\t{job.error or job.message}")
    return 0


def _params(pairs: list[str]) -> dict:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ValueError(f"参数“{pair}”应为 名称=值")
        try:
            out[key] = json.loads(value)
        except ValueError:
            out[key] = value
    return out


def cmd_run(args) -> int:
    """Run one job now in this process (for an operator, or a cron entry where no worker runs)."""
    setup_django()
    from zhifa.core.commandline import bind_cli_context
    from zhifa.jobs.registry import UnknownJob
    from zhifa.jobs.services import job_submit

    try:
        params = _params(args.param or [])
    except ValueError as e:
        return cli_error(str(e))
    with bind_cli_context():
        try:
            job = job_submit(args.kind, params=params, run_now=True)
        except UnknownJob:
            return cli_error(f"没有名为 {args.kind} 的任务；用 zhifa jobs list --kinds 查看")
    print(f"任务 #{job.pk} {job.label}：{job.get_status_display()} {job.message}")
    if job.error:
        print(job.error, file=sys.stderr)
    return 0 if job.status == job.Status.DONE else 1


def cmd_schedule(args) -> int:
    setup_django()
    from zhifa.jobs.services import jobs_recover, schedule_due

    r = jobs_recover()
    jobs = schedule_due()
    print(f"恢复中断任务 {r['requeued']} 个，判定失败 {r['failed']} 个；提交到期定时任务 {len(jobs)} 个")
    for job in jobs:
        print(f"  #{job.pk} {job.label}")
    return 0


def register(sub) -> None:
    """Add ``zhifa worker`` and ``zhifa jobs …`` to the ``zhifa`` parser."""
    s = sub.add_parser("worker", help="运行后台任务进程（任务队列与定时任务）/ run the job worker and scheduler")
    s.add_argument("--workers", type=int, default=2, help="执行线程数（默认 2）/ worker threads")
    s.add_argument("--no-schedule", action="store_true",
                   help="不运行定时任务（多台时只让一台运行）/ do not run the schedule")
    s.set_defaults(func=cmd_worker)

    s = sub.add_parser("jobs", help="后台任务：列表、立即运行、定时 / background jobs")
    jsub = s.add_subparsers(dest="op", required=True, metavar="操作/operation")
    c = jsub.add_parser("list", help="最近的任务，或 --kinds 列出任务类型 / recent jobs or job kinds")
    c.add_argument("--kinds", action="store_true", help="列出所有任务类型及定时 / list job kinds")
    c.add_argument("--status", choices=["queued", "running", "done", "failed", "cancelled"])
    c.add_argument("--limit", type=int, default=30)
    c.set_defaults(func=cmd_list)
    c = jsub.add_parser("run", help="在本进程立即运行一个任务 / run a job now in this process")
    c.add_argument("kind", help="任务类型，如 disclosure.tick / job kind")
    c.add_argument("--param", action="append", metavar="名称=值", help="任务参数，可重复 / job parameter")
    c.set_defaults(func=cmd_run)
    c = jsub.add_parser("schedule", help="恢复中断任务并提交到期定时任务（无后台进程时可由 cron 调用）/ recover and submit due jobs")
    c.set_defaults(func=cmd_schedule)
