"""The planted demo world that the page sweeps read, and its pages, each fetched once.

The world is `seed_demo`'s, plus the outsider (an account with no role anywhere), with a
unique marker planted in every private note and every private reflection. The matrix rows
(tests/matrix/*.py) are built once from it. `Pages` fetches each (person, address) once per
test process and keeps what came back, so the privacy sweep, the permission matrix, the page
head check and the firewall sweep read one fetch of each page.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from goals.models import Goal
from relationships.models import Acknowledgement, PersonSettings, SupportRelationship, Visit
from seed.demo import DEMO_USERNAMES
from tests.matrix.world import Demo, Row
from tests.test_permission_matrix import matrix_rows

ANONYMOUS = "anonymous"
# Everyone the privacy sweep reads the pages as: every demo person and the outsider.
PEOPLE = (*DEMO_USERNAMES, "outsider")


@dataclass(frozen=True)
class Page:
    """What one person got from one address."""

    status: int
    content_type: str
    body: str

    @property
    def is_html(self) -> bool:
        return self.content_type.startswith("text/html")


@dataclass
class PlantedDemo:
    demo: Demo
    # marker -> the pk of the person who wrote the private text it was planted in
    markers: dict[str, int]
    # URL name -> its matrix row, built once, in the order of the names
    rows: dict[str, Row]
    # username -> pk, for everyone in PEOPLE
    people: dict[str, int]
    # Every GET row of the matrix, the page of every relationship, visit (and its edit form)
    # and goal, and every person's calendar feed.
    private_sweep: list[str]
    # (person, address) -> what came back; shared by the tests of this test process
    fetched: dict[tuple[str, str], Page] = field(default_factory=dict)

    @classmethod
    def build(cls) -> "PlantedDemo":
        call_command("seed_demo", verbosity=0, force=True)
        User.objects.create_user("outsider", password=None)
        demo = Demo()
        # The rows look their objects up by name; built before anything is planted.
        rows = {name: make_row(demo) for name, make_row in sorted(matrix_rows().items())}
        return cls(
            demo=demo,
            markers=_plant_markers(),
            rows=rows,
            people=dict(User.objects.filter(username__in=PEOPLE).values_list("username", "pk")),
            private_sweep=_private_sweep(rows),
        )


def _plant_markers() -> dict[str, int]:
    markers = {}
    for visit in Visit.objects.all():
        marker = f"PRIVATE-NOTE-{uuid.uuid4().hex}"
        Visit.objects.filter(pk=visit.pk).update(private_notes=f"{visit.private_notes} {marker}")
        markers[marker] = visit.created_by_id
    for acknowledgement in Acknowledgement.objects.all():
        marker = f"PRIVATE-REFLECTION-{uuid.uuid4().hex}"
        Acknowledgement.objects.filter(pk=acknowledgement.pk).update(
            private_reflection=f"{acknowledgement.private_reflection} {marker}"
        )
        markers[marker] = acknowledgement.protege_id
    assert markers
    return markers


def _private_sweep(rows: dict[str, Row]) -> list[str]:
    urls = [row.url for row in rows.values() if row.method == "get"]
    urls += [r.get_absolute_url() for r in SupportRelationship.objects.all()]
    for visit in Visit.objects.all():
        urls += [visit.get_absolute_url(), f"/relationships/visits/{visit.code}/edit/"]
    urls += [goal.get_absolute_url() for goal in Goal.objects.all()]
    for user in User.objects.all():
        token = PersonSettings.for_user(user).calendar_token
        urls.append(f"/relationships/calendar/{token}.ics")
    return sorted(set(urls))


def address(url: str, data: dict | None = None) -> str:
    """The URL a GET with these query parameters asks for."""
    return f"{url}?{urlencode(data, doseq=True)}" if data else url


def _body(response) -> str:
    """The page's text, for ordinary and streaming (CSV export) responses alike."""
    if response.streaming:
        raw = b"".join(
            chunk if isinstance(chunk, bytes) else chunk.encode()
            for chunk in response.streaming_content
        )
    else:
        raw = response.content
    return raw.decode(errors="replace")


class Pages:
    """GETs as a person, each (person, address) fetched once per test process.

    Only GETs go through here, each test in its own savepoint of the world: a page is the same
    whichever test reads it first. A test that posts does so with a client of its own."""

    def __init__(self, world: PlantedDemo) -> None:
        self.world = world
        self.client = Client()
        self.signed_in: str | None = None

    def _sign_in(self, person: str) -> None:
        if person == self.signed_in:
            return
        self.client.logout()
        if person != ANONYMOUS:
            self.client.force_login(User.objects.get(pk=self.world.people[person]))
        self.signed_in = person

    def get(self, person: str, url: str, data: dict | None = None) -> Page:
        key = (person, address(url, data))
        page = self.world.fetched.get(key)
        if page is None:
            self._sign_in(person)
            response = self.client.get(url, data)
            page = Page(response.status_code, response.get("Content-Type", ""), _body(response))
            self.world.fetched[key] = page
        return page

    def each(self, person: str, urls: Iterable[str]):
        """(address, page) for each of these addresses as this person."""
        for url in urls:
            yield url, self.get(person, url)
