"""Backup and restore of a whole installation (备份与恢复), without stopping the service.

Layout of a backup directory ``DIR``::

    DIR/objects/<sm3|sha256>/<ab>/<digest>   content-addressed store shared by every snapshot
    DIR/<YYYYmmdd-HHMMSS>/manifest.json      one snapshot: what it holds, with digests
    DIR/<YYYYmmdd-HHMMSS>/database.sqlite3   SQLite online backup (or database.pgdump: pg_dump -Fc)
    DIR/<YYYYmmdd-HHMMSS>/audit-anchors.jsonl the audit chain's external anchors (when there are any)

What goes where:

* the database: SQLite's online backup API (a consistent copy while the service writes) or ``pg_dump``
  in custom format under an exported snapshot, so that the objects listed below are exactly those the
  dumped database references;
* evidence (全过程记录) and issued documents (文书): every object the snapshot's database references, stored
  under its recorded digest (SM3 where the runtime has it), checked against that digest when first copied.
  An object already in ``DIR/objects`` is not copied again (incremental);
* the Parquet stores of 治超 (``overload``) and 两客一危 (``monitoring``) and a bureau's own document
  templates (``templates``): every file, stored under its SHA-256;
* never the keys: the manifest names the fingerprints of the keys the data needs.

A snapshot is written into ``DIR/.tmp-…`` and renamed when complete: an interrupted backup leaves nothing
that looks like a snapshot. One backup at a time per ``DIR`` (a lock file).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

from zhifa.core.errors import DomainError

FORMAT = 1
CHUNK = 1024 * 1024
SNAPSHOT_RE = re.compile(r"^\d{8}-\d{6}(-\d+)?$")
FILE_STORES = ("overload", "monitoring", "templates")  # trees under DATA_DIR copied file by file
STORE_LABELS = {"overload": "治超 Parquet 存储", "monitoring": "两客一危 Parquet 存储", "templates": "自定义文书模板"}
# Keys the data cannot be read or verified without (restore refuses a mismatch), and keys it can live without.
REQUIRED_KEYS = {"ZHIFA_FIELD_KEY": "个人信息字段加密（SM4）", "ZHIFA_AUDIT_KEY": "审计哈希链"}
OTHER_KEYS = {"ZHIFA_SECRET_KEY": "会话与签名链接（不同则需重新登录）"}
PG_DUMP = "/usr/bin/pg_dump"
PG_RESTORE = "/usr/bin/pg_restore"

Progress = Callable[[int, int, str], None]


def _error(code: str, message: str) -> DomainError:
    return DomainError(f"backup.{code}", message, status=409)


# --- small helpers -----------------------------------------------------------------------------------


def _hash_name(algorithm: str) -> str:
    """Digest algorithm as recorded in the database ("SM3", "SHA-256") → hashlib name."""
    name = algorithm.replace("-", "").lower()
    if name not in ("sm3", "sha256"):
        raise _error("algorithm", f"不支持的摘要算法 {algorithm!r}")
    return name


def _address(hash_name: str, digest: str) -> str:
    return f"{hash_name}/{digest[:2]}/{digest}"


def _hash_file(path: Path, hash_name: str = "sha256") -> str:
    h = hashlib.new(hash_name)
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def _write_hashed(chunks: Iterable[bytes], dest: Path, hash_names: tuple[str, ...]) -> tuple[dict[str, str], int]:
    dest.parent.mkdir(parents=True, exist_ok=True)
    hashes = {n: hashlib.new(n) for n in hash_names}
    size = 0
    with open(dest, "wb") as fh:
        for chunk in chunks:
            fh.write(chunk)
            size += len(chunk)
            for h in hashes.values():
                h.update(chunk)
        fh.flush()
        os.fsync(fh.fileno())
    return {n: h.hexdigest() for n, h in hashes.items()}, size


def _read_file(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as fh:
        yield from iter(lambda: fh.read(CHUNK), b"")


def key_fingerprint(name: str, value: str) -> str:
    """16 hex characters identifying a key without revealing it (SHA-256 of a labelled key)."""
    return hashlib.sha256(f"zhifa-key-fingerprint\0{name}\0{value}".encode()).hexdigest()[:16]


def _configured_keys() -> dict[str, str]:
    return {name: getattr(settings, "SECRET_KEY" if name == "ZHIFA_SECRET_KEY" else name)
            for name in (*REQUIRED_KEYS, *OTHER_KEYS)}


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else connection.vendor


def _state_file() -> Path:
    return Path(settings.DATA_DIR) / "ops" / "last-backup.json"


@contextmanager
def _dir_lock(dest: Path) -> Iterator[None]:
    dest.mkdir(parents=True, exist_ok=True)
    with open(dest / ".lock", "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _error("busy", f"另一个备份正在写入 {dest}，请稍后再试") from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


# --- manifest ----------------------------------------------------------------------------------------


@dataclass
class Manifest:
    """What one snapshot holds (``manifest.json``) plus where it is."""

    path: Path
    data: dict

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def stats(self) -> dict:
        return self.data["stats"]

    def addresses(self) -> set[str]:
        return {o["address"] for o in self.data["objects"]} | {
            f["address"] for files in self.data["stores"].values() for f in files
        }

    @classmethod
    def read(cls, snapshot_dir: Path) -> Manifest:
        path = Path(snapshot_dir) / "manifest.json"
        if not path.is_file():
            raise _error("no_manifest", f"{snapshot_dir} 不是完整的备份快照（缺少 manifest.json）")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as e:
            raise _error("bad_manifest", f"备份清单 {path} 无法解析：{e}") from None
        if data.get("format") != FORMAT:
            raise _error("format", f"备份清单格式版本 {data.get('format')!r} 不受支持（本版本支持 {FORMAT}）")
        return cls(Path(snapshot_dir), data)


def snapshots(dest_dir: Path) -> list[Manifest]:
    """Complete snapshots in ``dest_dir``, oldest first."""
    dest_dir = Path(dest_dir)
    if not dest_dir.is_dir():
        return []
    out = []
    for p in sorted(dest_dir.iterdir()):
        if p.is_dir() and SNAPSHOT_RE.match(p.name) and (p / "manifest.json").is_file():
            out.append(Manifest.read(p))
    return sorted(out, key=lambda m: (m.data["started_at"], m.name))


# --- backup ------------------------------------------------------------------------------------------


@dataclass
class _Ref:
    """One object the snapshot's database references."""

    kind: str  # evidence | document (a PDF is a cache the documents app regenerates from its DOCX)
    id: int
    hash_name: str
    digest: str
    size: int | None
    backend: str
    key: str


