"""The private tier, proven over every page: a unique string planted in every private note and
every private reflection shows up for its author and for nobody else, on any page.

The pages are every GET row of every permission-matrix module (tests/matrix/*.py), plus the
page of every relationship, visit (and its edit form) and goal in the demo world, plus every
person's calendar feed.
"""

import uuid

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction

from goals.models import Goal
from relationships.models import Acknowledgement, PersonSettings, SupportRelationship, Visit
from seed.demo import DEMO_USERNAMES
from tests.matrix.world import Demo
from tests.test_permission_matrix import matrix_rows


@pytest.fixture(scope="class")
def planted(django_db_setup, django_db_blocker) -> dict[str, int]:
    """The demo world with a unique marker in every private text: marker -> author's pk.
    Built once for the class, in a transaction rolled back after it; each test runs in a
    savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _plant()
        transaction.set_rollback(True)


def _plant() -> dict[str, int]:
    call_command("seed_demo", verbosity=0, force=True)
    User.objects.get_or_create(username="outsider")
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


def _pages() -> list[str]:
    demo = Demo()
    urls = [
        row.url for row in (make(demo) for make in matrix_rows().values()) if row.method == "get"
    ]
    urls += [r.get_absolute_url() for r in SupportRelationship.objects.all()]
    for visit in Visit.objects.all():
        urls += [visit.get_absolute_url(), f"/relationships/visits/{visit.code}/edit/"]
    urls += [goal.get_absolute_url() for goal in Goal.objects.all()]
    for user in User.objects.all():
        token = PersonSettings.for_user(user).calendar_token
        urls.append(f"/relationships/calendar/{token}.ics")
    return sorted(set(urls))


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


class TestThePlantedDemoWorld:
    """Both tests read one planted world."""

    def test_private_texts_reach_their_author_only(self, db, client, planted):
        pages = _pages()
        people = User.objects.filter(username__in=[*DEMO_USERNAMES, "outsider"])
        leaks = []
        seen_by_author = set()
        for person in people:
            client.force_login(person)
            for url in pages:
                body = _body(client.get(url))
                for marker, author_id in planted.items():
                    if marker not in body:
                        continue
                    if author_id == person.pk:
                        seen_by_author.add(marker)
                    else:
                        leaks.append(f"{person.username} read {marker[:20]}… on {url}")
        assert not leaks, "\n".join(leaks[:20])
        # The check above means something only if the authors do see their own notes.
        notes = {m for m in planted if m.startswith("PRIVATE-NOTE-")}
        assert notes <= seen_by_author

    def test_anonymous_visitors_read_no_private_text(self, db, client, planted):
        for url in _pages():
            body = _body(client.get(url))
            assert not [marker for marker in planted if marker in body], url
