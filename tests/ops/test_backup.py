"""``zhifa backup`` / ``zhifa restore`` end to end, each step the real ``zhifa`` command in its own process.

The source is the demo county at a small scale (cases with evidence and rendered documents, audit chain,
治超 and 两客一危 Parquet partitions). Round trip: backup → an empty installation (new ZHIFA_DATA_DIR; on
PostgreSQL a new, migrated database) → restore → every table's rows as of the snapshot byte-identical, the
stores' files identical, and ``zhifa audit verify`` / ``evidence verify`` / ``documents verify`` passing.
Then the refusals (tampered object, other keys, non-empty target), the incremental copy and retention.

A restore's own evidence verification appends custody events and audit rows after the snapshot's; the
comparison takes the rows up to the snapshot's audit head and custody id (the hash chain proves the rest).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

import zhifa
from tests.evidence.conftest import s3_endpoint  # noqa: F401 - moto's S3 server, a fixture

SRC = str(Path(zhifa.__file__).resolve().parent.parent)
SCALE = "0.02"

EXPORT = """
import sys, django
django.setup()
from django.apps import apps
from django.core import serializers
from zhifa.evidence.models import CustodyEvent
seq, custody = int(sys.argv[2]), int(sys.argv[3])
with open(sys.argv[1], "w", encoding="utf-8") as out:
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        label = model._meta.label
        if model._meta.proxy or not model._meta.managed or label == "core.AuditHead":
            continue
        qs = model._base_manager.order_by("pk")
        if label == "core.AuditRecord":
            qs = qs.filter(seq__lte=seq)
        if label == "evidence.CustodyEvent":
            qs = qs.filter(pk__lte=custody)
        out.write(label + "\\n" + serializers.serialize("json", qs) + "\\n")
print(CustodyEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)
"""

ADD_EVIDENCE = """
import io, django
django.setup()
from zhifa.core.commandline import bind_cli_context
from zhifa.evidence.models import EvidenceItem
from zhifa.evidence.services import evidence_ingest
e = EvidenceItem.objects.exclude(uploaded_by=None).order_by("pk").first()
with bind_cli_context():
    evidence_ingest(io.BytesIO(b"new photo taken after the first backup"), filename="补充照片.jpg",
                    content_type="image/jpeg", target_type=e.target_type, target_id=e.target_id,
                    step=e.step, org=e.org, actor=e.uploaded_by)
