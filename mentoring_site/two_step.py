"""Two-step verification (docs/design.md, "Signing in"): a code from an authenticator app
(TOTP, RFC 6238) or a one-time recovery code, after the password or the organization's
sign-in.

The state of the second step lives in the session, worked out once at log-in (one or two
queries), so pages cost no extra query:

- `pending`: the person has two-step verification on and has not yet typed a code;
- `setup`: it is required of them (`TWO_FACTOR_REQUIRED_FOR`) and they have not turned it on;
- `verified` (or no state): nothing is owed.

While something is owed, `TwoStepMiddleware` lets the person reach only the page that settles
it and the log-out button; every other address (Django admin included) sends them there. The
state is worked out again at every log-in, so someone made a coordinator while signed in owes
the second step from their next log-in.

Wrong codes count as failed log-ins in django-axes (mentoring_site/throttling.py), under the
user name with `throttling.SECOND_STEP_SUFFIX`: they lock the second step out as wrong passwords
lock the first, the lock shows on the log-in locks page, and a right password does not forgive
them.
"""

import hashlib
import hmac
import secrets
from urllib.parse import urlencode

import pyotp
import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse

from core import clock
from mentoring_site import throttling
from mentoring_site.models import TwoStep
from programs.models import Program

SESSION_KEY = "two_step"
SETUP_SECRET_KEY = "two_step_setup_secret"
PENDING = "pending"
SETUP = "setup"
VERIFIED = "verified"

RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
RECOVERY_CODE_LENGTH = 10  # about 49 bits each
TOTP_DIGITS = 6
TOTP_PERIOD = 30
TOTP_WINDOW = 1  # a code from the step before or after also works (clock drift)

# The addresses someone who owes the second step may still reach.
ALLOWED = {
    PENDING: {"two_step_verify", "logout", "favicon", "healthz"},
    SETUP: {"two_step_setup", "logout", "favicon", "healthz"},
}


# Who must use it


def is_required(user: User) -> bool:
    """Whether `TWO_FACTOR_REQUIRED_FOR` applies to this person (at most one query)."""
    groups = settings.TWO_FACTOR_REQUIRED_FOR
    if "admins" in groups and (user.is_superuser or user.is_staff):
        return True
    if "coordinators" in groups:
        return Program.objects.coordinated_by(user).exists()
    return False


def active_two_step(user: User) -> TwoStep | None:
    return TwoStep.objects.filter(user=user, confirmed_at__isnull=False).first()


def state_at_login(user: User) -> str:
    if TwoStep.objects.filter(user=user, confirmed_at__isnull=False).exists():
        return PENDING
    if is_required(user):
        return SETUP
    return VERIFIED


@receiver(user_logged_in, dispatch_uid="mentoring_site.two_step.on_login")
def on_login(sender, request: HttpRequest | None, user: User, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = state_at_login(user)


def owed(request: HttpRequest) -> str | None:
    """What the signed-in person still owes: PENDING, SETUP or None."""
    state = request.session.get(SESSION_KEY)
    return state if state in ALLOWED else None


def mark_verified(request: HttpRequest) -> None:
    """The second step is done: a new session key, as after any log-in."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = VERIFIED


class TwoStepMiddleware:
    """Sends a signed-in person who owes the second step to the page that settles it."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        state = owed(request)
        if state is None:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED[state]:
            return None
        target = reverse("two_step_verify" if state == PENDING else "two_step_setup")
        if request.method == "GET":
            target = f"{target}?{urlencode({'next': request.get_full_path()})}"
        return redirect(target)


# Codes


def _now_step() -> int:
    return int(clock.now().timestamp()) // TOTP_PERIOD


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=TOTP_DIGITS, interval=TOTP_PERIOD)


def normalize(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _digest(code: str) -> str:
    return hashlib.sha256(normalize(code).encode()).hexdigest()


def _matching_step(secret: str, code: str, *, after: int = 0) -> int | None:
    """The time step whose code this is, if it is later than `after` (a code works once)."""
    if len(code) != TOTP_DIGITS or not code.isdigit():
        return None
    totp = _totp(secret)
    now = _now_step()
    for step in range(now - TOTP_WINDOW, now + TOTP_WINDOW + 1):
        if step > after and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def new_recovery_codes() -> list[str]:
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(RECOVERY_CODE_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def provisioning_uri(user: User, secret: str) -> str:
    return _totp(secret).provisioning_uri(
        name=user.email or user.get_username(), issuer_name=settings.TWO_FACTOR_ISSUER
    )


def qr_data_uri(user: User, secret: str) -> str:
    """The set-up QR code as an SVG `data:` URI for an <img> (nothing marked safe)."""
    return segno.make(provisioning_uri(user, secret), error="m").svg_data_uri(
        scale=5, dark="#000", light="#fff", border=2
    )


def grouped_secret(secret: str) -> str:
    """The key to type by hand, in groups of four."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# Services


def setup_secret(request: HttpRequest) -> str:
    """The key of a set-up in progress, kept in the session until it is confirmed: the same on
    a reload (the app may already hold it), nothing written to the database on a GET."""
    secret = request.session.get(SETUP_SECRET_KEY)
    if not secret:
        secret = request.session[SETUP_SECRET_KEY] = pyotp.random_base32()
    return secret


@transaction.atomic
def two_step_confirm(*, user: User, secret: str, code: str) -> list[str] | None:
    """Turn two-step verification on with the set-up's key and a first code from the app; the
    recovery codes (shown once), or None when the code is wrong."""
    step = _matching_step(secret, normalize(code))
    if step is None:
        return None
    codes = new_recovery_codes()
    TwoStep.objects.update_or_create(
        user=user,
        defaults={
            "secret": secret,
            "confirmed_at": clock.now(),
            "last_step": step,
            "recovery_codes": [_digest(c) for c in codes],
        },
    )
    return codes


@transaction.atomic
def two_step_check(*, user: User, code: str) -> str | None:
    """Check a code of someone with two-step verification on: "app" or "recovery" when it is
    right (a recovery code is then used up, an app code cannot be used again), else None."""
    two_step = (
        TwoStep.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    )
    if two_step is None:
        return None
    code = normalize(code)
    step = _matching_step(two_step.secret, code, after=two_step.last_step)
    if step is not None:
        two_step.last_step = step
        two_step.save(update_fields=["last_step"])
        return "app"
    digest = _digest(code)
    if len(code) == RECOVERY_CODE_LENGTH and digest in two_step.recovery_codes:
        two_step.recovery_codes = [d for d in two_step.recovery_codes if d != digest]
        two_step.save(update_fields=["recovery_codes"])
        return "recovery"
    return None


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """New recovery codes; the old ones stop working."""
    two_step = TwoStep.objects.select_for_update().get(user=user, confirmed_at__isnull=False)
    codes = new_recovery_codes()
    two_step.recovery_codes = [_digest(c) for c in codes]
    two_step.save(update_fields=["recovery_codes"])
    return codes


@transaction.atomic
def two_step_turn_off(*, user: User) -> None:
    TwoStep.objects.filter(user=user).delete()


# Throttling


def _credentials(user: User) -> dict[str, str]:
    return {"username": throttling.second_step_username(user)}


def is_locked(request: HttpRequest, user: User) -> bool:
    return AxesProxyHandler.is_locked(request, _credentials(user))


def record_failure(request: HttpRequest, user: User) -> None:
    """A wrong code counts as a failed log-in (axes marks the request when it locks)."""
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)


def forgive_failures(request: HttpRequest, user: User) -> None:
    """A right code forgives this person's wrong codes from this address."""
    AxesProxyHandler.update_request(request)
    throttling.LoginThrottle().reset_user_attempts(request, _credentials(user))


def lockout(request: HttpRequest, user: User):
    return throttling.lockout_response(request, credentials=_credentials(user))
