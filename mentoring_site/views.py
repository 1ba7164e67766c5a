"""The few pages that belong to no app: the help page, the accessibility statement, log-in,
and the home page."""

import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import translation

from core.http import AuthedRequest
from mentoring_site import sign_in, throttling
from mentoring_site.home import home_sections
from mentoring_site.password_reset import password_reset_requested
from relationships import roles

logger = logging.getLogger(__name__)


@login_not_required
def help_page(request: HttpRequest) -> HttpResponse:
    """Public page: how coaching, mentoring and supervision differ, and who sees what."""
    return render(request, "help/difference.html")


@login_not_required
def accessibility(request: HttpRequest) -> HttpResponse:
    """Public page: the accessibility statement (what was tested, what is known, whom to tell)."""
    return render(
        request,
        "help/accessibility.html",
        {"contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL},
    )


@login_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says; send them to the real icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


class LoginForm(AuthenticationForm):
    """Django's log-in form, which refuses a user name longer than any account can have.

    Django sets the field's `max_length` after building it, so it is never checked: a longer
    name reached authentication, and the failed attempt django-axes records did not fit its
    column (a server error on PostgreSQL)."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class LoginView(auth_views.LoginView):
    """Django's log-in view (already login-not-required); signed-in users go straight home."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "providers": sign_in.provider_buttons(self.request)
        }


@login_not_required
def sign_in_failed(request: HttpRequest) -> HttpResponse:
    """Public page (allauth's name): an organization's sign-in that did not complete."""
    return render(request, "socialaccount/authentication_error.html")


@login_not_required
def sign_in_cancelled(request: HttpRequest) -> HttpResponse:
    """Public page (allauth's name): the person cancelled at their organization's sign-in."""
    return render(request, "socialaccount/login_cancelled.html")


class QueuedResetForm(PasswordResetForm):
    """Django's reset form, whose email is sent by the task worker
    (mentoring_site/password_reset.py): the request enqueues the same task whatever the
    address, so the page costs the same and says the same either way. It also reaches people
    who were invited and never set a password."""

    def save(self, *args: object, **kwargs: object) -> None:
        email = self.cleaned_data["email"]
        language = translation.get_language()
        transaction.on_commit(lambda: password_reset_requested.enqueue(email, language))


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset (already login-not-required), with links to SITE_URL, and a limit
    on requests per email address and per client address (mentoring_site/throttling.py)."""

    form_class = QueuedResetForm

    def form_valid(self, form):
        limited = throttling.password_reset_limit(
            request=self.request, email=form.cleaned_data["email"]
        )
        if limited:
            response = render(
                self.request,
                "registration/password_reset_limited.html",
                {"limited": limited},
                status=429,
            )
            response["Retry-After"] = str(limited.retry_after)
            return response
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's choose-a-password page of the emailed link; the new password also lifts any
    log-in lock on the person's user name."""

    def form_valid(self, form):
        response = super().form_valid(form)
        throttling.login_lockout_clear(user=form.user)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's change-password page; the new password also lifts any log-in lock on the
    person's user name (from another device, say)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        throttling.login_lockout_clear(user=form.user)
        return response


def home(request: AuthedRequest) -> HttpResponse:
    """What this person holds, in each of their roles, with links to where the work is.

    It also brings the navigation bar's links up to date (a new role since logging in)."""
    sections = home_sections(request.user)
    roles.remember(request, sections.held_roles(request.user))
    return render(request, "home.html", {"sections": sections})
