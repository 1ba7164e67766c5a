"""The site's log lines: one JSON object per line in production, with the request's id.

`mentoring_site.middleware.request_id` gives every request an id (the proxy's `X-Request-ID`
when it is a sane token, else a new one), keeps it in `request_id` until the response is closed
and returns it in the response's `X-Request-ID`. `RequestIdFilter` adds it to every record the
site's handlers write, so the lines of one request can be found together, in the proxy's log,
gunicorn's and the site's.

Nothing here reads Django's settings: gunicorn.conf.py uses these classes for gunicorn's own
log before any Django code is loaded.
"""

import datetime
import json
import logging
from collections.abc import Mapping
from contextvars import ContextVar

from django.core.exceptions import ImproperlyConfigured

# The id of the request being answered; None outside a request (a command, the task worker,
# which may set an id of its own here for the lines of one task).
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

NO_REQUEST = "-"
FORMATS = ("json", "text")
# The human-readable format, for DEBUG and `DJANGO_LOG_FORMAT=text`.
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
# The response header gunicorn's access log records carry (gunicorn.conf.py).
GUNICORN_RESPONSE_ID = "{x-request-id}o"


def log_format(value: str, *, debug: bool) -> str:
    """The log format `DJANGO_LOG_FORMAT` asks for: `json` or `text`; when empty, text with
    DEBUG on and JSON in production."""
    value = value.strip().lower()
    if not value:
        return "text" if debug else "json"
    if value not in FORMATS:
        raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT must be json or text, not {value!r}.")
    return value


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record: the id of the request being answered, or `-`.

    gunicorn may write its access line after the response is closed, when the id is gone
    from `request_id`: an access line takes the id from the response header it is about,
    which is the right one in any case."""

    def filter(self, record: logging.LogRecord) -> bool:
        current = request_id.get()
        if isinstance(record.args, Mapping):
            sent = record.args.get(GUNICORN_RESPONSE_ID)
            current = sent if isinstance(sent, str) and sent != "-" else current
        record.request_id = current or NO_REQUEST
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line: time (UTC, ISO 8601), level, logger, message,
    request_id, and the exception's traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        current = getattr(record, "request_id", NO_REQUEST)
        entry: dict[str, object] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": None if current == NO_REQUEST else current,
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str)
