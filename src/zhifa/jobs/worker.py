"""``zhifa worker``: the Huey consumer (job threads + the minute tick) and a heartbeat thread.

At start it recovers what a killed predecessor left (jobs ``running`` under a dead process of this
host are queued again or failed) and enqueues queued jobs, so a restart resumes the work.
"""

from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 10


def _heartbeat_loop(stop: threading.Event) -> None:
    from django.db import close_old_connections, connection

    from zhifa.jobs.services import heartbeat

    while not stop.wait(HEARTBEAT_SECONDS):
        try:
            close_old_connections()
            heartbeat()
        except Exception:  # a database hiccup must not kill the heartbeat
            log.warning("heartbeat failed", exc_info=True)
    connection.close()


def run_worker(*, workers: int, periodic: bool = True) -> int:
    from django.db import connection

    from zhifa.jobs.queue import broker_description, huey
    from zhifa.jobs.services import jobs_recover, schedule_due

    h = huey()
    report = jobs_recover()
    if periodic:
        schedule_due()
    connection.close()
    print(f"后台任务进程启动：队列 {broker_description()}，{workers} 个执行线程，"
          f"{'含' if periodic else '不含'}定时任务；恢复中断任务 {report['requeued']} 个，判定失败 {report['failed']} 个",
          flush=True)
    stop = threading.Event()
    beat = threading.Thread(target=_heartbeat_loop, args=(stop,), name="zhifa-job-heartbeat", daemon=True)
    beat.start()
    consumer = h.create_consumer(workers=workers, worker_type="thread", periodic=periodic,
                                 initial_delay=0.1, backoff=1.15, max_delay=2.0, check_worker_health=True)
    try:
        consumer.run()  # SIGINT: finish running jobs, then stop; SIGTERM: stop now (recovered at next start)
    finally:
        stop.set()
    return 0
