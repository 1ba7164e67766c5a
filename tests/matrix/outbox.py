"""Matrix rows for outbox/ (outbox/views.py).

The link at the foot of an email a person can turn off is public, like the calendar feed: its
signed token names the person and the kind of email, and is the only credential. So everyone,
signed in as anybody or not at all, gets the same page for a link the site made (a GET turns
nothing off: the page has a button), and a 404 for any token the site did not sign, a kind that
cannot be turned off, or a person who no longer exists (tests/outbox/test_outbox.py).
"""

from django.conf import settings

from outbox.services import unsubscribe_url
from tests.matrix.world import Demo, Row


def _link(demo: Demo) -> str:
    """The link in an email to the mentor about their relationship."""
    return unsubscribe_url(demo.user("mentor"), "relationship_changed").removeprefix(
        settings.SITE_URL
    )


ROWS = {
    "outbox:unsubscribe": lambda demo: Row(_link(demo), others=200, anonymous=200),
}