"""


def _env(data_dir: Path, database_url: str | None = None, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ZHIFA_", "DATABASE_URL", "PYTEST", "COV_"))}
    env.update(PYTHONPATH=SRC, ZHIFA_DATA_DIR=str(data_dir), ZHIFA_STORAGE="fs",
               DJANGO_SETTINGS_MODULE="zhifa.config.settings", ZHIFA_LOG_LEVEL="ERROR")
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra)
    return env


def zhifa_cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "import sys; from zhifa.cli import main; sys.exit(main())", *args],
                          env=env, capture_output=True, text=True, timeout=900)


def python(env: dict, code: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return done.stdout


def ok(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def export(env: dict, out: Path, *, seq: int = 10**12, custody: int = 10**12) -> tuple[bytes, int]:
    max_custody = int(python(env, EXPORT, str(out), str(seq), str(custody)).strip())
    return out.read_bytes(), max_custody


def tree_digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for name in ("overload", "monitoring", "evidence", "documents") if (root / name).is_dir()
            for p in sorted((root / name).rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)}


def backup(env: dict, dest: Path, *args: str) -> dict:
    return json.loads(ok(zhifa_cli(env, "backup", str(dest), "--json", *args)))


def round_trip(tmp: Path, src_env: dict, dst_env: dict) -> None:
    snap = backup(src_env, tmp / "backup")
    assert snap["problems"] == [] and snap["stats"]["objects_copied"] == snap["stats"]["objects_total"] > 0
    manifest = json.loads((Path(snap["snapshot"]) / "manifest.json").read_text(encoding="utf-8"))
    assert {o["kind"] for o in manifest["objects"]} == {"evidence", "document"}
    assert manifest["stores"]["overload"] and manifest["stores"]["monitoring"]
    assert "ZHIFA_FIELD_KEY" in manifest["keys"]["required"]
    for key in ("SECRET_KEY", "FIELD_KEY", "AUDIT_KEY"):  # fingerprints only, never the keys
        value = python(src_env, f"import django; django.setup(); from django.conf import settings; "
                                f"print(getattr(settings, {('ZHIFA_' + key) if key != 'SECRET_KEY' else key!r}))")
        assert value.strip() not in json.dumps(manifest)
    ok(zhifa_cli(dst_env, "migrate"))  # an empty installation as `zhifa migrate` leaves it
    out = ok(zhifa_cli(dst_env, "restore", snap["snapshot"]))
    assert out.count("通过") == 3, out
    seq = manifest["audit"]["head_seq"]
    before, custody = export(src_env, tmp / "source.json", seq=seq)
    after, _ = export(dst_env, tmp / "restored.json", seq=seq, custody=custody)
    assert before == after
    assert tree_digests(Path(src_env["ZHIFA_DATA_DIR"])) == tree_digests(Path(dst_env["ZHIFA_DATA_DIR"]))
    for command in (["audit", "verify"], ["evidence", "verify"], ["documents", "verify"]):
        ok(zhifa_cli(dst_env, *command))


# --- SQLite ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_sqlite(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("demo-source")
    ok(zhifa_cli(_env(data), "demo", "--scale", SCALE, "--no-serve"))
    return data


@pytest.fixture
def source(demo_sqlite, tmp_path) -> Path:
    """A private copy of the demo county, for tests that change it."""
    data = tmp_path / "source"
    shutil.copytree(demo_sqlite, data)
    return data


@pytest.fixture(scope="module")
def snapshot(demo_sqlite, tmp_path_factory) -> Path:
    return Path(backup(_env(demo_sqlite), tmp_path_factory.mktemp("backup"))["snapshot"])


@pytest.mark.sqlite
def test_round_trip_on_sqlite(demo_sqlite, tmp_path):
    round_trip(tmp_path, _env(demo_sqlite), _env(tmp_path / "restored"))


def _fresh(tmp_path, name="target", **extra) -> dict:
    env = _env(tmp_path / name, **extra)
    ok(zhifa_cli(env, "migrate"))
    return env


@pytest.mark.sqlite
def test_a_tampered_object_is_refused_and_named(snapshot, tmp_path):
    copy = tmp_path / "backup"
    shutil.copytree(snapshot.parent, copy)
    manifest = json.loads((copy / snapshot.name / "manifest.json").read_text(encoding="utf-8"))
    victim = copy / "objects" / manifest["objects"][0]["address"]
    victim.chmod(0o644)
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0x01
    victim.write_bytes(bytes(data))
    env = _fresh(tmp_path)
    done = zhifa_cli(env, "restore", str(copy / snapshot.name))
    assert done.returncode == 1
    assert "摘要不符" in done.stderr and str(victim) in done.stderr
    assert not (tmp_path / "target" / "evidence").exists()  # refused before anything was written
    # the database file too
    (copy / "objects").rename(tmp_path / "objects-aside")
    shutil.copytree(snapshot.parent / "objects", copy / "objects")
    db = copy / snapshot.name / "database.sqlite3"
    db.write_bytes(db.read_bytes() + b"\0")
    done = zhifa_cli(env, "restore", str(copy / snapshot.name))
    assert done.returncode == 1 and str(db) in done.stderr


@pytest.mark.sqlite
def test_other_keys_are_refused_with_the_setting_named(snapshot, tmp_path):
    env = _fresh(tmp_path, ZHIFA_FIELD_KEY="0" * 32)
    done = zhifa_cli(env, "restore", str(snapshot))
    assert done.returncode == 1 and "ZHIFA_FIELD_KEY" in done.stderr, done.stderr
    env = _fresh(tmp_path, "target2", ZHIFA_AUDIT_KEY="another audit key")
    done = zhifa_cli(env, "restore", str(snapshot), "--json")
    assert done.returncode == 1 and json.loads(done.stdout)["code"] == "backup.key"
    assert "ZHIFA_AUDIT_KEY" in done.stderr


@pytest.mark.sqlite
def test_a_non_empty_installation_is_refused(demo_sqlite, snapshot):
    done = zhifa_cli(_env(demo_sqlite), "restore", str(snapshot))
    assert done.returncode == 1
    assert "只能恢复到空的安装中" in done.stderr and "数据库中已有用户数据" in done.stderr


@pytest.mark.sqlite
def test_second_backup_copies_only_new_objects_and_retention_drops_the_oldest(source, tmp_path):
    env, dest = _env(source), tmp_path / "backup"
    templates = source / "templates"
    templates.mkdir()
    (templates / "old.docx").write_bytes(b"a template the bureau later withdrew")
    first = backup(env, dest)
    assert first["stats"]["objects_reused"] == 0
    (templates / "old.docx").unlink()
    (templates / "new.docx").write_bytes(b"the bureau's new template")
    python(env, ADD_EVIDENCE)
    second = backup(env, dest)
    assert second["stats"]["objects_copied"] == 2  # the new evidence and the new template, nothing else
    assert second["stats"]["objects_reused"] == first["stats"]["objects_total"] - 1
    third = backup(env, dest, "--keep", "2")
    assert third["stats"]["objects_copied"] == 0
    assert third["retention"] == {"snapshots_removed": [Path(first["snapshot"]).name], "objects_removed": 1}
    remaining = sorted(p.name for p in dest.iterdir() if not p.name.startswith(".") and p.name != "objects")
    assert remaining == sorted([Path(second["snapshot"]).name, Path(third["snapshot"]).name])
    old = hashlib.sha256(b"a template the bureau later withdrew").hexdigest()
    assert not (dest / "objects" / "sha256" / old[:2] / old).exists()
    # the newest snapshot still restores completely, the new evidence with it
    out = ok(zhifa_cli(_fresh(tmp_path), "restore", third["snapshot"]))
    assert out.count("通过") == 3 and (tmp_path / "target" / "templates" / "new.docx").is_file()
    last = json.loads(python(env, "import json, django; django.setup(); from zhifa.ops.backup import backup_last; "
                                  "print(json.dumps(backup_last()))"))
    assert last["snapshot"] == Path(third["snapshot"]).name and last["dir"] == str(dest.resolve())


KILLED_MIDWAY = """
import os, sys, django
django.setup()
from zhifa.ops.backup import backup_create

