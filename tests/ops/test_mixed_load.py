"""Issue 17 item 5: 50 simulated users — staff signed in on their pages, anonymous portal visitors, API
clients — against ``zhifa serve`` for a bounded time, on the suite's database engine: zero errors, every
page exercised, the p95 table printed (a benchmark, never a pass/fail on time).

The workload is benchmarks/mixed_load.py's, run short: the demo county at scale 0.02 in a scratch
installation (a temporary ZHIFA_DATA_DIR; on PostgreSQL a scratch database, created and dropped), 50 users
for 10 s. Most of its ~90 s is loading the county.
"""

from __future__ import annotations

import os
import uuid

import pytest
from benchmarks import mixed_load as ml
from benchmarks.scratch import pg_admin, pg_dbname

USERS, SECONDS, SCALE = 50, 10, 0.02


@pytest.fixture
def installation(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield ml.child_env(tmp_path / "data", None)
        return
    scratch = url.rsplit("/", 1)[0] + f"/test_load_{uuid.uuid4().hex[:8]}"
    pg_admin(scratch, f'CREATE DATABASE "{pg_dbname(scratch)}"')
    try:
        yield ml.child_env(tmp_path / "data", scratch)
    finally:
        pg_admin(scratch, f'DROP DATABASE IF EXISTS "{pg_dbname(scratch)}" WITH (FORCE)')


@pytest.mark.slow
def test_fifty_users_across_staff_pages_portal_and_api_get_no_error(installation, capsys):
    from zhifa.demo.loader import DEMO_PASSWORD

    creds = ml.prepare(installation, scale=SCALE)
    assert creds.password == DEMO_PASSWORD and creds.token.startswith("zf_")
    with ml.serving(installation, workers=2, threads=4) as port:
        baseline = ml.run_baseline(port, creds, rounds=1)
        stats, elapsed = ml.run_load(port, creds, users=USERS, seconds=SECONDS)
    table = ml.report(stats, baseline, seconds=elapsed, users=USERS)
    with capsys.disabled():
        engine = "PostgreSQL" if "DATABASE_URL" in installation else "SQLite"
        print(f"\n混合负载（{engine}，{USERS} 个用户 × {SECONDS} 秒，zhifa serve 2×4）\n{table}")
    assert (baseline.failures, stats.failures) == ([], [])
    assert baseline.error_count == stats.error_count == 0
    for page in (ml.SIGN_IN, *ml.PAGES):
        assert stats.latencies.get(page.name), f"{page.name} 未被访问"
        assert baseline.latencies.get(page.name), f"{page.name} 无单用户基线"
    assert sum(1 for _ in stats.latencies[ml.SIGN_IN.name]) == 2 * len([g for g in ml.mix(USERS) if g == "staff"])
