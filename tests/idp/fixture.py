"""The `idp` fixture: the test identity provider (tests/idp/serve.py) in a process of its own,
started once per test session (per xdist worker) and stopped at its end, with helpers that sign
in through it."""

import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

from tests.idp.identities import CLIENT_ID, CLIENT_SECRET, PASSWORD, PROVIDER_ID

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
START_TIMEOUT = 120  # seconds; a few on an idle machine


@dataclass(frozen=True)
class IdentityProvider:
    url: str  # the issuer, e.g. http://127.0.0.1:PORT/o

    def environ(self) -> dict[str, str]:
        """The environment that configures the app to use it (mentoring_site/sign_in_settings)."""
        return {
            "DJANGO_OIDC_CLIENT_ID": CLIENT_ID,
            "DJANGO_OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "DJANGO_OIDC_SERVER_URL": self.url,
            "DJANGO_OIDC_NAME": "District account",
        }

    def configure(self, settings) -> None:
        """Point the app at it, as these variables do at start-up (pytest-django's `settings`)."""
        from mentoring_site import sign_in_settings

        providers = sign_in_settings.social_providers(self.environ())
        settings.SOCIALACCOUNT_PROVIDERS = providers
        settings.SECURE_CSP = {
            **settings.SECURE_CSP,
            "form-action": [
                *settings.SECURE_CSP["form-action"],
                *sign_in_settings.form_action_origins(providers),
            ],
        }

    def sign_in(self, authorize_url: str, username: str) -> str:
        """Log in at the provider as `username`, the way a browser would, from the app's
        redirect to its authorization page; the URL it sends the browser back to."""
        session = requests.Session()
        response = session.get(authorize_url, allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text[:500]
        login_url = urljoin(authorize_url, response.headers["Location"])
        next_url = dict(
            part.split("=", 1) for part in urlsplit(login_url).query.split("&") if "=" in part
        )
        page = session.get(login_url, timeout=10)
        assert page.status_code == 200
        response = session.post(
            login_url,
            data={
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": session.cookies["idp_csrftoken"],
                "next": requests.utils.unquote(next_url["next"]),
            },
            allow_redirects=False,
            timeout=10,
        )
        assert response.status_code == 302, response.text[:500]
        response = session.get(
            urljoin(login_url, response.headers["Location"]), allow_redirects=False, timeout=10
        )
        assert response.status_code == 302, response.text[:500]
        return response.headers["Location"]


@pytest.fixture(scope="session")
def idp() -> Generator[IdentityProvider]:
    errors = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.idp.serve"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=errors,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith("READY "):
            process.kill()
            process.wait(timeout=START_TIMEOUT)
            errors.seek(0)
            pytest.fail(f"The test identity provider did not start:\n{line}{errors.read()}")
        port = int(line.split()[1])
        yield IdentityProvider(url=f"http://127.0.0.1:{port}/o")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        errors.close()


__all__ = ["PROVIDER_ID", "IdentityProvider", "idp"]
