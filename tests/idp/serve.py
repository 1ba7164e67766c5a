"""The test identity provider (tests/idp/): `python -m tests.idp.serve` sets up its own
database, the app's client and the people of identities.py, then serves on 127.0.0.1 and a
free port, printing `READY <port>` once it answers. Started and stopped by the `idp` fixture
(tests/idp/fixture.py)."""

import os
import sys
import tempfile

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def main() -> None:
    workdir = tempfile.mkdtemp(prefix="idp-")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    os.environ["IDP_RSA_PRIVATE_KEY"] = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    os.environ["IDP_DATABASE"] = os.path.join(workdir, "idp.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.idp.settings"

    import django

    django.setup()

    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    from tests.idp.identities import CLIENT_ID, CLIENT_SECRET, IDENTITIES, PASSWORD, PROVIDER_ID

    call_command("migrate", verbosity=0, interactive=False)
    for identity in IDENTITIES.values():
        User.objects.create_user(identity.username, identity.email, PASSWORD)
    callback = f"/accounts/{PROVIDER_ID}/{PROVIDER_ID}/login/callback/"
    Application.objects.create(
        name="Mentoring (tests)",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=f"http://testserver{callback} http://localhost{callback}",
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler)
    server.set_app(get_wsgi_application())
    print(f"READY {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        sys.exit(0)


if __name__ == "__main__":
    main()
