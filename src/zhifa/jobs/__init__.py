"""Background jobs: a task queue (Huey; SQLite under ZHIFA_DATA_DIR by default, Redis in production),
the periodic schedule, and a ``Job`` record per run with progress a page can poll.

Apps declare their jobs in ``tasks.py``; see ``zhifa.jobs.registry``.
"""
