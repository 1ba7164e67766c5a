"""One name per page: the navigation bar, the page's heading and title, and every link to it
from the other pages of the workspaces call it the same. A link may add a count or a hint
("My caseload (11)", "Calendar: upcoming visits"); the bar may drop the "My" ("Settings")."""

import datetime
import html
import re

import pytest
from django.urls import reverse

from core import clock
from tests import factories

pytestmark = pytest.mark.django_db

NAMES = {
    "relationships:caseload": "My caseload",
    "relationships:calendar": "Calendar",
    "relationships:my_support": "My support",
    "relationships:feedback": "My feedback",
    "relationships:settings": "My settings",
}


def called(text: str, name: str) -> bool:
    """Whether `text` names the page called `name` (with or without its "My")."""
    text, name = text.casefold(), name.casefold()
    return text.startswith(name) or (
        name.startswith("my ") and text.startswith(name.removeprefix("my "))
    )


def page_parts(client, url: str) -> tuple[str, str, list[tuple[str, str]]]:
    """The page's title, its h1, and its links as (href, text)."""
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()

    def plain(fragment: str) -> str:
        return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())

    title = plain(re.search(r"<title>(.*?)</title>", content, re.S).group(1))
    heading = plain(re.search(r"<h1[^>]*>(.*?)</h1>", content, re.S).group(1))
    links = [
        (href, plain(text))
        for href, text in re.findall(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>', content, re.S)
    ]
    return title, heading, links


@pytest.fixture
def everyone(client):
    """Someone who mentors, is supported (with a log to acknowledge) and coordinates."""
    person = factories.UserFactory()
    program = factories.ProgramFactory(coordinators=[person])
    mentoring = factories.SupportRelationshipFactory(program=program, mentor=person)
    factories.VisitFactory(relationship=mentoring, date=clock.today() + datetime.timedelta(days=3))
    supported = factories.SupportRelationshipFactory(protege=person)
    log = factories.VisitFactory(relationship=supported, logged=True)
    client.force_login(person)
    return reverse("relationships:visit_acknowledge", args=[log.code])


def test_each_page_has_one_name_in_the_bar_its_heading_its_title_and_every_link(client, everyone):
    urls = {reverse(name): page_name for name, page_name in NAMES.items()}
    seen = set()
    for url in ["/", *urls, everyone]:
        title, heading, links = page_parts(client, url)
        if url in urls:
            assert called(heading, urls[url]), (url, heading)
            assert called(title, urls[url]), (url, title)
        for href, text in links:
            if href in urls and href != url:  # a page's links to itself are filters
                assert called(text, urls[href]), f"{url} calls {href} {text!r}"
                seen.add(href)
    assert seen == set(urls)  # every page is linked from another under its name
