"""Root URL configuration: the cross-app pages, auth, admin, then each app."""

from allauth.urls import build_provider_urlpatterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from mentoring_site import health, login_locks, two_step_views, views
from programs import urls as programs_urls
from relationships import urls as relationships_urls
from reports import urls as reports_urls

# The pages across apps (reports/) keep the paths and names of the app they read from: each
# namespace holds that app's patterns and the reports' patterns under the same prefix. So does
# recording that someone left a program (relationships/views/turnover.py).
programs_pages = (
    programs_urls.urlpatterns + relationships_urls.program_patterns + reports_urls.program_patterns,
    "programs",
)
relationships_pages = (
    relationships_urls.urlpatterns + reports_urls.relationship_patterns,
    "relationships",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("help/coaching-mentoring-supervision/", views.help_page, name="help"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Forgotten passwords, and the link of a coordinator's invitation (programs/invitations.py).
    path(
        "accounts/password/reset/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # The language picked on the log-in page (a cookie; a signed-in person's own setting is on
    # their settings page: core/languages.py). A POST, then back to `next`.
    path("i18n/language/", login_not_required(set_language), name="set_language"),
    # Two-step verification (mentoring_site/two_step.py).
    path("accounts/two-step/", two_step_views.two_step_page, name="two_step"),
    path("accounts/two-step/set-up/", two_step_views.two_step_setup, name="two_step_setup"),
    path(
        "accounts/two-step/recovery-codes/",
        two_step_views.two_step_codes,
        name="two_step_codes",
    ),
    path(
        "accounts/two-step/turn-off/",
        two_step_views.two_step_turn_off,
        name="two_step_turn_off",
    ),
    path("accounts/two-step/verify/", two_step_views.two_step_verify, name="two_step_verify"),
    # Signing in with an organization's account (mentoring_site/sign_in.py): django-allauth's
    # provider pages (/accounts/google/..., /accounts/microsoft/..., /accounts/oidc/...) and
    # its pages for a sign-in that failed or was cancelled; nothing else of allauth's.
    path("accounts/sign-in/error/", views.sign_in_failed, name="socialaccount_login_error"),
    path(
        "accounts/sign-in/cancelled/",
        views.sign_in_cancelled,
        name="socialaccount_login_cancelled",
    ),
    path("accounts/", include(build_provider_urlpatterns())),
    # The administrator's page of log-in locks (mentoring_site/login_locks.py).
    path("accounts/locks/", login_locks.login_locks, name="login_locks"),
    path(
        "favicon.ico",
        views.favicon,
        name="favicon",
    ),
    # For load balancers: no log-in, no session, no HTTPS redirect (SECURE_REDIRECT_EXEMPT).
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("programs/", include(programs_pages)),
    path("organizations/", include("programs.organization_urls")),
    path("leaders/", include((reports_urls.leader_patterns, "leaders"))),
    path("relationships/", include(relationships_pages)),
    path("goals/", include("goals.urls")),
    path("evidence/", include("evidence.urls")),
    path("privacy/", include("privacy.urls")),
    path("audit/", include("audit.urls")),
    path("email/", include("outbox.urls")),
    path("reports/pdf/", include("reports.report_urls")),
]