def _migrations_from_rows(rows) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for app, name in rows:
        out.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(out.items())}


def _refs_from_rows(evidence_rows, document_rows) -> list[_Ref]:
    refs = [_Ref("evidence", pk, _hash_name(algo), digest, size, backend, key)
            for pk, algo, digest, size, backend, key in evidence_rows]
    refs += [_Ref("document", pk, _hash_name(algo), digest, size, "fs", path)
             for pk, algo, digest, size, path in document_rows]
    return refs


def _ref_queries() -> tuple[str, str]:
    from zhifa.documents.models import IssuedDocument
    from zhifa.evidence.models import EvidenceItem

    return (
        f"SELECT id, digest_algorithm, digest, size, backend, storage_key FROM {EvidenceItem._meta.db_table} ORDER BY id",
        f"SELECT id, digest_algorithm, digest, size, file_path FROM {IssuedDocument._meta.db_table} ORDER BY id",
    )


def _dump_sqlite(dest: Path) -> tuple[dict, list[_Ref]]:
    """SQLite online backup into ``dest``; the references and migrations are read from the copy."""
    source = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=60)
    target = sqlite3.connect(dest)
    try:
        source.backup(target)
    finally:
        source.close()
    try:
        target.execute("PRAGMA journal_mode=DELETE")  # a self-contained file, no -wal beside it
        migrations = _migrations_from_rows(target.execute("SELECT app, name FROM django_migrations"))
        ev_sql, doc_sql = _ref_queries()
        refs = _refs_from_rows(target.execute(ev_sql).fetchall(), target.execute(doc_sql).fetchall())
    finally:
        target.close()
    return migrations, refs


def _pg_env() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _pg_tool(path: str) -> str:
    if not Path(path).is_file():
        raise _error("pg_tool", f"未找到 PostgreSQL 客户端程序 {path}，请安装 postgresql-client（与服务器同版本或更新）")
    return path


