"""The few pages that belong to no app: the help page, log-in, and the home page."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.models import User
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static

from mentoring_site.home import home_sections
from relationships import person_roles


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
    and the page says the same either way."""

    def get_users(self, email):
        email_field = User.get_email_field_name()
        return (
            user
            for user in User._default_manager.filter(
                **{f"{email_field}__iexact": email, "is_active": True}
            )
            if getattr(user, email_field).casefold() == email.casefold()
        )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset (already login-not-required), with links to SITE_URL."""

    form_class = InvitedPeopleResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        site = urlsplit(settings.SITE_URL)
        self.extra_email_context = {"site_url": settings.SITE_URL}
        self.domain_override = site.netloc
        return super().form_valid(form)


def home(request: HttpRequest) -> HttpResponse:
    """What this person holds, in each of their roles, with links to where the work is.

    It also brings the navigation bar's links up to date (a new role since logging in)."""
    sections = home_sections(request.user)
    person_roles.remember(request, sections.held_roles(request.user))
    return render(request, "home.html", {"sections": sections})
