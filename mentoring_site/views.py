"""The few pages that belong to no app: the help page, log-in, and the home page."""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.models import User
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static

from core.http import AuthedRequest
from mentoring_site import throttling
from mentoring_site.home import home_sections
from relationships import roles

logger = logging.getLogger(__name__)


@login_not_required
def help_page(request: HttpRequest) -> HttpResponse:
    """Public page: how coaching, mentoring and supervision differ, and who sees what."""
    return render(request, "help/difference.html")


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


class InvitedPeopleResetForm(PasswordResetForm):
    """Django's reset form, which also reaches people who were invited and never set a password
    (a coordinator created their account with an unusable one). Unknown addresses send nothing,
    and the page says the same either way.

    It also costs the same either way (docs/design.md, "Throttling"): for an address no account
    uses, a stand-in account goes through the same steps (a token, the email rendered) and is
    dropped before sending; the mail connection is opened in both cases. What differs is only
    the handing over of the message on the open connection."""

    def get_users(self, email):
        email_field = User.get_email_field_name()
        users = [
            user
            for user in User._default_manager.filter(
                **{f"{email_field}__iexact": email, "is_active": True}
            )
            if getattr(user, email_field).casefold() == email.casefold()
        ]
        return users or [User(**{email_field: email})]

    def save(
        self,
        domain_override: str | None = None,
        subject_template_name: str = "registration/password_reset_subject.txt",
        email_template_name: str = "registration/password_reset_email.html",
        use_https: bool = False,
        token_generator: PasswordResetTokenGenerator = default_token_generator,
        from_email: str | None = None,
        request: HttpRequest | None = None,
        html_email_template_name: str | None = None,
        extra_email_context: dict[str, str] | None = None,
    ) -> None:
        """Django's `save` (its arguments), then the hand-over of what it built."""
        self.outgoing: list[EmailMultiAlternatives] = []
        super().save(
            domain_override=domain_override,
            subject_template_name=subject_template_name,
            email_template_name=email_template_name,
            use_https=use_https,
            token_generator=token_generator,
            from_email=from_email,
            request=request,
            html_email_template_name=html_email_template_name,
            extra_email_context=extra_email_context,
        )
        try:
            with mail.mailers.default as connection:  # opened for every address alike
                connection.send_messages(self.outgoing)
        except Exception:  # the page must not tell whether a message was due
            logger.exception("Could not send a password reset email")

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        """Build the message as Django does; keep it only for a real account (save sends)."""
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        message = EmailMultiAlternatives(subject, body, from_email, [to_email])
        if html_email_template_name is not None:
            message.attach_alternative(
                render_to_string(html_email_template_name, context), "text/html"
            )
        if context["user"].pk is not None:
            self.outgoing.append(message)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset (already login-not-required), with links to SITE_URL, and a limit
    on requests per email address and per client address (mentoring_site/throttling.py)."""

    form_class = InvitedPeopleResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

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
        site = urlsplit(settings.SITE_URL)
        self.extra_email_context = {"site_url": settings.SITE_URL}
        self.domain_override = site.netloc
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
