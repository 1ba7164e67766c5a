"""The pages of two-step verification (mentoring_site/two_step.py): turning it on and off,
recovery codes, and the second step of a log-in."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.http import AuthedRequest
from mentoring_site import two_step
from mentoring_site.models import TwoStep


class SetupCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your app"),
        max_length=16,
        help_text=_("The six digits your authenticator app shows now."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_(
            "The six digits your authenticator app shows now, or one of your recovery codes."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class TurnOffForm(forms.Form):
    secret = forms.CharField(
        label=_("Your password, or a code from your app"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def _next_url(request: AuthedRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    # A path of this site only ("/..."), never a URL name for `redirect` to look up.
    if (
        candidate.startswith("/")
        and candidate.isprintable()
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return "/"


def two_step_page(request: AuthedRequest) -> HttpResponse:
    """The person's own page: whether it is on, and what they can do about it."""
    active = two_step.active_two_step(request.user)
    return render(
        request,
        "registration/two_step.html",
        {
            "active": active,
            "codes_left": len(active.recovery_codes) if active else 0,
            "required": two_step.is_required(request.user),
            "form": TurnOffForm(),
        },
    )


def two_step_setup(request: AuthedRequest) -> HttpResponse:
    """Scan the QR code (or type the key), then confirm with a first code; the recovery codes
    are shown once, on the page that answers the confirmation."""
    if TwoStep.objects.filter(user=request.user, confirmed_at__isnull=False).exists():
        return redirect("two_step")
    secret = two_step.setup_secret(request)
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_step.two_step_confirm(
            user=request.user, secret=secret, code=form.cleaned_data["code"]
        )
        if codes is not None:
            del request.session[two_step.SETUP_SECRET_KEY]
            two_step.mark_verified(request)
            return render(
                request, "registration/two_step_codes.html", {"codes": codes, "first": True}
            )
        form.add_error(
            "code",
            _(
                "That code does not match. Check that the app shows this site, then type "
                "the code it shows now."
            ),
        )
    return render(
        request,
        "registration/two_step_setup.html",
        {
            "form": form,
            "qr": two_step.qr_data_uri(request.user, secret),
            "secret": two_step.grouped_secret(secret),
            "owed": two_step.owed(request),
        },
    )


@require_POST
def two_step_codes(request: AuthedRequest) -> HttpResponse:
    """New recovery codes, shown once; the old ones stop working."""
    if not TwoStep.objects.filter(user=request.user, confirmed_at__isnull=False).exists():
        return redirect("two_step")
    codes = two_step.recovery_codes_renew(user=request.user)
    return render(request, "registration/two_step_codes.html", {"codes": codes, "first": False})


@require_POST
def two_step_turn_off(request: AuthedRequest) -> HttpResponse:
    """Turn it off, with the password or a current code (wrong ones count as failed log-ins)."""
    user = request.user
    active = two_step.active_two_step(user)
    if active is None:
        return redirect("two_step")
    if two_step.is_required(user):
        messages.error(request, _("Two-step verification is required for your role here."))
        return redirect("two_step")
    if two_step.is_locked(request, user):
        return two_step.lockout(request, user)
    form = TurnOffForm(request.POST)
    if form.is_valid():
        secret = form.cleaned_data["secret"]
        if (user.has_usable_password() and user.check_password(secret)) or (
            two_step.two_step_check(user=user, code=secret)
        ):
            two_step.forgive_failures(request, user)
            two_step.two_step_turn_off(user=user)
            messages.success(request, _("Two-step verification is off."))
            return redirect("two_step")
        two_step.record_failure(request, user)
        form.add_error("secret", _("That is neither your password nor a current code."))
    return render(
        request,
        "registration/two_step.html",
        {
            "active": active,
            "codes_left": len(active.recovery_codes),
            "required": False,
            "form": form,
        },
        status=400,
    )


def two_step_verify(request: AuthedRequest) -> HttpResponse:
    """The second step of a log-in: a code from the app, or a recovery code."""
    user = request.user
    if two_step.owed(request) != two_step.PENDING:
        return HttpResponseRedirect(_next_url(request))
    if two_step.is_locked(request, user):
        logout(request)
        return two_step.lockout(request, user)
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        used = two_step.two_step_check(user=user, code=form.cleaned_data["code"])
        if used:
            two_step.forgive_failures(request, user)
            two_step.mark_verified(request)
            if used == "recovery":
                messages.warning(
                    request,
                    _(
                        "You used a recovery code; it will not work again. Make new ones on "
                        "your two-step verification page if you are running low."
                    ),
                )
            return HttpResponseRedirect(_next_url(request))
        two_step.record_failure(request, user)
        if two_step.is_locked(request, user):
            logout(request)
            return two_step.lockout(request, user)
        form.add_error(
            "code",
            _("That code is not right, or it was already used. Try the code your app shows now."),
        )
    return render(
        request,
        "registration/two_step_verify.html",
        {"form": form, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )
