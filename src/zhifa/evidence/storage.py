"""Where evidence bytes live: the local filesystem (default) or any S3-compatible object store.

Both backends implement :class:`EvidenceStorage`:

* ``write(key, chunks)`` consumes an iterator of byte chunks and stores them **atomically**: the object
  appears under ``key`` only after the last chunk was written and flushed; any exception raised while
  producing or writing chunks (a client that disconnects, a size or digest check that fails) leaves
  nothing behind. The filesystem writes a temporary file in the destination directory, fsyncs it and
  renames it; S3 uploads parts of a multipart upload (a single PUT for small files) and completes it
  only at the end, aborting it on any error.
* ``read(key, start, end)`` yields the bytes ``start..end`` (inclusive, ``end=None`` to the end) in
  fixed-size chunks: a ranged read of a file for HTTP Range requests, or the whole object for
  re-hashing.
* ``size(key)`` is the stored size, ``None`` when the object is missing.

Keys are not content-addressed: every evidence item gets its own object
(``<yyyy>/<mm>/<uuid>``). The same file uploaded twice is stored twice and gives two evidence rows
with the same digest; nothing is ever shared, so an object can never be removed from under another
item, and ``evidence verify`` checks each item against its own object.

Configuration (environment variables, read when a backend is first used):

=====================  ====================================================================
``ZHIFA_STORAGE``      ``fs`` (default) or ``s3``: where new evidence is written
``ZHIFA_S3_ENDPOINT``  e.g. ``https://oss-cn-guangzhou.aliyuncs.com`` or ``http://minio:9000``
``ZHIFA_S3_BUCKET``    the bucket (must exist; the application does not create it)
``ZHIFA_S3_ACCESS_KEY`` / ``ZHIFA_S3_SECRET_KEY``  credentials
``ZHIFA_S3_REGION``    default ``us-east-1`` (MinIO's default)
``ZHIFA_S3_PREFIX``    key prefix inside the bucket, default ``evidence/``
``ZHIFA_S3_ADDRESSING`` ``path`` (default; MinIO and most private stores) or ``virtual``
``ZHIFA_S3_PART_MB``   multipart part size in MiB, default 8 (S3 needs >= 5)
=====================  ====================================================================

Files already stored keep the backend they were written to (``EvidenceItem.backend``), so switching
``ZHIFA_STORAGE`` from ``fs`` to ``s3`` does not orphan older evidence.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from zhifa.evidence.errors import EvidenceError

CHUNK = 1024 * 1024  # 1 MiB: the unit of every read and write


def new_key(now: datetime) -> str:
    return f"{now:%Y/%m}/{uuid.uuid4().hex}"


class EvidenceStorage(ABC):
    name: str

    @abstractmethod
    def write(self, key: str, chunks: Iterable[bytes]) -> None: ...

    @abstractmethod
    def read(self, key: str, start: int = 0, end: int | None = None) -> Iterator[bytes]: ...

    @abstractmethod
    def size(self, key: str) -> int | None: ...

    @abstractmethod
    def discard(self, key: str) -> None:
        """Remove an object that was never recorded (the database insert after a write failed).
        Never used for recorded evidence: evidence is not deleted through the application."""

    def describe(self) -> str:
        return self.name


# --- local filesystem -----------------------------------------------------------------------------


class FileSystemStorage(EvidenceStorage):
    name = "fs"

    def __init__(self, root: Path):
        self.root = Path(root)

    def describe(self) -> str:
        return f"本地文件系统 {self.root}"

    def path(self, key: str) -> Path:
        p = (self.root / key).resolve()
        if not p.is_relative_to(self.root.resolve()):
            raise EvidenceError.INVALID.error(detail="存储键不合法")
        return p

    def write(self, key: str, chunks: Iterable[bytes]) -> None:
        final = self.path(key)
        final.parent.mkdir(parents=True, exist_ok=True)
        # The temporary file sits in the destination directory, so the rename is atomic (same filesystem).
        fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=".upload-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as fh:
                for chunk in chunks:
                    fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o440)  # evidence is read-only once stored
            os.replace(tmp, final)
        except BaseException:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            raise
        _fsync_dir(final.parent)

    def read(self, key: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        with open(self.path(key), "rb") as fh:
            fh.seek(start)
            remaining = None if end is None else end - start + 1
            while remaining is None or remaining > 0:
                chunk = fh.read(CHUNK if remaining is None else min(CHUNK, remaining))
                if not chunk:
                    return
                if remaining is not None:
                    remaining -= len(chunk)
                yield chunk

    def size(self, key: str) -> int | None:
        try:
            return self.path(key).stat().st_size
        except FileNotFoundError:
            return None

    def discard(self, key: str) -> None:
        try:
            self.path(key).unlink()
        except FileNotFoundError:
            pass


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


# --- S3-compatible object store -------------------------------------------------------------------


@dataclass(frozen=True)
class S3Config:
    endpoint: str
    bucket: str
    access_key: str
    secret_key: str
    region: str = "us-east-1"
    prefix: str = "evidence/"
    addressing: str = "path"
    part_size: int = 8 * 1024 * 1024

    @classmethod
    def from_env(cls) -> S3Config:
        env = os.environ
        missing = [n for n in ("ZHIFA_S3_BUCKET",) if not env.get(n)]
        if missing:
            raise EvidenceError.STORAGE.error(detail=f"ZHIFA_STORAGE=s3 时必须设置 {'、'.join(missing)}")
        part_mb = int(env.get("ZHIFA_S3_PART_MB", "8") or 8)
        if part_mb < 5:
            raise EvidenceError.STORAGE.error(detail="ZHIFA_S3_PART_MB 不能小于 5（S3 分段上传的最小分段）")
        prefix = env.get("ZHIFA_S3_PREFIX", "evidence/")
        if prefix and not prefix.endswith("/"):
            prefix += "/"
        return cls(
            endpoint=env.get("ZHIFA_S3_ENDPOINT", ""),
            bucket=env["ZHIFA_S3_BUCKET"],
            access_key=env.get("ZHIFA_S3_ACCESS_KEY", ""),
            secret_key=env.get("ZHIFA_S3_SECRET_KEY", ""),
            region=env.get("ZHIFA_S3_REGION", "") or "us-east-1",
            prefix=prefix,
            addressing=env.get("ZHIFA_S3_ADDRESSING", "path") or "path",
            part_size=part_mb * 1024 * 1024,
        )


class S3Storage(EvidenceStorage):
    name = "s3"

    def __init__(self, config: S3Config, client=None):
        self.config = config
        if client is None:
            import boto3
            from botocore.config import Config

            client = boto3.client(
                "s3",
                endpoint_url=config.endpoint or None,
                region_name=config.region,
                aws_access_key_id=config.access_key or None,
                aws_secret_access_key=config.secret_key or None,
                config=Config(
                    s3={"addressing_style": config.addressing},
                    retries={"max_attempts": 3},
                    signature_version="s3v4",
                ),
            )
        self.client = client

    def describe(self) -> str:
        return f"对象存储 {self.config.endpoint or 'S3'} / {self.config.bucket}/{self.config.prefix}"

    def object_key(self, key: str) -> str:
        return self.config.prefix + key

    def write(self, key: str, chunks: Iterable[bytes]) -> None:
        bucket, okey, part_size = self.config.bucket, self.object_key(key), self.config.part_size
        buf = bytearray()
        upload_id = None
        parts: list[dict] = []
        try:
            for chunk in chunks:
                buf += chunk
                while len(buf) >= part_size:
                    if upload_id is None:
                        upload_id = self.client.create_multipart_upload(Bucket=bucket, Key=okey)["UploadId"]
                    body = bytes(buf[:part_size])
                    del buf[:part_size]
                    n = len(parts) + 1
                    etag = self.client.upload_part(
                        Bucket=bucket, Key=okey, UploadId=upload_id, PartNumber=n, Body=body
                    )["ETag"]
                    parts.append({"ETag": etag, "PartNumber": n})
            if upload_id is None:
                # Small object: one PUT, which S3 applies atomically.
                self.client.put_object(Bucket=bucket, Key=okey, Body=bytes(buf))
                return
            if buf:
                n = len(parts) + 1
                etag = self.client.upload_part(
                    Bucket=bucket, Key=okey, UploadId=upload_id, PartNumber=n, Body=bytes(buf)
                )["ETag"]
                parts.append({"ETag": etag, "PartNumber": n})
            self.client.complete_multipart_upload(
                Bucket=bucket, Key=okey, UploadId=upload_id, MultipartUpload={"Parts": parts}
            )
        except BaseException:
            if upload_id is not None:
                try:
                    self.client.abort_multipart_upload(Bucket=bucket, Key=okey, UploadId=upload_id)
                except Exception:  # noqa: BLE001 - the original error matters more; the bucket's
                    pass  # lifecycle rule for incomplete uploads is the backstop
            raise

    def read(self, key: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        kwargs = {}
        if start or end is not None:
            kwargs["Range"] = f"bytes={start}-" + ("" if end is None else str(end))
        try:
            resp = self.client.get_object(Bucket=self.config.bucket, Key=self.object_key(key), **kwargs)
        except self._client_error() as e:
            if _s3_code(e) in ("NoSuchKey", "404"):
                raise FileNotFoundError(key) from e
            if _s3_code(e) == "InvalidRange":  # empty object
                return
            raise
        body = resp["Body"]
        try:
            yield from body.iter_chunks(CHUNK)
        finally:
            body.close()

    def size(self, key: str) -> int | None:
        try:
            return int(
                self.client.head_object(Bucket=self.config.bucket, Key=self.object_key(key))["ContentLength"]
            )
        except self._client_error() as e:
            if _s3_code(e) in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def discard(self, key: str) -> None:
        self.client.delete_object(Bucket=self.config.bucket, Key=self.object_key(key))

    @staticmethod
    def _client_error():
        from botocore.exceptions import ClientError

        return ClientError


def _s3_code(e) -> str:
    return str(getattr(e, "response", {}).get("Error", {}).get("Code", ""))


# --- selection ------------------------------------------------------------------------------------

_cache: dict[tuple, EvidenceStorage] = {}


def fs_root() -> Path:
    from django.conf import settings

    return Path(settings.DATA_DIR) / "evidence"


def configured_backend() -> str:
    name = (os.environ.get("ZHIFA_STORAGE", "fs") or "fs").strip().lower()
    if name not in ("fs", "s3"):
        raise EvidenceError.STORAGE.error(detail=f"ZHIFA_STORAGE 只能是 fs 或 s3，当前为 {name!r}")
    return name


def storage_for(backend: str) -> EvidenceStorage:
    """The storage holding objects written with ``backend`` (``fs`` or ``s3``), from the environment."""
    if backend == "fs":
        cache_key: tuple = ("fs", str(fs_root()))
        if cache_key not in _cache:
            _cache[cache_key] = FileSystemStorage(fs_root())
        return _cache[cache_key]
    if backend == "s3":
        config = S3Config.from_env()
        cache_key = ("s3", config)
        if cache_key not in _cache:
            _cache[cache_key] = S3Storage(config)
        return _cache[cache_key]
    raise EvidenceError.STORAGE.error(detail=f"未知的存储类型 {backend!r}")


def default_storage() -> EvidenceStorage:
    """Where new evidence goes (``ZHIFA_STORAGE``)."""
    return storage_for(configured_backend())
