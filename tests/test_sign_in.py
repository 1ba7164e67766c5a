"""Signing in with an organization's account (mentoring_site/sign_in.py): a real OpenID
Connect exchange with the test identity provider (tests/idp/), which runs in a process of its
own. The app's client talks to it over HTTP for the token and the user's claims; the test plays
the browser's part between the two."""

from urllib.parse import urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured

from mentoring_site.sign_in_settings import (
    microsoft_email_trusted,
    social_providers,
    two_factor_required_for,
)
from tests.factories import TEST_PASSWORD, ProgramFactory, UserFactory
from tests.idp.identities import IDENTITIES, PROVIDER_ID

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
START = f"/accounts/{PROVIDER_ID}/{PROVIDER_ID}/login/"
CALLBACK = f"/accounts/{PROVIDER_ID}/{PROVIDER_ID}/login/callback/"


@pytest.fixture
def oidc(settings, idp):
    idp.configure(settings)
    return idp


def person(identity: str, **kwargs) -> User:
    """The account a coordinator made for the person of that identity."""
    return UserFactory(email=IDENTITIES[identity].email.upper(), **kwargs)


def sign_in(client, idp, identity: str, next_url: str = "/"):
    """Press the log-in page's button, sign in at the provider, come back: the app's answer."""
    started = client.post(START, {"next": next_url})
    assert started.status_code == 302
    assert started["Location"].startswith(idp.url)
    back = urlsplit(idp.sign_in(started["Location"], identity))
    assert back.path == CALLBACK
    return client.get(f"{back.path}?{back.query}")


def signed_in_user(client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_the_log_in_page_offers_a_configured_provider_beside_the_password(client, oidc):
    page = client.get(LOGIN)
    assert "Sign in with District account" in page.text
    assert f'action="{START}"' in page.text
    assert 'name="password"' in page.text
    # The browser may follow the button's redirect to the provider.
    assert oidc.url.removesuffix("/o") in page["Content-Security-Policy"]


def test_a_provider_that_is_not_configured_does_not_show(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    page = client.get(LOGIN)
    assert "Sign in with" not in page.text
    assert client.post("/accounts/google/login/").status_code == 404
    assert client.post(START).status_code == 404


def test_an_invited_person_gets_in_and_stays_linked(client, oidc):
    invited = person("invited")
    response = sign_in(client, oidc, "invited", next_url="/help/coaching-mentoring-supervision/")
    assert response.status_code == 302
    assert response["Location"] == "/help/coaching-mentoring-supervision/"
    assert signed_in_user(client) == invited
    assert invited.get_full_name() in client.get("/").text
    account = SocialAccount.objects.get(user=invited)
    assert account.provider == PROVIDER_ID
    # Next time the identity itself is known, whatever the address.
    client.logout()
    assert sign_in(client, oidc, "invited").status_code == 302
    assert signed_in_user(client) == invited
    # And the password still works.
    client.logout()
    assert (
        client.post(LOGIN, {"username": invited.username, "password": TEST_PASSWORD})["Location"]
        == "/"
    )


def test_an_unknown_person_is_refused_and_no_account_is_made(client, oidc):
    before = User.objects.count()
    response = sign_in(client, oidc, "stranger")
    assert response.status_code == 403
    assert "There is no account here for that address" in response.text
    assert "coordinator" in response.text
    assert signed_in_user(client) is None
    assert User.objects.count() == before
    assert not SocialAccount.objects.exists()


def test_an_address_the_provider_did_not_verify_is_refused(client, oidc):
    person("unverified")
    response = sign_in(client, oidc, "unverified")
    assert response.status_code == 403
    assert "has not confirmed that email address" in response.text
    assert signed_in_user(client) is None
    assert not SocialAccount.objects.exists()


def test_a_turned_off_account_is_refused(client, oidc):
    person("disabled", is_active=False)
    response = sign_in(client, oidc, "disabled")
    assert response.status_code == 403
    assert "This account is turned off" in response.text
    assert signed_in_user(client) is None


def test_a_linked_account_turned_off_later_is_refused(client, oidc):
    invited = person("invited")
    sign_in(client, oidc, "invited")
    client.logout()
    invited.is_active = False
    invited.save()
    response = sign_in(client, oidc, "invited")
    assert response.status_code == 403
    assert signed_in_user(client) is None


def test_two_accounts_with_the_address_are_refused_rather_than_guessed(client, oidc):
    person("invited")
    person("invited")
    response = sign_in(client, oidc, "invited")
    assert response.status_code == 403
    assert "More than one account" in response.text
    assert signed_in_user(client) is None


def test_a_coordinator_signed_in_by_the_provider_still_owes_the_second_step(client, oidc, settings):
    settings.TWO_FACTOR_REQUIRED_FOR = frozenset({"coordinators"})
    coordinator = person("coordinator")
    ProgramFactory(coordinators=[coordinator])
    response = sign_in(client, oidc, "coordinator")
    assert signed_in_user(client) == coordinator
    home = client.get(response["Location"])
    assert home.status_code == 302
    assert home["Location"].startswith("/accounts/two-step/set-up/")


# Settings from the environment


def test_each_provider_is_configured_only_by_its_own_variables():
    assert social_providers({}) == {}
    providers = social_providers(
        {
            "DJANGO_GOOGLE_CLIENT_ID": "g-id",
            "DJANGO_GOOGLE_CLIENT_SECRET": "g-secret",
            "DJANGO_MICROSOFT_CLIENT_ID": "m-id",
            "DJANGO_MICROSOFT_CLIENT_SECRET": "m-secret",
        }
    )
    assert set(providers) == {"google", "microsoft"}
    assert providers["google"]["APPS"][0]["client_id"] == "g-id"
    assert providers["microsoft"]["APPS"][0]["settings"]["tenant"] == "organizations"


def test_half_a_provider_or_a_bad_issuer_stops_the_site_with_the_variable_named():
    with pytest.raises(ImproperlyConfigured, match="DJANGO_GOOGLE_CLIENT_SECRET"):
        social_providers({"DJANGO_GOOGLE_CLIENT_ID": "g-id"})
    with pytest.raises(ImproperlyConfigured, match="DJANGO_OIDC_SERVER_URL"):
        social_providers({"DJANGO_OIDC_CLIENT_ID": "x", "DJANGO_OIDC_CLIENT_SECRET": "y"})
    with pytest.raises(ImproperlyConfigured, match="DJANGO_TWO_FACTOR_REQUIRED_FOR"):
        two_factor_required_for({"DJANGO_TWO_FACTOR_REQUIRED_FOR": "admins,mentors"})


def test_microsoft_addresses_count_only_from_one_organizations_own_tenant():
    assert not microsoft_email_trusted({})
    assert not microsoft_email_trusted({"DJANGO_MICROSOFT_TENANT": "organizations"})
    assert microsoft_email_trusted({"DJANGO_MICROSOFT_TENANT": "district.example"})
    assert two_factor_required_for(
        {"DJANGO_TWO_FACTOR_REQUIRED_FOR": " Admins , coordinators"}
    ) == {
        "admins",
        "coordinators",
    }
