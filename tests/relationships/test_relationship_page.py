"""The relationship page as each person reads it: the mentor and the protégé from their side,
a coordinator from the program's (with the way back to its dashboard and its actions); the
scheduled visits it lists and how it says there are more; and its layout on a phone."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import clock
from relationships.models import Visit
from tests.factories import (
    ProgramFactory,
    ProtegeProfileFactory,
    SupportRelationshipFactory,
    TeamRelationshipFactory,
    UserFactory,
    VisitFactory,
    in_days,
)

pytestmark = pytest.mark.django_db


def _page(client, relationship) -> str:
    response = client.get(relationship.get_absolute_url())
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _h1(page: str) -> str:
    return re.sub(r"\s+", " ", re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)).strip()


def _text(page: str) -> str:
    """The page's words, without tags, on one line: what a reader sees in a row."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))


@pytest.fixture
def coordinator():
    return UserFactory(first_name="Angela", last_name="Moreno")


@pytest.fixture
def maya(coordinator):
    """Maya Thompson, mentored by David Kim in a program Angela coordinates."""
    program = ProgramFactory(name="Resident Educator Induction", coordinators=[coordinator])
    return SupportRelationshipFactory(
        program=program,
        mentor__first_name="David",
        mentor__last_name="Kim",
        protege__first_name="Maya",
        protege__last_name="Thompson",
    )


def _actions(relationship) -> dict[str, str]:
    return {
        action: reverse(f"relationships:{action}", args=[relationship.code])
        for action in ("pause", "resume", "end")
    }


# Who reads the page from which side ---------------------------------------------------------


def test_a_coordinator_reads_about_the_teacher_and_finds_the_way_back(client, coordinator, maya):
    client.force_login(coordinator)
    page = _page(client, maya)

    assert _h1(page) == "Maya Thompson"
    assert "Mentor: David Kim" in page
    assert "Mentoring with David Kim" not in page
    dashboard = reverse("programs:detail", args=[maya.program.code])
    assert f'<a href="{dashboard}">Resident Educator Induction</a>' in page
    actions = _actions(maya)
    assert actions["pause"] in page and actions["end"] in page
    assert actions["resume"] not in page
    assert "My caseload" not in page
    assert 'aria-label="Mentor tools"' not in page


def test_a_coordinator_of_a_coached_team_reads_the_team_and_its_coach(client, coordinator):
    program = ProgramFactory(coaching=True, coordinators=[coordinator])
    relationship = TeamRelationshipFactory(
        program=program,
        team__name="Sunflower Room team",
        team__program=program,
        mentor__first_name="Rachel",
        mentor__last_name="Greene",
    )
    client.force_login(coordinator)
    page = _page(client, relationship)

    assert _h1(page) == "Sunflower Room team"
    assert "Coach: Rachel Greene" in page
    assert "Coaching with" not in page


def test_a_paused_relationship_offers_resume_and_a_closed_one_nothing(client, coordinator, maya):
    client.force_login(coordinator)
    actions = _actions(maya)

    maya.status = maya.Status.PAUSED
    maya.save()
    page = _page(client, maya)
    assert actions["resume"] in page and actions["end"] in page
    assert actions["pause"] not in page

    maya.status = maya.Status.COMPLETED
    maya.ended_on = clock.today()
    maya.save()
    page = _page(client, maya)
    assert not any(url in page for url in actions.values())
    # The way back to the dashboard stays.
    assert reverse("programs:detail", args=[maya.program.code]) in page


def test_an_archived_program_offers_no_status_changes(client, coordinator, maya):
    maya.program.archived_at = clock.now()
    maya.program.save()
    client.force_login(coordinator)

    page = _page(client, maya)

    assert not any(url in page for url in _actions(maya).values())


def test_the_mentor_and_the_protege_read_it_from_their_side(client, maya):
    dashboard = reverse("programs:detail", args=[maya.program.code])
    actions = _actions(maya)

    client.force_login(maya.mentor)
    page = _page(client, maya)
    assert _h1(page) == "Maya Thompson"
    assert "You are the mentor." in page
    assert "Mentor: David Kim" not in page

    client.force_login(maya.protege)
    page_for_protege = _page(client, maya)
    assert _h1(page_for_protege) == "Mentoring with David Kim"
    assert "David Kim is the mentor." in page_for_protege

    for seen in (page, page_for_protege):
        assert "Resident Educator Induction" in seen
        assert dashboard not in seen
        assert not any(url in seen for url in actions.values())


