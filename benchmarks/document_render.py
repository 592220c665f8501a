"""Benchmark: render and issue a 行政处罚决定书, against a baseline measured in the same run.

    .venv/bin/python benchmarks/document_render.py [--runs 50]     # SQLite in a temp dir

Prints the mean time of: the baseline (python-docx opening the shipped template and saving it unchanged:
the floor any DOCX generation pays), a preview render (fill the placeholders and loops, no database),
and a full ``document_issue`` (required-field check, number allocation, render, atomic write with SM3
digest, IssuedDocument row, audit record, in one transaction), with the ratios to the baseline.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=50)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="zhifa-bench-docs-"))
    os.environ["ZHIFA_DATA_DIR"] = str(tmp)
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["ZHIFA_TEMPLATE_DIR"] = str(tmp / "templates")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.config.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from docx import Document

    from zhifa.accounts import services as acc
    from zhifa.accounts.enums import OrgKind
    from zhifa.documents import services
    from zhifa.documents.specs import sample_context

    call_command("migrate", verbosity=0)
    bureau = acc.org_create(
        name="郁南县交通运输局", kind=OrgKind.BUREAU, parent=None, actor=None, short_name="郁"
    )
    squad = acc.org_create(name="第一中队", kind=OrgKind.SQUAD, parent=bureau, actor=None)
    from zhifa.accounts.models import User, UserRole

    user = User.objects.create(username="bench", org=squad, display_name="基准")
    UserRole.objects.create(user=user, role="officer")
    path = services.template_resolve("penalty_decision").path
    ctx = sample_context()
    on = date(2026, 3, 18)

    def baseline():
        buf = io.BytesIO()
        Document(str(path)).save(buf)

    def preview():
        services.document_render_preview("penalty_decision", ctx, org=squad, on=on)

    def issue():
        services.document_issue(
            template="penalty_decision",
            context=ctx,
            org=squad,
            target_type="bench",
            target_id=1,
            actor=user,
            on=on,
        )

    results = {}
    for name, fn in (("baseline", baseline), ("preview", preview), ("issue", issue)):
        fn()  # warm-up
        t0 = time.perf_counter()
        for _ in range(args.runs):
            fn()
        results[name] = (time.perf_counter() - t0) / args.runs
    b = results["baseline"]
    print(f"行政处罚决定书，{args.runs} 次平均（{services.template_resolve('penalty_decision').path.name}）")
    print(f"  基线：python-docx 打开并原样保存模板  {b * 1000:8.2f} ms")
    print(
        f"  预览：填充字段与循环（不编号、不入库）{results['preview'] * 1000:8.2f} ms  = 基线 × {results['preview'] / b:.2f}"
    )
    print(
        f"  生成：编号+渲染+存储+登记+审计      {results['issue'] * 1000:8.2f} ms  = 基线 × {results['issue'] / b:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
