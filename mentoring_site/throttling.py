"""Throttling of log-ins and password-reset requests (docs/design.md, "Throttling").

Log-ins go through django-axes, which records each failure by user name and address. Two
limits apply, each over the cool-off hour (`AXES_COOLOFF_TIME`):

- `AXES_FAILURE_LIMIT` wrong passwords for one user name from one address lock that user name
  from that address;
- `AXES_IP_FAILURE_LIMIT` wrong passwords from one address, whatever the user names, lock the
  address.

Axes compares one count with one limit; `LoginThrottle` hands it the count of whichever lock is
nearest, on the scale of `AXES_FAILURE_LIMIT`. A successful log-in forgives that person's own
failures from the address, not everyone's (axes' own reset would clear the address as well, and
an attacker with an account of their own could then guess on forever).

A new password (reset or change) lifts the lock on that user name from every address; an
administrator lifts any lock by deleting its rows in Django admin (Axes, Access attempts).

Wrong codes at the second step of a log-in (mentoring_site/two_step.py) count the same way,
under the user name followed by `SECOND_STEP_SUFFIX` (no user name can hold a space): they lock
the second step as wrong passwords lock the first, and a right password does not forgive them.

Password-reset requests are counted in the site's cache, per email address and per client
address, over an hour.
"""

import hashlib
import ipaddress
import math
from dataclasses import dataclass
from typing import Literal

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import (
    get_client_ip_address,
    get_client_username,
    get_cool_off,
    get_failure_limit,
    get_lockout_parameters,
)
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core import clock

LOCKOUT_TEMPLATE = "registration/locked_out.html"
PASSWORD_RESET_WINDOW = 60 * 60  # seconds over which reset requests are counted
SECOND_STEP_SUFFIX = " (two-step code)"


def second_step_username(user: User) -> str:
    """The name wrong two-step codes are counted under (never a real user name)."""
    return f"{user.get_username()}{SECOND_STEP_SUFFIX}"


def client_address(request: HttpRequest) -> str | None:
    """The address a request comes from (`AXES_CLIENT_IP_CALLABLE`, and the reset limiter).

    Behind `PROXY_COUNT` proxies (`DJANGO_PROXY_COUNT`), the connection comes from the nearest
    proxy, and each proxy appends the address it was reached from to X-Forwarded-For: the
    client's is then the PROXY_COUNT-th entry from the right. Entries to the left of it are
    whatever the client sent, so they are never read."""
    count = settings.PROXY_COUNT
    if count:
        hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(hops) >= count:
            try:
                return str(ipaddress.ip_address(hops[-count].strip()))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR")


def _limit_of(parameter: str | list[str], username_limit: int) -> int:
    """The limit of one entry of AXES_LOCKOUT_PARAMETERS: the address alone has its own."""
    if parameter == "ip_address":
        return settings.AXES_IP_FAILURE_LIMIT
    return username_limit


def _totals(
    handler: AxesDatabaseHandler, request: HttpRequest, credentials: dict | None
) -> list[tuple[str | list[str], int]]:
    """Each entry of AXES_LOCKOUT_PARAMETERS with its failures in the cool-off period."""
    return [
        (parameter, attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)
        for parameter, attempts in zip(
            get_lockout_parameters(request, credentials),
            handler.get_user_attempts(request, credentials),
            strict=True,
        )
    ]


class LoginThrottle(AxesDatabaseHandler):
    """Axes' database handler with a limit per entry of AXES_LOCKOUT_PARAMETERS."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The failures of the lock nearest to its limit, scaled to AXES_FAILURE_LIMIT: axes
        locks when this reaches AXES_FAILURE_LIMIT, that is when any lock reaches its own."""
        username_limit = get_failure_limit(request, credentials)
        return max(
            (
                total * username_limit // _limit_of(parameter, username_limit)
                for parameter, total in _totals(self, request, credentials)
            ),
            default=0,
        )

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """After a successful log-in: forget that user name's failures from this address only."""
        count, _ = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        ).delete()
        return count


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """The lockout page (`AXES_LOCKOUT_CALLABLE`), saying which lock applies and how it ends."""
    address_failures = max(
        (
            total
            for parameter, total in _totals(LoginThrottle(), request, credentials)
            if parameter == "ip_address"
        ),
        default=0,
    )
    username = get_client_username(request, credentials) or ""
    second_step = username.endswith(SECOND_STEP_SUFFIX)
    context = {
        "username": username.removesuffix(SECOND_STEP_SUFFIX),
        "second_step": second_step,
        "failure_limit": get_failure_limit(request, credentials),
        "ip_failure_limit": settings.AXES_IP_FAILURE_LIMIT,
        "address_locked": address_failures >= settings.AXES_IP_FAILURE_LIMIT,
        "cooloff_timedelta": get_cool_off(request),
    }
    return render(request, LOCKOUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE)


def login_lockout_clear(*, user: User) -> int:
    """Lift the lock on this person's user name, from every address (after a new password);
    the number of attempt rows removed."""
    return axes_reset(username=user.get_username())


@dataclass(frozen=True)
class ResetLimited:
    """A password-reset request over a limit: which one, and for how long still."""

    scope: Literal["email", "address"]
    retry_after: int  # seconds

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))


def _count(key: str, *, limit: int, window: int) -> int:
    """Count one request under `key` in a fixed window that opens with the first request:
    0 while the count stays within `limit`, else the seconds until the window closes.

    The window closes by the site's clock (core/clock.py); the cache's own expiry only clears
    the keys away. A shared cache (Redis) expires keys by its own clock, which is the same in
    production and not in tests that move the site's clock on."""
    now = clock.now().timestamp()
    cache.add(f"{key}:closes", now + window, timeout=window)
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the window closed between the two calls
        count = None
    closes = cache.get(f"{key}:closes")
    if count is None or closes is None or closes <= now:
        closes = now + window
        cache.set_many({key: 1, f"{key}:closes": closes}, timeout=window)
        count = 1
    if count <= limit:
        return 0
    return max(1, math.ceil(closes - now))


def password_reset_limit(*, request: HttpRequest, email: str) -> ResetLimited | None:
    """Count a request for a reset link; None while it is within both limits. Every request
    counts, whether or not an account uses the address, so the answer tells nothing about it.
    The address is hashed: the cache holds no email addresses."""
    address = get_client_ip_address(request) or "unknown"
    wait = _count(
        f"throttle:password-reset:ip:{address}",
        limit=settings.PASSWORD_RESET_IP_LIMIT,
        window=PASSWORD_RESET_WINDOW,
    )
    if wait:
        return ResetLimited(scope="address", retry_after=wait)
    digest = hashlib.sha256(email.strip().casefold().encode()).hexdigest()
    wait = _count(
        f"throttle:password-reset:email:{digest}",
        limit=settings.PASSWORD_RESET_EMAIL_LIMIT,
        window=PASSWORD_RESET_WINDOW,
    )
    if wait:
        return ResetLimited(scope="email", retry_after=wait)
    return None