def test_a_mentor_who_also_coordinates_gets_the_dashboard_and_its_actions(client, maya):
    maya.program.coordinators.add(maya.mentor)
    client.force_login(maya.mentor)

    page = _page(client, maya)

    assert _h1(page) == "Maya Thompson"
    assert 'aria-label="Mentor tools"' in page
    assert reverse("programs:detail", args=[maya.program.code]) in page
    assert _actions(maya)["pause"] in page


def test_a_supervisor_who_coordinates_reads_it_as_a_coordinator(client, coordinator, maya):
    ProtegeProfileFactory(user=maya.protege, supervisor=coordinator)
    VisitFactory(relationship=maya, next_meeting_focus="Small-group routines")
    client.force_login(coordinator)

    page = _page(client, maya)

    assert _h1(page) == "Maya Thompson"
    assert "Mentor: David Kim" in page
    assert "Small-group routines" not in page  # logistics only


# Scheduled visits ------------------------------------------------------------------------------


def _schedule(relationship, count: int) -> list[Visit]:
    return [
        VisitFactory(relationship=relationship, date=in_days(index + 1), duration_minutes=45)
        for index in range(count)
    ]


def test_more_than_five_scheduled_visits_point_to_the_calendar(client, coordinator, maya):
    visits = _schedule(maya, 7)
    calendar = reverse("relationships:calendar")

    for person in (maya.mentor, maya.protege):
        client.force_login(person)
        page = _page(client, maya)
        shown = [visit for visit in visits if visit.get_absolute_url() in page]
        assert shown == visits[:5]
        assert "2 more planned: see the calendar." in _text(page)
        assert f'<a href="{calendar}">see the calendar</a>' in page

    # The coordinator has no calendar of this relationship's visits: the page says how many.
    client.force_login(coordinator)
    page = _page(client, maya)
    assert "2 more planned." in _text(page)
    assert calendar not in page


def test_five_scheduled_visits_are_all_there_is(client, maya):
    _schedule(maya, 5)
    client.force_login(maya.mentor)

    assert "more planned" not in _page(client, maya)


def test_an_ended_relationship_does_not_send_anyone_to_the_calendar(client, maya):
    _schedule(maya, 6)
    maya.status = maya.Status.COMPLETED
    maya.ended_on = clock.today()
    maya.save()
    client.force_login(maya.mentor)

    page = _page(client, maya)

    assert "1 more planned." in _text(page)
    assert reverse("relationships:calendar") not in page


@pytest.mark.parametrize("viewer", ["mentor", "protege", "coordinator"])
def test_query_count_is_the_same_for_1_and_50_scheduled_visits(client, viewer):
    counts = []
    for visits in (1, 50):
        coordinator = UserFactory()
        relationship = SupportRelationshipFactory(
            program=ProgramFactory(coordinators=[coordinator])
        )
        _schedule(relationship, visits)
        VisitFactory(relationship=relationship, logged=True)
        client.force_login(
            {
                "mentor": relationship.mentor,
                "protege": relationship.protege,
                "coordinator": coordinator,
            }[viewer]
        )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(relationship.get_absolute_url()).status_code == 200
        counts.append(len(queries.captured_queries))

    assert counts[0] == counts[1]


def test_a_visit_line_has_separators_only_between_its_parts(client, maya):
    VisitFactory(relationship=maya, location="", duration_minutes=40, next_meeting_focus="")
    VisitFactory(
        relationship=maya,
        date=in_days(8),
        location="",
        duration_minutes=None,
        next_meeting_focus="Transitions",
    )
    VisitFactory(relationship=maya, date=in_days(9), location="Room 12", duration_minutes=30)
    VisitFactory(
        relationship=maya, cancelled=True, date=in_days(-3), activities=["observing", "feedback"]
    )
    client.force_login(maya.mentor)

    text = _text(_page(client, maya))

    assert "· 40 min" not in text and " 40 min " in text
    assert "· Focus: Transitions" not in text and "Focus: Transitions" in text
    assert "Room 12 · 30 min" in text
    assert "Visit cancelled Observing, Feedback" in text  # no duration, so no separator


# Layout ------------------------------------------------------------------------------------


def test_the_main_column_comes_first_on_every_screen(client, maya):
    """On a phone the columns stack in page order: visits, goals and timeline before the
    profile card, which stays beside them on a wide screen (tests/e2e checks the layout)."""
    VisitFactory(relationship=maya)
    client.force_login(maya.mentor)

    page = _page(client, maya)

    assert page.index('id="upcoming-heading"') < page.index('id="people-heading"')
    assert page.index('id="timeline-heading"') < page.index('id="people-heading"')
    assert not re.search(r'class="col-12 col-lg-[57][^"]*\border-', page)
