"""What every app's command-line module needs from the ``zhifa`` command: Django set up, a request context
for the audit chain, a date argument and an error line. The ``zhifa`` command itself (:mod:`zhifa.cli`) sits
on top of every app and gathers their subcommands; the apps import these from here, never from it.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.config.settings")
    import django

    django.setup()


def bind_cli_context():
    """The audit chain's request context of one command run (channel ``cli``)."""
    from zhifa.core.context import RequestContext, bound, new_request_id

    return bound(RequestContext(request_id=new_request_id(), ip="127.0.0.1", user_agent="zhifa-cli", channel="cli"))


def parse_cli_date(value: str) -> date:
    """An argparse ``type``: YYYY-MM-DD, refused with a bilingual message."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{value}”格式应为 YYYY-MM-DD / date must be YYYY-MM-DD") from None


def cli_error(msg: str, code: int = 2) -> int:
    """Print ``msg`` to standard error and return the exit status ``code`` (2: usage or input error)."""
    print(msg, file=sys.stderr)
    return code
