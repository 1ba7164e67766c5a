"""Sign-in settings read from the environment (docs/deploy.md, "Sign-in with an organization's
account"): which identity providers show on the log-in page, and who must use two-step
verification. Imported by settings.py, so nothing here touches Django's models."""

from collections.abc import Mapping
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# Who `DJANGO_TWO_FACTOR_REQUIRED_FOR` may name.
TWO_FACTOR_GROUPS = ("admins", "coordinators")

# Microsoft's tenants that stand for "any organization" or "anyone": an address from them is
# whatever that organization's administrator typed, so it proves nothing.
MICROSOFT_SHARED_TENANTS = {"common", "organizations", "consumers"}


def _pair(environ: Mapping[str, str], prefix: str) -> tuple[str, str] | None:
    """The client id and secret under `<prefix>_CLIENT_ID` / `<prefix>_CLIENT_SECRET`; None when
    neither is set; an error when only one is."""
    client_id = environ.get(f"{prefix}_CLIENT_ID", "").strip()
    secret = environ.get(f"{prefix}_CLIENT_SECRET", "").strip()
    if not client_id and not secret:
        return None
    if not client_id or not secret:
        raise ImproperlyConfigured(
            f"Set both {prefix}_CLIENT_ID and {prefix}_CLIENT_SECRET, or neither."
        )
    return client_id, secret


def social_providers(environ: Mapping[str, str]) -> dict:
    """`SOCIALACCOUNT_PROVIDERS` for django-allauth: one entry per provider whose client id and
    secret are set. A provider without them is not configured, so it does not show."""
    providers: dict = {}
    google = _pair(environ, "DJANGO_GOOGLE")
    if google:
        providers["google"] = {
            "APPS": [{"client_id": google[0], "secret": google[1]}],
            "SCOPE": ["openid", "profile", "email"],
            "AUTH_PARAMS": {"prompt": "select_account"},
            "OAUTH_PKCE_ENABLED": True,
        }
    microsoft = _pair(environ, "DJANGO_MICROSOFT")
    if microsoft:
        tenant = environ.get("DJANGO_MICROSOFT_TENANT", "").strip() or "organizations"
        providers["microsoft"] = {
            "APPS": [
                {
                    "client_id": microsoft[0],
                    "secret": microsoft[1],
                    "settings": {"tenant": tenant},
                }
            ],
            "OAUTH_PKCE_ENABLED": True,
        }
    oidc = _pair(environ, "DJANGO_OIDC")
    if oidc:
        server_url = environ.get("DJANGO_OIDC_SERVER_URL", "").strip().rstrip("/")
        if not server_url.startswith(("https://", "http://")):
            raise ImproperlyConfigured(
                "DJANGO_OIDC_SERVER_URL must be the provider's issuer URL (https://...), "
                f"not {server_url!r}."
            )
        providers["openid_connect"] = {
            "APPS": [
                {
                    "provider_id": "oidc",
                    "name": environ.get("DJANGO_OIDC_NAME", "").strip() or "your organization",
                    "client_id": oidc[0],
                    "secret": oidc[1],
                    "settings": {
                        "server_url": server_url,
                        "oauth_pkce_enabled": True,
                    },
                }
            ],
            "OAUTH_PKCE_ENABLED": True,
        }
    return providers


# Where each provider's sign-in page lives (the OpenID Connect one is its issuer's origin).
PROVIDER_ORIGINS = {
    "google": "https://accounts.google.com",
    "microsoft": "https://login.microsoftonline.com",
}


def form_action_origins(providers: dict) -> list[str]:
    """The origins the log-in page's buttons lead to: the content security policy's
    `form-action` must allow them, as browsers apply it to the redirect after a form too."""
    origins = [PROVIDER_ORIGINS[name] for name in providers if name in PROVIDER_ORIGINS]
    for app in providers.get("openid_connect", {}).get("APPS", []):
        parts = urlsplit(app["settings"]["server_url"])
        origins.append(f"{parts.scheme}://{parts.netloc}")
    return origins


def microsoft_email_trusted(environ: Mapping[str, str]) -> bool:
    """Whether an address from Microsoft proves who someone is: only when the tenant is one
    organization's own (its id or domain), since any organization's administrator can put any
    address on their own accounts."""
    tenant = environ.get("DJANGO_MICROSOFT_TENANT", "").strip() or "organizations"
    return tenant.lower() not in MICROSOFT_SHARED_TENANTS


def two_factor_required_for(environ: Mapping[str, str]) -> frozenset[str]:
    """The groups named in `DJANGO_TWO_FACTOR_REQUIRED_FOR` (comma-separated)."""
    value = environ.get("DJANGO_TWO_FACTOR_REQUIRED_FOR", "")
    groups = {item.strip().lower() for item in value.split(",") if item.strip()}
    unknown = groups - set(TWO_FACTOR_GROUPS)
    if unknown:
        raise ImproperlyConfigured(
            "DJANGO_TWO_FACTOR_REQUIRED_FOR names "
            f"{', '.join(sorted(unknown))}; it takes {' and '.join(TWO_FACTOR_GROUPS)}, "
            "comma-separated, or nothing."
        )
    return frozenset(groups)