def _dump_postgresql(dest: Path) -> tuple[dict, list[_Ref]]:
    """``pg_dump -Fc`` of an exported snapshot; the references and migrations are read in that snapshot."""
    tool = _pg_tool(PG_DUMP)
    args, env = _pg_env()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cur.execute("SELECT pg_export_snapshot()")
        snapshot_id = cur.fetchone()[0]
        done = subprocess.run(
            [tool, *args, "-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot_id}",
             "-f", str(dest), settings.DATABASES["default"]["NAME"]],
            env=env, capture_output=True, text=True,
        )
        if done.returncode != 0:
            raise _error("pg_dump", f"pg_dump 失败：{done.stderr.strip()[:500]}")
        cur.execute("SELECT app, name FROM django_migrations")
        migrations = _migrations_from_rows(cur.fetchall())
        ev_sql, doc_sql = _ref_queries()
        cur.execute(ev_sql)
        ev_rows = cur.fetchall()
        cur.execute(doc_sql)
        refs = _refs_from_rows(ev_rows, cur.fetchall())
    return migrations, refs


def _source_chunks(ref: _Ref) -> Iterator[bytes]:
    if ref.kind == "evidence":
        from zhifa.evidence.storage import storage_for

        return storage_for(ref.backend).read(ref.key)
    from zhifa.documents.services import storage_root

    return _read_file(storage_root() / ref.key)


def _store_object(objects: Path, ref: _Ref, stats: dict) -> str | None:
    """Copy one referenced object into the store unless it is there; None and a problem when it is missing
    or no longer matches its recorded digest (it is then not stored: the store holds only true copies)."""
    address = _address(ref.hash_name, ref.digest)
    final = objects / address
    if final.is_file():
        stats["objects_reused"] += 1
        return address
    tmp = objects / f".tmp-{uuid.uuid4().hex}"
    try:
        digests, size = _write_hashed(_source_chunks(ref), tmp, (ref.hash_name,))
    except FileNotFoundError:
        tmp.unlink(missing_ok=True)
        return None
    if digests[ref.hash_name] != ref.digest:
        tmp.unlink(missing_ok=True)
        return None
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, final)
    stats["objects_copied"] += 1
    stats["bytes_copied"] += size
    return address


def _store_file(objects: Path, path: Path, stats: dict) -> dict | None:
    """A store file under its SHA-256: hashed first, copied only when the store lacks it."""
    try:
        digest = _hash_file(path)
    except FileNotFoundError:  # removed by a writer meanwhile (a rewritten partition's old name)
        return None
    final = objects / _address("sha256", digest)
    if final.is_file():
        stats["objects_reused"] += 1
        return {"address": _address("sha256", digest), "size": final.stat().st_size}
    tmp = objects / f".tmp-{uuid.uuid4().hex}"
    try:
        digests, size = _write_hashed(_read_file(path), tmp, ("sha256",))
    except FileNotFoundError:
        tmp.unlink(missing_ok=True)
        return None
    address = _address("sha256", digests["sha256"])  # the bytes copied, should the file have changed
    (objects / address).parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, objects / address)
    stats["objects_copied"] += 1
    stats["bytes_copied"] += size
    return {"address": address, "size": size}


