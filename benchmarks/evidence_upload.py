"""Benchmark: ingest a generated 2 GB file (a 执法记录仪 video) through ``evidence_ingest`` to the filesystem.

    .venv/bin/python benchmarks/evidence_upload.py [--size-mb 2048] [--dir /path/on/the/target/disk]

The stream is generated (a 4 MiB random block repeated), never held whole in memory. Measured in the same
run, on the same disk and with the same 1 MiB chunks:

* baseline: ``shutil.copyfileobj`` of the same stream to a file, then fsync (the cost of merely writing it);
* digest only: hashing the same stream with the platform digest (SM3, or SHA-256 where SM3 is missing);
* ingest: ``evidence_ingest`` (stream + digest + temp file + fsync + rename + database row + custody + audit).

Prints MB/s for each, the ratio of ingest to the baseline, and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

MiB = 1024 * 1024


class GeneratedStream:
    """``size`` bytes from a repeated random block; ``read(n)`` like a file."""

    def __init__(self, size: int, block: bytes):
        self.remaining = size
        self.block = block
        self.offset = 0

    def read(self, n: int = -1) -> bytes:
        if self.remaining <= 0:
            return b""
        n = min(n if n and n > 0 else MiB, self.remaining, len(self.block) - self.offset)
        chunk = self.block[self.offset : self.offset + n]
        self.offset = (self.offset + n) % len(self.block)
        self.remaining -= n
        return chunk


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--size-mb", type=int, default=2048, help="file size in MiB (default 2048)")
    ap.add_argument("--dir", default="", help="data directory (default: a temporary directory)")
    args = ap.parse_args()
    tmp = Path(args.dir or tempfile.mkdtemp(prefix="zhifa-bench-ev-"))
    tmp.mkdir(parents=True, exist_ok=True)
    os.environ["ZHIFA_DATA_DIR"] = str(tmp)
    os.environ["ZHIFA_STORAGE"] = "fs"
    os.environ.pop("DATABASE_URL", None)  # a scratch SQLite database in the data directory
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.config.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    try:
        return run(args.size_mb * MiB, tmp)
    finally:
        if not args.dir:
            shutil.rmtree(tmp, ignore_errors=True)


def run(size: int, tmp: Path) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from zhifa.accounts import services as acc
    from zhifa.accounts.enums import OrgKind
    from zhifa.core.crypto import DIGEST_ALGORITHM, new_digest
    from zhifa.evidence.services import evidence_ingest
    from zhifa.evidence.storage import CHUNK, storage_for

    org = acc.org_create(name="基准测试中队", kind=OrgKind.SQUAD, parent=None, actor=None)
    user = acc.user_create(
        username="bench", display_name="基准", org=org, roles={"officer"}, password="Bench@2026!x", actor=None
    )
    block = os.urandom(4 * MiB)
    mb = size / 1e6
    print(
        f"文件大小 {size / MiB:.0f} MiB，摘要算法 {DIGEST_ALGORITHM}，块大小 {CHUNK // 1024} KiB，目录 {tmp}"
    )
    print(f"启动后峰值内存（RSS）：{peak_rss_mb():.0f} MB")

    # baseline: plain copy of the same stream to a file on the same disk, with fsync
    target = tmp / "baseline.bin"
    t = time.perf_counter()
    with open(target, "wb") as fh:
        shutil.copyfileobj(GeneratedStream(size, block), fh, CHUNK)
        fh.flush()
        os.fsync(fh.fileno())
    base_s = time.perf_counter() - t
    target.unlink()
    print(f"基线 shutil.copyfileobj + fsync：{base_s:.2f} s，{mb / base_s:.0f} MB/s")

    t = time.perf_counter()
    h = new_digest()
    stream = GeneratedStream(size, block)
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        h.update(chunk)
    hash_s = time.perf_counter() - t
    print(f"仅计算 {DIGEST_ALGORITHM} 摘要：{hash_s:.2f} s，{mb / hash_s:.0f} MB/s")

    t = time.perf_counter()
    item = evidence_ingest(
        GeneratedStream(size, block),
        filename="执法记录仪_基准.mp4",
        content_type="video/mp4",
        target_type="benchmarks.sample",
        target_id="1",
        step="调查取证",
        org=org,
        actor=user,
    )
    ingest_s = time.perf_counter() - t
    assert item.size == size and item.digest == h.hexdigest()
    assert storage_for("fs").size(item.storage_key) == size
    print(
        f"evidence_ingest（流式写入 + 摘要 + 原子改名 + 入库 + 保管链 + 审计）：{ingest_s:.2f} s，"
        f"{mb / ingest_s:.0f} MB/s"
    )
    print(
        f"耗时比 ingest / 基线 = {ingest_s / base_s:.2f}；ingest / (基线 + 摘要) = {ingest_s / (base_s + hash_s):.2f}"
    )
    print(f"峰值内存（RSS）：{peak_rss_mb():.0f} MB（文件 {size / MiB:.0f} MiB 未整体载入内存）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
