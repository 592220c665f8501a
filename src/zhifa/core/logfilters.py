"""Logging filters named in settings.LOGGING."""

from __future__ import annotations

import logging


class OneLineRefusal(logging.Filter):
    """A refused request (403) is logged as one line — who was refused is worth a line, the traceback
    of an expected PermissionDenied is noise that buries real errors. Other records pass unchanged."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True
