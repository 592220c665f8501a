"""Tell the system administrators when a background job fails for good (the jobs app's ``job.failed``)."""

from __future__ import annotations

from zhifa.notifications import kinds

K_JOB_FAILED = kinds.declare("job.failed", "后台任务失败")


def on_job_failed(*, job_id: int, kind: str, label: str, error: str, scheduled: bool) -> None:
    from zhifa.accounts.enums import Role
    from zhifa.accounts.models import User
    from zhifa.notifications.services import notify

    admins = User.objects.filter(roles__role=Role.SYSADMIN, is_active=True).distinct()
    notify(users=admins, kind=K_JOB_FAILED, title=f"后台任务失败：{label}（#{job_id}）", body=error[:300],
           link=f"/jobs/{job_id}/", key=f"job.failed:{job_id}")
