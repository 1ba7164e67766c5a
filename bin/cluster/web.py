"""What a person sees of the cluster: the pages, through a browser of sorts, and the mail."""

import email.policy
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.parser import BytesParser
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

from .common import CheckFailed

# The line Django's file-based mail backend writes after each message.
MESSAGE_SEPARATOR = b"\n" + b"-" * 79 + b"\n"

# HTTP -----------------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


class Browser:
    """A person's browser: cookies kept (for 127.0.0.1, whatever the port: both nodes behind one
    name, as behind a load balancer), redirects not followed."""

    def __init__(self) -> None:
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(
            _NoRedirect, urllib.request.HTTPCookieProcessor(self.jar)
        )

    def request(self, url: str, form: dict[str, str] | None = None) -> Response:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(url))
        headers = {"Origin": origin, "Referer": url} if form is not None else {}
        request = urllib.request.Request(url, data=data, headers=headers)
        try:
            with self.opener.open(request, timeout=15) as answer:
                return Response(answer.status, _headers(answer.headers), answer.read().decode())
        except urllib.error.HTTPError as error:
            return Response(error.code, _headers(error.headers), error.read().decode())

    def cookie(self, name: str) -> str:
        return next((c.value or "" for c in self.jar if c.name == name), "")

    def post_form(self, url: str, fields: dict[str, str]) -> Response:
        """GET the page, then POST its form with its CSRF token and `fields`."""
        page = self.request(url)
        if page.status != 200:
            raise CheckFailed(f"GET {url} answered {page.status}")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        if token is None:
            raise CheckFailed(f"no CSRF token in the form of {url}")
        return self.request(url, {"csrfmiddlewaretoken": token.group(1), **fields})


def _headers(message: Any) -> dict[str, str]:
    return {key.lower(): value for key, value in message.items()}


def status_of(url: str) -> int:
    """The status of a GET without cookies; 0 when nothing answers."""
    try:
        return Browser().request(url).status
    except OSError:
        return 0


# Mail -----------------------------------------------------------------------------------------


def messages_to(folder: Path, address: str) -> list[str]:
    """The subjects of the messages to `address` in the file-based backend's folder."""
    subjects = []
    for path in sorted(folder.glob("*.log")):
        for chunk in path.read_bytes().split(MESSAGE_SEPARATOR):
            if not chunk.strip():
                continue
            message = BytesParser(policy=email.policy.default).parsebytes(chunk)
            if address in str(message.get("To", "")):
                subjects.append(str(message.get("Subject", "")))
    return subjects
