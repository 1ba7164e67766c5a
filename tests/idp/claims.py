"""What the test identity provider says about a person (tests/idp/identities.py)."""

from oauth2_provider.oauth2_validators import OAuth2Validator

from tests.idp.identities import IDENTITIES


class Validator(OAuth2Validator):
    oidc_claim_scope = OAuth2Validator.oidc_claim_scope | {"email_verified": "email"}

    def get_additional_claims(self, request):
        identity = IDENTITIES[request.user.username]
        return {
            "email": identity.email,
            "email_verified": identity.email_verified,
            "name": identity.name,
            "preferred_username": identity.username,
        }
