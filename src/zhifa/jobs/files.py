"""Where jobs keep the files they write for a person (large list exports), by job id."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def export_dir() -> Path:
    path = Path(settings.DATA_DIR) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def export_file(job_id: int) -> Path | None:
    """The file a finished export job wrote, if it is still kept."""
    found = sorted(export_dir().glob(f"job-{job_id}.*"))
    return found[0] if found else None
