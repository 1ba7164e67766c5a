"""The health endpoint a load balancer asks before sending a machine requests: `/healthz`.

It answers 200 when this machine reaches the database (a trivial query) and the cache (a key
written and read back), 503 with what failed otherwise. No log-in, no session, no HTTPS
redirect (`SECURE_REDIRECT_EXEMPT`), nothing in the access log of private reads; the answer
tells nothing about the site's data.
"""

import logging
import uuid

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

CACHE_KEY_PREFIX = "healthz:"


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.warning("Health check: the database does not answer.", exc_info=True)
        return False


def cache_answers() -> bool:
    """Write a key of this check's own and read it back. Any error counts as no answer: each
    cache backend raises its own (redis' ConnectionError, a socket error...)."""
    key = f"{CACHE_KEY_PREFIX}{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", timeout=10)
        answered = cache.get(key) == "ok"
        cache.delete(key)
    except Exception:
        logger.warning("Health check: the cache does not answer.", exc_info=True)
        return False
    if not answered:
        logger.warning("Health check: the cache lost a key it was just given.")
    return answered


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {
        "database": "ok" if database_answers() else "unavailable",
        "cache": "ok" if cache_answers() else "unavailable",
    }
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks},
        status=200 if healthy else 503,
    )
