"""Matrix rows for the cross-app pages."""

from tests.matrix.world import Row

EVERYONE = (
    "outsider",
    "coordinator",
    "mentor",
    "coach",
    "resident",
    "teammate",
    "supervisor",
    "peer",
    "admin",
    "leader",
)

ROWS = {
    "home": lambda demo: Row("/", others=200),
    "help": lambda demo: Row("/help/coaching-mentoring-supervision/", others=200, anonymous=200),
    "accessibility": lambda demo: Row("/accessibility/", others=200, anonymous=200),
    # Signed-in people are sent on from the login page to their home page.
    "login": lambda demo: Row("/accounts/login/", others=302, anonymous=200),
    "logout": lambda demo: Row("/accounts/logout/", method="post", others=302, anonymous=302),
    "password_change": lambda demo: Row("/accounts/password/", others=200),
    "favicon": lambda demo: Row("/favicon.ico", others=301, anonymous=301),
    # The log-in page's language switch: back to the page it was posted from.
    "set_language": lambda demo: Row("/i18n/language/", method="post", others=302, anonymous=302),
    "password_change_done": lambda demo: Row("/accounts/password/done/", others=200),
    # The load balancers' health check answers everyone alike (tests/test_health.py).
    "healthz": lambda demo: Row("/healthz", others=200, anonymous=200),
    # Two-step verification (tests/test_two_step.py): everyone's own pages. Nobody in the demo
    # world has it on, so the codes and turn-off buttons and the second step send them back.
    "two_step": lambda demo: Row("/accounts/two-step/", others=200),
    "two_step_setup": lambda demo: Row("/accounts/two-step/set-up/", others=200),
    "two_step_codes": lambda demo: Row(
        "/accounts/two-step/recovery-codes/", method="post", others=302
    ),
    "two_step_turn_off": lambda demo: Row(
        "/accounts/two-step/turn-off/", method="post", others=302
    ),
    "two_step_verify": lambda demo: Row("/accounts/two-step/verify/", others=302),
    # Signing in with an organization's account (tests/test_sign_in.py): allauth's pages for a
    # failed or cancelled sign-in are public; a provider that is not configured (none is here)
    # does not exist.
    "socialaccount_login_error": lambda demo: Row(
        "/accounts/sign-in/error/", others=200, anonymous=200
    ),
    "socialaccount_login_cancelled": lambda demo: Row(
        "/accounts/sign-in/cancelled/", others=200, anonymous=200
    ),
    "google_login": lambda demo: Row("/accounts/google/login/", anonymous=404),
    "google_callback": lambda demo: Row("/accounts/google/login/callback/", anonymous=404),
    "google_login_by_token": lambda demo: Row(
        "/accounts/google/login/token/", method="post", anonymous=404
    ),
    "microsoft_login": lambda demo: Row("/accounts/microsoft/login/", anonymous=404),
    "microsoft_callback": lambda demo: Row("/accounts/microsoft/login/callback/", anonymous=404),
    "openid_connect_login": lambda demo: Row("/accounts/oidc/oidc/login/", anonymous=404),
    "openid_connect_callback": lambda demo: Row(
        "/accounts/oidc/oidc/login/callback/", anonymous=404
    ),
}
