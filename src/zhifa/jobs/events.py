"""Events of the jobs app (core.events): a job failed for good, for whoever must hear of it (the console
tells the system administrators)."""

from zhifa.core import events

JOB_FAILED = events.declare(
    "job.failed",
    label="后台任务失败",
    payload=("job_id", "kind", "label", "error", "scheduled"),
)
