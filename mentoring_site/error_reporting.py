"""Error reports to Sentry, when `SENTRY_DSN` is set (docs/deploy.md); otherwise nothing at all.

The site holds confidential conversation, so a report carries the error and where it happened,
never what people wrote or who they are: no request bodies, cookies or local variables, no
user beyond their id, and any email address in the report is blanked.
"""

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # sentry-sdk is imported only when SENTRY_DSN is set
    from sentry_sdk.types import Event, Hint

EMAIL = re.compile(r"[^\s@<>()\[\],;:\"']+@[^\s@<>()\[\],;:\"']+\.[A-Za-z]{2,}")
REDACTED_EMAIL = "[email]"
SECRET_HEADERS = {"cookie", "set-cookie", "authorization", "proxy-authorization"}


def _without_emails(value: Any) -> Any:
    if isinstance(value, str):
        return EMAIL.sub(REDACTED_EMAIL, value)
    if isinstance(value, dict):
        return {key: _without_emails(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_without_emails(item) for item in value]
    return value


def before_send(event: "Event", hint: "Hint") -> "Event":
    """Sentry's last look at an event before it leaves: request bodies, cookies and the user
    (but for their id) removed, email addresses blanked wherever they appear."""
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("data", None)
        request.pop("cookies", None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: value for name, value in headers.items() if name.lower() not in SECRET_HEADERS
            }
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    return _without_emails(event)


def init(environ: Mapping[str, str]) -> bool:
    """Start reporting errors to Sentry when `SENTRY_DSN` is set; whether it was started.
    sentry-sdk is not even imported without it."""
    dsn = environ.get("SENTRY_DSN", "").strip()
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        environment=environ.get("SENTRY_ENVIRONMENT", "").strip() or "production",
        release=environ.get("SENTRY_RELEASE", "").strip() or None,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        before_send=before_send,
    )
    return True