def progress(done, total, message):
    if "Parquet" in message:
        os._exit(9)  # as a kill -9 would, with the database and objects already written

backup_create(sys.argv[1], progress=progress)
"""


@pytest.mark.sqlite
def test_an_interrupted_backup_leaves_no_snapshot(demo_sqlite, tmp_path):
    env, dest = _env(demo_sqlite), tmp_path / "backup"
    done = subprocess.run([sys.executable, "-c", KILLED_MIDWAY, str(dest)], env=env, capture_output=True, timeout=600)
    assert done.returncode == 9
    assert [p.name for p in dest.iterdir() if p.name.startswith(".tmp-")]
    assert not list(dest.glob("*/manifest.json"))
    snap = backup(env, dest, "--keep", "1")  # the objects already copied are reused; the debris is removed
    assert snap["stats"]["objects_reused"] > 0
    assert {p.name for p in dest.iterdir()} == {"objects", ".lock", Path(snap["snapshot"]).name}


@pytest.mark.sqlite
def test_the_daily_backup_job_writes_a_snapshot_with_retention(source, tmp_path):
    """The scheduled job (`backup.daily`) as the worker runs it: a snapshot in ZHIFA_BACKUP_DIR, the newest
    ZHIFA_BACKUP_KEEP kept; without the setting it says so and writes nothing."""
    dest = tmp_path / "nightly"
    bare = zhifa_cli(_env(source), "jobs", "run", "backup.daily")
    assert bare.returncode == 0 and "未配置备份目录（ZHIFA_BACKUP_DIR），未执行备份" in bare.stdout
    env = _env(source, ZHIFA_BACKUP_DIR=str(dest), ZHIFA_BACKUP_KEEP="1")
    for _ in range(2):
        out = ok(zhifa_cli(env, "jobs", "run", "backup.daily"))
        assert "已完成" in out and "保留最近 1 份" in out
    snaps = list(dest.glob("*/manifest.json"))
    assert len(snaps) == 1  # the first run's snapshot dropped by retention
    assert json.loads((source / "ops" / "last-backup.json").read_text())["snapshot"] == snaps[0].parent.name


@pytest.mark.sqlite
def test_backup_without_dir_writes_into_the_backup_setting(demo_sqlite, tmp_path):
    """`zhifa backup` alone goes where the daily job writes (ZHIFA_BACKUP_DIR); with neither it asks for one."""
    bare = zhifa_cli(_env(demo_sqlite), "backup")
    assert bare.returncode == 2 and "ZHIFA_BACKUP_DIR" in bare.stderr
    dest = tmp_path / "nightly"
    snap = json.loads(ok(zhifa_cli(_env(demo_sqlite, ZHIFA_BACKUP_DIR=str(dest)), "backup", "--json")))
    assert Path(snap["snapshot"]).parent == dest and (Path(snap["snapshot"]) / "manifest.json").is_file()


@pytest.mark.sqlite
def test_a_backup_inside_the_data_directory_is_refused(demo_sqlite):
    done = zhifa_cli(_env(demo_sqlite), "backup", str(demo_sqlite / "backups"))
    assert done.returncode == 1 and "数据目录" in done.stderr


def _bucket(endpoint: str) -> tuple[object, dict]:
    import boto3

    bucket = f"zhifa-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    client.create_bucket(Bucket=bucket)
    return client, {"ZHIFA_STORAGE": "s3", "ZHIFA_S3_ENDPOINT": endpoint, "ZHIFA_S3_BUCKET": bucket,
                    "ZHIFA_S3_ACCESS_KEY": "testing", "ZHIFA_S3_SECRET_KEY": "testing"}


@pytest.mark.sqlite
def test_evidence_in_an_s3_store_is_backed_up_and_restored_into_the_configured_bucket(
        source, tmp_path, s3_endpoint):  # noqa: F811
    client, s3_source = _bucket(s3_endpoint)
    env = _env(source, **s3_source)
    python(env, ADD_EVIDENCE)  # written to the source bucket
    snap = backup(env, tmp_path / "backup")
    assert any(o["backend"] == "s3" for o in json.loads(
        (Path(snap["snapshot"]) / "manifest.json").read_text(encoding="utf-8"))["objects"])
    client, s3_target = _bucket(s3_endpoint)
    target = _fresh(tmp_path, **s3_target)
    client.put_object(Bucket=s3_target["ZHIFA_S3_BUCKET"], Key="evidence/left-over", Body=b"x")
    done = zhifa_cli(target, "restore", snap["snapshot"])
    assert done.returncode == 1 and "对象存储" in done.stderr  # a bucket with objects is not empty
    client.delete_object(Bucket=s3_target["ZHIFA_S3_BUCKET"], Key="evidence/left-over")
    out = ok(zhifa_cli(target, "restore", snap["snapshot"]))
    assert out.count("通过") == 3
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=s3_target["ZHIFA_S3_BUCKET"])["Contents"]]
    assert len(keys) == 1 and keys[0].startswith("evidence/")


# --- PostgreSQL --------------------------------------------------------------------------------------


def _pg_base() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url.rsplit("/", 1)[0] if url.startswith("postgres") else None


def _psql(base: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(sql)


@pytest.mark.postgres
def test_round_trip_on_postgresql(tmp_path):
    base = _pg_base()
    assert base, "DATABASE_URL must point at PostgreSQL"
    names = [f"test_backup_{kind}_{uuid.uuid4().hex[:8]}" for kind in ("src", "dst")]
    for name in names:
        _psql(base, f'CREATE DATABASE "{name}"')
    try:
        src = _env(tmp_path / "source", f"{base}/{names[0]}")
        ok(zhifa_cli(src, "demo", "--scale", SCALE, "--no-serve"))
        round_trip(tmp_path, src, _env(tmp_path / "restored", f"{base}/{names[1]}"))
    finally:
        for name in names:
            _psql(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
