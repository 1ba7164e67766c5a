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
}
