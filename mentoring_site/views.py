"""The few pages that belong to no app: the help page, log-in, and the home page."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static

from mentoring_site.home import home_sections


@login_not_required
def help_page(request: HttpRequest) -> HttpResponse:
    """Public page: how coaching, mentoring and supervision differ, and who sees what."""
    return render(request, "help/difference.html")


@login_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says; send them to the real icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


class LoginView(auth_views.LoginView):
    """Django's log-in view (already login-not-required); signed-in users go straight home."""

    redirect_authenticated_user = True


def home(request: HttpRequest) -> HttpResponse:
    """What this person holds, in each of their roles, with links to where the work is."""
    return render(request, "home.html", {"sections": home_sections(request.user)})
