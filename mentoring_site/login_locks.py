"""The administrator's page of log-in locks (docs/design.md, "Throttling"): who is locked out
now, from which address, since when and after how many wrong passwords, with a button that
lifts each lock through django-axes' own reset. For anyone else the page does not exist.

A lock is one of the two of `mentoring_site/throttling.py`: a user name from one address
(`AXES_FAILURE_LIMIT` wrong passwords), or an address whatever the user names
(`AXES_IP_FAILURE_LIMIT`), both over the cool-off hour from the last wrong password. The page
reads them in two queries, however many there are.
"""

import datetime
import logging
from dataclasses import dataclass

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Max, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core import clock
from core.http import AuthedRequest

log = logging.getLogger(__name__)

PAGE_SIZE = 50


@dataclass(frozen=True)
class Lock:
    """A lock in force: a user name from one address, or an address (`username` None)."""

    username: str | None
    ip_address: str
    last_attempt: datetime.datetime
    attempts: int
    until: datetime.datetime

    @property
    def key(self) -> str:
        return f"{self.username or ''}|{self.ip_address}"


def current_locks() -> list[Lock]:
    """Every lock in force now, the latest first: two queries."""
    cool_off = get_cool_off() or datetime.timedelta(hours=1)
    recent = AccessAttempt.objects.filter(attempt_time__gte=clock.now() - cool_off)
    by_name = (
        recent.exclude(username=None)
        .values("username", "ip_address")
        .annotate(attempts=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(attempts__gte=settings.AXES_FAILURE_LIMIT)
    )
    by_address = (
        recent.values("ip_address")
        .annotate(attempts=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(attempts__gte=settings.AXES_IP_FAILURE_LIMIT)
    )
    locks = [
        Lock(
            username=row.get("username"),
            ip_address=row["ip_address"] or "",
            last_attempt=row["last"],
            attempts=row["attempts"],
            until=row["last"] + cool_off,
        )
        for row in [*by_name, *by_address]
    ]
    return sorted(locks, key=lambda lock: (lock.last_attempt, lock.key), reverse=True)


@transaction.atomic
def login_lock_lift(*, username: str | None, ip_address: str, by: User) -> int:
    """Lift one lock through axes' reset: the user name's failures from that address, or
    every failure from the address. The number of attempt rows removed; logged, with who."""
    if username:
        removed = axes_reset(ip=ip_address or None, username=username)
    else:
        removed = axes_reset(ip=ip_address)
    log.warning(
        "Log-in lock lifted by %s: user name %r from address %s (%d records)",
        by.get_username(),
        username or "(any)",
        ip_address,
        removed,
    )
    return removed


def login_locks(request: AuthedRequest) -> HttpResponse:
    """The locks in force, each with an "Unlock" button (a POST of its user name and
    address). Administrators only: for anyone else, 404."""
    if not request.user.is_superuser:
        raise Http404("No such page.")
    if request.method == "POST":
        username = request.POST.get("username", "").strip() or None
        ip_address = request.POST.get("ip_address", "").strip()
        lock = next(
            (
                lock
                for lock in current_locks()
                if lock.username == username and lock.ip_address == ip_address
            ),
            None,
        )
        if lock is None:
            messages.info(request, _("That lock has ended already."))
        else:
            login_lock_lift(username=lock.username, ip_address=lock.ip_address, by=request.user)
            if lock.username:
                notice = _("Logging in is open again for “%(username)s” from %(address)s.") % {
                    "username": lock.username,
                    "address": lock.ip_address,
                }
            else:
                notice = _("Logging in is open again for %(address)s.") % {
                    "address": lock.ip_address
                }
            messages.success(request, notice)
        return redirect("login_locks")
    return render(
        request,
        "registration/login_locks.html",
        {
            "page_obj": Paginator(current_locks(), PAGE_SIZE).get_page(request.GET.get("page")),
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "ip_failure_limit": settings.AXES_IP_FAILURE_LIMIT,
        },
    )