def _store_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(
        p for p in root.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


def _snapshot_name(dest: Path, now) -> str:
    base = f"{timezone.localtime(now):%Y%m%d-%H%M%S}"
    name, n = base, 1
    while (dest / name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def backup_create(dest_dir, *, keep: int | None = None, progress: Progress | None = None) -> Manifest:
    """Write a consistent snapshot of this installation into ``dest_dir`` (see the module docstring) and,
    with ``keep``, drop all but the newest ``keep`` snapshots and the objects none of them references.
    Callable from a job: ``progress(done, total, message)`` receives Chinese status lines."""
    from zhifa import __version__
    from zhifa.core.audit import anchors_read, audit_head

    say = progress or (lambda done, total, message: None)
    if keep is not None and keep < 1:
        raise _error("keep", "保留份数必须至少为 1")
    dest = Path(dest_dir).resolve()
    data_dir = Path(settings.DATA_DIR).resolve()
    if dest == data_dir or dest.is_relative_to(data_dir):
        raise _error("inside", f"备份目录不能位于数据目录 {data_dir} 之内，请放在另一块磁盘或网络存储上")
    with _dir_lock(dest):
        objects = dest / "objects"
        objects.mkdir(parents=True, exist_ok=True)
        started = timezone.now()
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=dest))
        try:
            stats = {"objects_total": 0, "objects_copied": 0, "objects_reused": 0, "bytes_copied": 0}
            # The anchors first: every anchored head is then in the database copy taken after them.
            anchor_file = Path(settings.AUDIT_ANCHOR_FILE)
            anchors = anchors_read()
            files: list[dict] = []
            if anchor_file.is_file():
                shutil.copyfile(anchor_file, tmp / "audit-anchors.jsonl")
                files.append({"path": "audit-anchors.jsonl"})
            head = audit_head()
            engine = _engine()
            say(0, 1, "正在备份数据库……")
            db_file = tmp / ("database.pgdump" if engine == "postgresql" else "database.sqlite3")
            if engine == "postgresql":
                migrations, refs = _dump_postgresql(db_file)
            elif engine == "sqlite":
                migrations, refs = _dump_sqlite(db_file)
            else:  # pragma: no cover - settings offer only these two
                raise _error("engine", f"不支持备份数据库类型 {engine}")
            files.insert(0, {"path": db_file.name})
            store_files = {name: _store_files(data_dir / name) for name in FILE_STORES}
            total = len(refs) + sum(len(v) for v in store_files.values())
            done = 0
            manifest_objects, problems = [], []
            kind_labels = {"evidence": "证据", "document": "文书"}
            for ref in refs:
                address = _store_object(objects, ref, stats)
                if address is None:
                    problems.append(f"{kind_labels[ref.kind]} #{ref.id}（{ref.key}）的文件缺失或与登记摘要不符，未备份")
                else:
                    manifest_objects.append({"kind": ref.kind, "id": ref.id, "backend": ref.backend, "key": ref.key,
                                             "address": address, "size": ref.size})
                done += 1
                if done % 50 == 0:
                    say(done, total, f"正在备份证据与文书文件（{done}/{total}）……")
            stores: dict[str, list[dict]] = {}
            for name, paths in store_files.items():
                say(done, total, f"正在备份{STORE_LABELS[name]}……")
                stores[name] = []
                for p in paths:
                    entry = _store_file(objects, p, stats)
                    if entry is not None:
                        stores[name].append({"path": str(p.relative_to(data_dir / name)), **entry})
                    done += 1
            stats["objects_total"] = len(manifest_objects) + sum(len(v) for v in stores.values())
            for f in files:
                f["size"] = (tmp / f["path"]).stat().st_size
                f["sha256"] = _hash_file(tmp / f["path"])
            keys = _configured_keys()
            data = {
                "format": FORMAT,
                "zhifa_version": __version__,
                "started_at": started.isoformat(),
                "finished_at": timezone.now().isoformat(),
                "database": {"engine": engine, "file": db_file.name, "migrations": migrations},
                "files": files,
                "objects": manifest_objects,
                "stores": stores,
                "audit": {"head_seq": head.seq, "head_hash": head.hash, "anchors": len(anchors)},
                "keys": {
                    "required": {n: {"fingerprint": key_fingerprint(n, keys[n]), "purpose": p}
                                 for n, p in REQUIRED_KEYS.items()},
                    "other": {n: {"fingerprint": key_fingerprint(n, keys[n]), "purpose": p}
                              for n, p in OTHER_KEYS.items()},
                },
                "problems": problems,
                "stats": stats,
            }
            (tmp / "manifest.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
            name = _snapshot_name(dest, started)
            os.replace(tmp, dest / name)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        manifest = Manifest(dest / name, data)
        if keep is not None:
            say(total, total, "正在清理超出保留份数的旧快照……")
            manifest.data["retention"] = backup_prune(dest, keep=keep)
        _state_file().parent.mkdir(parents=True, exist_ok=True)
        _state_file().write_text(json.dumps({
            "dir": str(dest), "snapshot": name, "started_at": data["started_at"],
            "finished_at": data["finished_at"], "problems": len(problems), "stats": stats,
        }, ensure_ascii=False), encoding="utf-8")
        say(total, total, "备份完成")
        return manifest


def backup_prune(dest_dir, *, keep: int) -> dict:
    """Drop all but the newest ``keep`` snapshots, then every object no remaining snapshot references,
    and temporary files of interrupted backups. Call under the directory lock (``backup_create`` does)."""
    dest = Path(dest_dir)
    all_snaps = snapshots(dest)
    dropped = all_snaps[:-keep] if len(all_snaps) > keep else []
    for m in dropped:
        shutil.rmtree(m.path)
    wanted: set[str] = set()
    for m in all_snaps[len(dropped):]:
        wanted |= m.addresses()
    removed = 0
    objects = dest / "objects"
    for p in sorted(objects.rglob("*")) if objects.is_dir() else []:
        if p.is_file() and (p.name.startswith(".tmp-") or str(p.relative_to(objects)) not in wanted):
            p.unlink()
            removed += 1
    for p in dest.glob(".tmp-*"):
        shutil.rmtree(p, ignore_errors=True)
    return {"snapshots_removed": [m.name for m in dropped], "objects_removed": removed}


def backup_last() -> dict | None:
    """When and where the last successful backup of this installation went (for health and metrics):
    ``{"dir", "snapshot", "started_at", "finished_at", "problems", "stats"}``, or None."""
    try:
        return json.loads(_state_file().read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


# --- restore -----------------------------------------------------------------------------------------


@dataclass
class RestoreReport:
    snapshot: str
    objects: int = 0
    files: int = 0
    checks: list[tuple[str, bool, str]] = field(default_factory=list)  # (name, ok, message)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(ok for _name, ok, _msg in self.checks)


def installation_problems() -> list[str]:
    """Why this installation is not empty (restore writes only into an empty one); [] when it is."""
    from zhifa.accounts.models import Org, User
    from zhifa.cases.models import Case
    from zhifa.core.models import AuditRecord
    from zhifa.documents.services import storage_root
    from zhifa.evidence.models import EvidenceItem
    from zhifa.evidence.storage import configured_backend, default_storage, fs_root

    out = []
    tables = set(connection.introspection.table_names())
    for model, label in ((User, "用户"), (Org, "单位"), (Case, "案件"), (EvidenceItem, "证据材料"),
                         (AuditRecord, "审计记录")):
        if model._meta.db_table in tables and model.objects.exists():
            out.append(f"数据库中已有{label}数据")
    data_dir = Path(settings.DATA_DIR)
    for root, label in [(fs_root(), "证据文件存储"), (storage_root(), "文书文件存储")] + [
            (data_dir / n, STORE_LABELS[n]) for n in FILE_STORES]:
        if _store_files(root):
            out.append(f"{label}（{root}）不是空的")
    if configured_backend() == "s3":
        st = default_storage()
        listed = st.client.list_objects_v2(Bucket=st.config.bucket, Prefix=st.config.prefix, MaxKeys=1)
        if listed.get("KeyCount", 0):
            out.append(f"对象存储 {st.describe()} 不是空的")
    anchor = Path(settings.AUDIT_ANCHOR_FILE)
    if anchor.is_file() and anchor.stat().st_size:
        out.append(f"审计锚点文件 {anchor} 不是空的")
    return out


def _check_snapshot(m: Manifest, say: Progress) -> None:
    """Refuse a snapshot whose files or objects do not match the manifest (naming the file), one that needs
    migrations this version does not have, or keys other than the configured ones (naming the setting)."""
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(f"{app}.{name}" for app, names in m.data["database"]["migrations"].items()
                     for name in names if (app, name) not in known)
    if unknown:
        raise _error("newer", f"备份来自更新的 zhifa 版本（{m.data['zhifa_version']}），本版本缺少数据库迁移："
                              f"{'、'.join(unknown[:5])}；请先升级 zhifa 再恢复")
    keys = _configured_keys()
    for name, info in m.data["keys"]["required"].items():
        if key_fingerprint(name, keys[name]) != info["fingerprint"]:
            raise _error("key", f"配置的密钥 {name}（{info['purpose']}）与备份所需的不一致（需要指纹 "
                                f"{info['fingerprint']}，当前 {key_fingerprint(name, keys[name])}）；请配置备份时的密钥")
    for f in m.data["files"]:
        path = m.path / f["path"]
        if not path.is_file():
            raise _error("missing", f"备份文件缺失：{path}")
        if path.stat().st_size != f["size"] or _hash_file(path) != f["sha256"]:
            raise _error("digest", f"备份文件与清单中的摘要不符：{path}")
    objects = m.path.parent / "objects"
    entries = m.data["objects"] + [e for files in m.data["stores"].values() for e in files]
    for i, e in enumerate(entries, 1):
        path = objects / e["address"]
        hash_name, _, digest = e["address"].partition("/")
        if not path.is_file():
            raise _error("missing", f"备份对象缺失：{path}")
        if _hash_file(path, hash_name) != digest.rpartition("/")[2]:
            raise _error("digest", f"备份对象与清单中的摘要不符（已损坏或被改动）：{path}")
        if i % 100 == 0:
            say(i, len(entries), f"正在校验备份对象（{i}/{len(entries)}）……")


def _restore_database(m: Manifest) -> None:
    db = settings.DATABASES["default"]
    source = m.path / m.data["database"]["file"]
    engine = m.data["database"]["engine"]
    if engine != _engine():
        raise _error("engine", f"备份的数据库类型为 {engine}，当前配置为 {_engine()}；请配置同类数据库后再恢复")
    connections.close_all()
    if engine == "sqlite":
        src = sqlite3.connect(source)
        dst = sqlite3.connect(db["NAME"])
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
        return
    args, env = _pg_env()
    done = subprocess.run(
        [_pg_tool(PG_RESTORE), *args, "--clean", "--if-exists", "--no-owner", "--no-privileges",
         "--single-transaction", "--exit-on-error", "-d", db["NAME"], str(source)],
        env=env, capture_output=True, text=True,
    )
    if done.returncode != 0:
        raise _error("pg_restore", f"pg_restore 失败：{done.stderr.strip()[:500]}")


def _restore_objects(m: Manifest, report: RestoreReport, say: Progress) -> None:
    from zhifa.documents.services import storage_root
    from zhifa.evidence.storage import storage_for

    objects = m.path.parent / "objects"
    total = len(m.data["objects"])
    for i, e in enumerate(m.data["objects"], 1):
        src = objects / e["address"]
        if e["kind"] == "evidence":
            storage_for(e["backend"]).write(e["key"], _read_file(src))
        else:
            _copy_atomic(src, storage_root() / e["key"])
        report.objects += 1
        if i % 50 == 0:
            say(i, total, f"正在恢复证据与文书文件（{i}/{total}）……")
    data_dir = Path(settings.DATA_DIR)
    for name, files in m.data["stores"].items():
        say(total, total, f"正在恢复{STORE_LABELS.get(name, name)}……")
        for f in files:
            _copy_atomic(objects / f["address"], data_dir / name / f["path"])
            report.files += 1
    if any(f["path"] == "audit-anchors.jsonl" for f in m.data["files"]):
        _copy_atomic(m.path / "audit-anchors.jsonl", Path(settings.AUDIT_ANCHOR_FILE))


def _copy_atomic(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".tmp-{uuid.uuid4().hex}")
    shutil.copyfile(src, tmp)
    os.replace(tmp, dest)


def restore_verify(report: RestoreReport) -> None:
    """The three checks a restored installation must pass: audit chain, evidence, documents."""
    from zhifa.core.audit import audit_anchor_write, audit_head, audit_verify
    from zhifa.core.commandline import bind_cli_context
    from zhifa.documents.services import documents_verify
    from zhifa.evidence import selectors, services

    result = audit_verify()
    if result.ok:
        audit_anchor_write(audit_head())
    report.checks.append(("audit", result.ok, result.message))
    bad, checked = [], 0
    with bind_cli_context():
        for item in selectors.items_to_verify():
            outcome = services.evidence_verify(item=item, actor=None)
            checked += 1
            if not outcome.ok:
                bad.append(outcome.message)
    report.checks.append(("evidence", not bad, "；".join(bad[:5]) if bad else f"共校验 {checked} 件证据材料，全部完整"))
    docs = documents_verify()
    ok = not docs.bad and not docs.orphans
    msg = "；".join((docs.bad + [f"无登记记录的文件：{o}" for o in docs.orphans])[:5]) if not ok else \
        f"已校验 {docs.checked} 份文书，全部完整"
    report.checks.append(("documents", ok, msg))


def backup_restore(snapshot_dir, *, verify: bool = True, progress: Progress | None = None) -> RestoreReport:
    """Restore the snapshot in ``snapshot_dir`` into this (empty) installation, then run the audit,
    evidence and documents verifications (``verify``). Refuses, changing nothing, a non-empty installation,
    a snapshot whose files or objects do not match its manifest, and keys other than the snapshot's."""
    say = progress or (lambda done, total, message: None)
    m = Manifest.read(Path(snapshot_dir).resolve())
    problems = installation_problems()
    if problems:
        raise _error("not_empty", "只能恢复到空的安装中：" + "；".join(problems))
    say(0, 1, "正在校验备份……")
    _check_snapshot(m, say)
    report = RestoreReport(m.name)
    for name, info in m.data["keys"]["other"].items():
        if key_fingerprint(name, _configured_keys()[name]) != info["fingerprint"]:
            report.notes.append(f"{name} 与备份时不同：{info['purpose']}")
    for problem in m.data.get("problems", []):
        report.notes.append(f"备份时已发现：{problem}")
    say(0, 1, "正在恢复数据库……")
    _restore_database(m)
    _restore_objects(m, report, say)
    if verify:
        say(0, 1, "正在校验恢复结果……")
        restore_verify(report)
    return report
