"""Who may change the working-day calendar: the 系统管理员 of the top unit of the org tree only.

The calendar arithmetic and the schedule import itself are :mod:`zhifa.core.calendar` (the ground every
legal deadline stands on); the role rule needs accounts, so it lives here, one layer up.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from zhifa.accounts.enums import Role
from zhifa.accounts.services import require_top_unit_admin
from zhifa.core import calendar


def check_schedule_editor(actor: Any) -> None:
    """Refuse (403, Chinese message) anybody but the 系统管理员 of the top unit of the org tree: the working-day
    calendar is installation-wide. ``actor`` None is the installer/CLI."""
    if actor is None:
        return
    require_top_unit_admin(actor, Role.SYSADMIN, "工作日历")


def calendar_schedule_import(
    *,
    actor: Any,
    year: int,
    rows: list,
    document: str,
    published_on: date | str | None,
    entered_by: str,
):
    """Replace ``year``'s entered schedule (:func:`zhifa.core.calendar.schedule_import_rows`), for the
    top unit's 系统管理员 only."""
    check_schedule_editor(actor)
    return calendar.schedule_import_rows(
        year, rows, document=document, published_on=published_on, entered_by=entered_by, actor=actor
    )
