"""Benchmark: how long a failed sign-in takes for an existing account, an unknown username and a disabled
account (issue 16 item 6: 317 ms against 5 ms told a stranger which usernames exist).

    .venv/bin/python benchmarks/login_timing.py [--repeat 15]

Runs the real ``accounts.services.login_attempt`` with the production password hasher (PBKDF2, SM3 where
the runtime offers it), each attempt from a new address so throttling does not interfere. Prints the median
per kind and the ratio of the unknown and disabled medians to the existing account's (the baseline of the
same run); ~1.0 means the answer's timing reveals nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    os.environ.setdefault("ZHIFA_DATA_DIR", tempfile.mkdtemp(prefix="zhifa-bench-"))
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhifa.config.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tests.factories import make_org_tree, make_user

    from zhifa.accounts.models import User
    from zhifa.accounts.services import login_attempt
    from zhifa.core.errors import DomainError

    tree = make_org_tree()
    make_user("bench_known", tree.squad_a1, {"officer"})
    make_user("bench_disabled", tree.squad_a1, {"officer"})
    User.objects.filter(username="bench_disabled").update(is_active=False)
    times: dict[str, list[float]] = {"existing": [], "unknown": [], "disabled": []}
    names = {"existing": "bench_known", "unknown": "bench_nobody", "disabled": "bench_disabled"}
    n = 0
    for _ in range(args.repeat):
        for kind, username in names.items():
            n += 1
            t0 = time.perf_counter()
            try:
                login_attempt(username=username, password="Wrong@2026", source=f"10.9.{n // 250}.{n % 250}")
            except DomainError:
                pass
            times[kind].append(time.perf_counter() - t0)
    base = statistics.median(times["existing"])
    for kind, ts in times.items():
        med = statistics.median(ts)
        print(f"{kind:9s} median {med * 1000:8.1f} ms   ratio to existing {med / base:5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
