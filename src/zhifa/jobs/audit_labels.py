"""Names of the audit actions of the background jobs."""

from zhifa.core.audit import register_action_labels

register_action_labels({"job.retry": "重新运行后台任务", "job.cancel": "取消后台任务"})
