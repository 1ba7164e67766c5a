"""Odd input a person (or a script) can send is answered with a page, never a server error:
over-long user names on the sign-in pages, control characters in a search, page numbers past
2^63. The database is checked as PostgreSQL would (tests/pg_strict.py). tests/test_fuzz.py
tries the same on every page; these are the cases the security review found, one by one."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.urls import reverse
from django.utils.html import strip_tags

from programs import roster
from programs.models import Enrollment
from reports import exports
from tests import factories
from tests.pg_strict import postgres_refusals
from tests.programs.coordinator_world import coordinated_program, relationship_in

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def test_a_user_name_longer_than_any_account_is_refused_on_the_login_page(client):
    with postgres_refusals():
        response = client.post(
            reverse("login"), {"username": "x" * 300, "password": "mentoring-demo-2026"}
        )
        nul = client.post(reverse("login"), {"username": "ad\x00min", "password": "x"})
        reset = client.post(reverse("password_reset"), {"email": "x" * 300 + "@example.org"})
    assert response.status_code == 200
    assert "Ensure this value has at most 150 characters (it has 300)." in text(response)
    assert nul.status_code == 200
    assert "Null characters are not allowed." in text(nul)
    assert reset.status_code == 200
    assert "Ensure this value has at most 254 characters" in text(reset)


@pytest.fixture
def searchable(client):
    program, coordinator = coordinated_program()
    mona = relationship_in(program, protege__first_name="Mona", protege__last_name="Reyes")
    other = relationship_in(program, protege__first_name="Pia", protege__last_name="Larch")
    factories.VisitFactory(relationship=mona, logged=True, location="Room Mona")
    factories.VisitFactory(relationship=other, logged=True, location="Room Pia")
    client.force_login(coordinator)
    return program


@pytest.mark.parametrize("typed", ["Mo\x00na", "\x00Mona\x1b", "Mona\x7f\x9f"])
def test_control_characters_in_a_search_are_dropped(client, searchable, typed):
    program = searchable
    with postgres_refusals():
        participants = client.get(
            reverse("programs:participants", args=[program.code]), {"q": typed}
        )
        dashboard = client.get(reverse("programs:detail", args=[program.code]), {"q": typed})
        export = client.get(reverse("programs:export", args=[program.code, "visits"]), {"q": typed})
        exported = b"".join(export.streaming_content).decode("utf-8-sig")

    assert participants.status_code == 200
    assert "Mona Reyes" in text(participants) and "Pia Larch" not in text(participants)
    assert 'name="q" value="Mona"' in participants.content.decode()
    assert dashboard.status_code == 200
    assert "Mona Reyes" in text(dashboard) and "Pia Larch" not in text(dashboard)
    assert export.status_code == 200
    assert "Mona Reyes" in exported and "Pia Larch" not in exported


def test_an_export_that_fails_is_an_error_page_not_a_file_cut_short(
    client, searchable, monkeypatch
):
    def refuse(program, filters):
        raise DatabaseError("canceling statement due to statement timeout")

    monkeypatch.setattr(exports, "_filtered_relationships", refuse)
    client.raise_request_exception = False
    response = client.get(reverse("programs:export", args=[searchable.code, "visits"]))
    assert response.status_code == 500
    assert not response.get("Content-Type", "").startswith("text/csv")
    assert "Content-Disposition" not in response


@pytest.fixture
def long_lists():
    """A mentor with 26 relationships (two caseload pages), one of them with 26 logs (two
    timeline pages, and two pages of the protégé's feedback)."""
    relationship = factories.SupportRelationshipFactory()
    factories.SupportRelationshipFactory.create_batch(25, mentor=relationship.mentor)
    for days in range(1, 27):
        factories.VisitFactory(
            relationship=relationship, logged=True, date=factories.in_days(-days)
        )
    return relationship


@pytest.mark.parametrize(
    ("asked", "shown"),
    [
        (str(2**63), "Page 2 of 2"),
        (str(2**64), "Page 2 of 2"),
        ("-1", "Page 1 of 2"),
        (str(-(2**64)), "Page 1 of 2"),
        ("two", "Page 1 of 2"),
        ("9" * 5000, "Page 1 of 2"),
    ],
)
def test_any_page_number_shows_a_page(client, long_lists, asked, shown):
    relationship = long_lists
    pages = [
        (relationship.mentor, reverse("relationships:caseload")),
        (relationship.mentor, reverse("relationships:detail", args=[relationship.code])),
        (relationship.protege, reverse("relationships:feedback")),
    ]
    for person, url in pages:
        client.force_login(person)
        with postgres_refusals():
            response = client.get(url, {"page": asked})
        assert response.status_code == 200, url
        assert shown in text(response), url


def test_a_roster_file_with_nul_bytes_is_refused_as_not_text(client):
    program, coordinator = coordinated_program()
    client.force_login(coordinator)
    header = ",".join(roster.COLUMNS)
    row = ["mentor", "Ann", "Lee", "ann\x00@example.org"] + [""] * (len(roster.COLUMNS) - 4)
    upload = SimpleUploadedFile("roster.csv", f"{header}\r\n{','.join(row)}\r\n".encode())
    with postgres_refusals():
        response = client.post(
            reverse("programs:roster_import", args=[program.code]), {"file": upload}
        )
    assert response.status_code == 200
    assert "The file is neither a CSV file nor an Excel workbook (.xlsx)." in text(response)
    assert not Enrollment.objects.filter(program=program).exists()


def test_an_id_past_2_63_among_ticked_choices_is_an_invalid_choice(client):
    program, coordinator = coordinated_program(support_model="both")
    relationship = relationship_in(program)
    visit = factories.VisitFactory(relationship=relationship)
    huge = str(2**64)

    client.force_login(coordinator)
    team = client.post(
        reverse("relationships:team_create", args=[program.code]),
        {"name": "Sunflower Room", "members": [huge]},
    )
    client.force_login(relationship.mentor)
    log = client.post(
        reverse("relationships:visit_log", args=[visit.code]),
        {"date": visit.date.isoformat(), "goals": [huge]},
    )
    for response in (team, log):
        assert response.status_code == 200
        assert f"“{huge}” is not a valid value." in text(response)
