"""gunicorn's settings for the site: `gunicorn -c gunicorn.conf.py mentoring_site.wsgi`.

Every value comes from the environment, with defaults for one machine behind a proxy on the
same host (docs/deploy.md lists them). The log follows the site's (mentoring_site/logs.py):
JSON lines in production, text with DJANGO_DEBUG on, DJANGO_LOG_FORMAT to choose; the access
line carries the request's id either way.
"""

import multiprocessing
import os

from mentoring_site.logs import log_format


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {value!r}.") from None


bind = [address.strip() for address in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")]
# Processes, and threads in each: requests mostly wait on the database, so a few threads pay.
workers = _int("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8))
threads = _int("GUNICORN_THREADS", 2)
# Seconds a request may take before its worker is restarted (the CSV exports are the longest),
# and that a worker has to finish its requests when gunicorn stops or reloads.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Restart each worker after this many requests (and a little jitter), against slow leaks.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)
# gunicorn 27 otherwise opens a control socket in ~/.gunicorn/.
control_socket_disable = True

# The access line: the combined log format, the time taken, and the request's id.
accesslog = "-"
access_log_format = os.environ.get(
    "GUNICORN_ACCESS_LOG_FORMAT",
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms '
    "request_id=%({x-request-id}o)s",
)
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

_debug = os.environ.get("DJANGO_DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}
if log_format(os.environ.get("DJANGO_LOG_FORMAT", ""), debug=_debug) == "json":
    # gunicorn's own lines as the site's: one JSON object a line, with the request's id.
    logconfig_dict = {
        "root": {"level": "WARNING", "handlers": []},
        "loggers": {
            "gunicorn.error": {
                "level": loglevel.upper(),
                "handlers": ["stderr"],
                "propagate": False,
            },
            "gunicorn.access": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
        },
        "filters": {"request_id": {"()": "mentoring_site.logs.RequestIdFilter"}},
        "formatters": {"json": {"()": "mentoring_site.logs.JsonFormatter"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "json",
                "filters": ["request_id"],
            },
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "json",
                "filters": ["request_id"],
            },
        },
    }
