"""The people the test identity provider knows (tests/idp/): each signs in there with
`PASSWORD`, and the provider tells the app their address and whether it verified it."""

from dataclasses import dataclass

PASSWORD = "idp-password-2026"
CLIENT_ID = "mentoring-tests"
CLIENT_SECRET = "mentoring-tests-secret-not-used-anywhere-else"
PROVIDER_ID = "oidc"  # the app's provider id (mentoring_site/sign_in_settings.py)


@dataclass(frozen=True)
class Identity:
    username: str
    email: str
    email_verified: bool = True
    name: str = ""


IDENTITIES = {
    identity.username: identity
    for identity in [
        # Someone a coordinator invited (the tests add a User with this address).
        Identity("invited", "invited.teacher@district.example", name="Ines Invited"),
        # Nobody the app knows.
        Identity("stranger", "stranger@elsewhere.example", name="Sam Stranger"),
        # The address of a person the app knows, but the provider has not verified it.
        Identity("unverified", "unverified.teacher@district.example", email_verified=False),
        # The address of a person whose account the app has turned off.
        Identity("disabled", "disabled.teacher@district.example", name="Dee Disabled"),
        # A coordinator who must also pass the second step.
        Identity("coordinator", "oidc.coordinator@district.example", name="Cora Coordinator"),
    ]
}
