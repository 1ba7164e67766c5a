"""The mentor and coach workspace through its pages: caseload, relationship page, visits."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import clock
from goals.models import Goal
from relationships.models import Activity, Visit
from tests.factories import (
    AcknowledgementFactory,
    EnrollmentFactory,
    GoalFactory,
    ProgramFactory,
    SupportRelationshipFactory,
    TeamRelationshipFactory,
    UserFactory,
    VisitFactory,
    in_days,
)

pytestmark = pytest.mark.django_db

TODAY = clock.today


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


# Caseload --------------------------------------------------------------------------------------


def test_caseload_groups_by_program_and_shows_what_is_due(client):
    mentor = UserFactory(first_name="Mona", last_name="Mentor")
    program = ProgramFactory(name="Induction North", visits_per_month=2, days_to_first_visit=7)
    seen = SupportRelationshipFactory(
        mentor=mentor, program=program, protege__first_name="Pat", protege__last_name="Lee"
    )
    VisitFactory(relationship=seen, logged=True, date=in_days(-1))
    VisitFactory(relationship=seen, date=in_days(3))
    GoalFactory(relationship=seen, agreed=True)
    new = SupportRelationshipFactory(
        mentor=mentor,
        program=program,
        starts_on=in_days(-20),
        protege__first_name="Sam",
        protege__last_name="New",
    )
    informal = SupportRelationshipFactory(
        mentor=mentor, informal=True, protege__first_name="Ida", protege__last_name="Informal"
    )
    SupportRelationshipFactory(protege__first_name="Not", protege__last_name="Mine")
    client.force_login(mentor)

    page = client.get(reverse("relationships:caseload")).content.decode()

    assert "Induction North" in page
    assert "Informal, outside any program" in page
    assert "Pat Lee" in page and "Sam New" in page and "Ida Informal" in page
    assert "Not Mine" not in page
    # Pat: one logged visit this month (unacknowledged), the next one scheduled, one goal.
    assert "1 log" in page
    # Sam: matched 20 days ago, no visit, the program asks for one within 7 days.
    assert "Overdue: First visit was due" in page
    assert new.get_absolute_url() in page and informal.get_absolute_url() in page
    assert "Resident teacher, year 1" in page  # each protégé's career stage


def test_a_caseload_card_names_a_team_a_pause_a_goal_to_agree_and_whom_its_buttons_are_for(
    client,
):
    mentor = UserFactory()
    team = TeamRelationshipFactory(mentor=mentor, team__name="Room 12 <b>Bees</b>")
    paused = SupportRelationshipFactory(
        mentor=mentor,
        program=team.program,
        status="paused",
        protege__first_name="Pia",
        protege__last_name="Paused",
    )
    GoalFactory(relationship=paused, mentor_agreed_at=None)  # proposed by the protégé
    client.force_login(mentor)

    page = client.get(reverse("relationships:caseload")).content.decode()

    assert "Classroom team" in page
    assert "Room 12 &lt;b&gt;Bees&lt;/b&gt;" in page and "<b>Bees</b>" not in page
    assert '<span class="badge text-bg-secondary">Paused</span>' in page
    assert "1 awaiting your agreement" in page
    assert "with Pia Paused" in page and "a visit with Pia Paused" in page


def test_team_log_waits_until_every_member_acknowledges(client):
    relationship = TeamRelationshipFactory()
    first, second = relationship.team.members.order_by("pk")
    visit = VisitFactory(relationship=relationship, logged=True)
    AcknowledgementFactory(visit=visit, protege=first)
    client.force_login(relationship.mentor)

    page = client.get(reverse("relationships:caseload")).content.decode()
    assert "1 log" in page
    page = client.get(relationship.get_absolute_url()).content.decode()
    assert "Acknowledged by 1 of 2" in page

    AcknowledgementFactory(visit=visit, protege=second)
    page = client.get(reverse("relationships:caseload")).content.decode()
    assert "1 log" not in page


def _caseload_rows(mentor, count: int) -> None:
    program = ProgramFactory(visits_per_month=2, minutes_per_month=120)
    for index in range(count):
        relationship = (
            TeamRelationshipFactory(mentor=mentor)
            if index % 5 == 0
            else SupportRelationshipFactory(mentor=mentor, program=program)
        )
        VisitFactory(relationship=relationship, logged=True)
        VisitFactory(relationship=relationship)
        GoalFactory(relationship=relationship)


def test_caseload_query_count_is_the_same_for_1_and_50_rows(client):
    small, large = UserFactory(), UserFactory()
    _caseload_rows(small, 1)
    _caseload_rows(large, 50)
    url = reverse("relationships:caseload")

    client.force_login(small)
    one = _count_queries(client, url)
    client.force_login(large)
    fifty = _count_queries(client, url)

    assert one == fifty


# Relationship page -----------------------------------------------------------------------------


def test_relationship_page_shows_the_protege_facts_and_the_role(client):
    program = ProgramFactory(name="Resident Induction", coach_role_description="")
    relationship = SupportRelationshipFactory(program=program)
    EnrollmentFactory(program=program, person=relationship.protege, reason="quality_mandate")
    client.force_login(relationship.mentor)

    page = client.get(relationship.get_absolute_url()).content.decode()

    assert "Resident teacher, year 1" in page  # career stage
    assert "Kindergarten" in page  # age group taught
    assert "Mandated after classroom quality ratings" in page  # why they take part
    assert "What mentoring means in this program" in page
    assert (
        "A mentor walks a teacher through the practical basics" in page
    )  # from role_descriptions.describe
    assert reverse("relationships:visit_log_new", args=[relationship.code]) in page


def test_protege_sees_the_page_without_the_mentor_tools(client):
    relationship = SupportRelationshipFactory()
    client.force_login(relationship.protege)

    page = client.get(relationship.get_absolute_url()).content.decode()

    assert reverse("relationships:visit_log_new", args=[relationship.code]) not in page
    assert 'aria-label="Mentor tools"' not in page


def test_timeline_holds_visits_and_goal_events(client):
    relationship = SupportRelationshipFactory()
    VisitFactory(
        relationship=relationship, logged=True, activities=[Activity.OBSERVING], feedback=""
    )
    VisitFactory(relationship=relationship, cancelled=True, date=in_days(-2))
    GoalFactory(relationship=relationship, title="Talk more with children", agreed=True)
    client.force_login(relationship.mentor)

    page = client.get(relationship.get_absolute_url()).content.decode()

    assert "Visit logged" in page
    assert "Visit cancelled" in page
    assert "Goal proposed" in page and "Goal agreed" in page
    assert "Incomplete: observation without feedback" in page


def test_the_timeline_pages_through_every_event_newest_first(client):
    """Each page reads only the visits up to it, and still shows exactly the events a page of
    the whole timeline holds (visits and goal events interleaved by date)."""
    relationship = SupportRelationshipFactory()
    for index in range(40):
        VisitFactory(relationship=relationship, logged=True, date=in_days(-2 * index - 1))
    for days_ago in (5, 45):  # goal events among the visits, on pages 1 and 2
        goal = GoalFactory(relationship=relationship, title=f"Goal from {days_ago} days ago")
        Goal.objects.filter(pk=goal.pk).update(
            created_at=clock.now() - datetime.timedelta(days=days_ago)
        )
    client.force_login(relationship.mentor)

    def page_dates(number: int) -> list[str]:
        response = client.get(f"{relationship.get_absolute_url()}?page={number}")
        assert response.context["page_obj"].paginator.count == 42
        return [event.date for event in response.context["page_obj"].object_list]

    shown = page_dates(1) + page_dates(2)
    expected = sorted(
        [in_days(-2 * index - 1) for index in range(40)] + [in_days(-5), in_days(-45)], reverse=True
    )
    assert shown == expected
    assert page_dates(9) == page_dates(2)  # past the end: the last page


def test_relationship_page_query_count_is_the_same_for_1_and_50_visits(client):
    small = SupportRelationshipFactory()
    large = SupportRelationshipFactory()
    for relationship, count in ((small, 1), (large, 50)):
        for index in range(count):
            VisitFactory(relationship=relationship, logged=True, date=in_days(-index - 1))
            GoalFactory(relationship=relationship, title=f"Goal {index}")
        VisitFactory(relationship=relationship)

    client.force_login(small.mentor)
    one = _count_queries(client, small.get_absolute_url())
    client.force_login(large.mentor)
    fifty = _count_queries(client, large.get_absolute_url())

    assert one == fifty


def test_team_members_each_see_the_team_log_and_goals(client):
    relationship = TeamRelationshipFactory()
    visit = VisitFactory(relationship=relationship, logged=True, feedback="Lovely read-aloud.")
    GoalFactory(relationship=relationship, title="Dialogic reading for the team", agreed=True)
    for member in relationship.team.members.all():
        client.force_login(member)
        assert (
            "Dialogic reading for the team"
            in client.get(relationship.get_absolute_url()).content.decode()
        )
        assert "Lovely read-aloud." in client.get(visit.get_absolute_url()).content.decode()


# Visits ----------------------------------------------------------------------------------------


def test_schedule_form_defaults_to_today_and_the_usual_location(client):
    relationship = SupportRelationshipFactory()
    VisitFactory(relationship=relationship, logged=True, location="Room 12, Oak School")
    client.force_login(relationship.mentor)

    page = client.get(
        reverse("relationships:visit_schedule", args=[relationship.code])
    ).content.decode()

    assert f'value="{TODAY():%Y-%m-%d}"' in page
    assert 'value="Room 12, Oak School"' in page


def test_schedule_a_visit(client):
    relationship = SupportRelationshipFactory()
    client.force_login(relationship.mentor)

    response = client.post(
        reverse("relationships:visit_schedule", args=[relationship.code]),
        {
            "date": in_days(5),
            "start_time": "09:30",
            "duration_minutes": "45",
            "location": "Room 4",
            "next_meeting_focus": "Transitions",
        },
    )

    assert response.status_code == 302
    visit = relationship.visits.get()
    assert visit.status == Visit.Status.SCHEDULED
    assert visit.duration_minutes == 45


def _log_data(**overrides) -> dict:
    data = {
        "date": TODAY().isoformat(),
        "start_time": "09:00",
        "duration_minutes": "50",
        "location": "Room 4",
        "activities": [Activity.OBSERVING, Activity.FEEDBACK],
        "whats_working": "Calm arrival routine.",
        "focus_challenges": "Group time runs long.",
        "feedback": "Your wait time doubled.",
        "protege_next_steps": "Try the timer.",
        "mentor_next_steps": "Bring the timer.",
        "next_meeting_on": in_days(7).isoformat(),
        "next_meeting_focus": "Group time",
        "private_notes": "Tired this week.",
        "schedule_next": "on",
    }
    data.update(overrides)
    return data


def test_log_a_new_visit_with_goals_and_the_next_meeting_on_the_calendar(client):
    relationship = SupportRelationshipFactory()
    goal = GoalFactory(relationship=relationship, agreed=True)
    client.force_login(relationship.mentor)

    response = client.post(
        reverse("relationships:visit_log_new", args=[relationship.code]),
        _log_data(goals=[goal.pk]),
    )

    assert response.status_code == 302
    logged = relationship.visits.logged().get()
    assert logged.duration_minutes == 50
    assert list(logged.goals.all()) == [goal]
    assert logged.activities == [Activity.OBSERVING, Activity.FEEDBACK]
    scheduled = relationship.visits.scheduled().get()
    assert scheduled.date == in_days(7)
    assert scheduled.next_meeting_focus == "Group time"


def test_log_a_scheduled_visit(client):
    visit = VisitFactory(date=TODAY())
    client.force_login(visit.relationship.mentor)

    response = client.post(
        reverse("relationships:visit_log", args=[visit.code]),
        _log_data(schedule_next=""),
    )

    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == Visit.Status.LOGGED
    assert visit.relationship.visits.count() == 1


def test_log_without_duration_keeps_what_was_typed_and_says_why(client):
    relationship = SupportRelationshipFactory()
    client.force_login(relationship.mentor)

    response = client.post(
        reverse("relationships:visit_log_new", args=[relationship.code]),
        _log_data(duration_minutes="", next_meeting_on=in_days(-30).isoformat()),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in page
    assert "The next meeting must be on or after this visit." in page
    assert "Calm arrival routine." in page
    assert "Tired this week." in page
    assert not relationship.visits.exists()


def test_observation_without_feedback_shows_as_incomplete(client):
    relationship = SupportRelationshipFactory()
    client.force_login(relationship.mentor)

    response = client.post(
        reverse("relationships:visit_log_new", args=[relationship.code]),
        _log_data(feedback="", activities=[Activity.OBSERVING]),
        follow=True,
    )

    assert "Incomplete: an observation without feedback" in response.content.decode()


def test_private_notes_are_marked_and_shown_to_their_author_only(client):
    relationship = SupportRelationshipFactory(program__coordinators_read_shared_logs=True)
    coordinator = UserFactory()
    relationship.program.coordinators.add(coordinator)
    visit = VisitFactory(relationship=relationship, logged=True, private_notes="Only-for-me 42")

    client.force_login(relationship.mentor)
    page = client.get(visit.get_absolute_url()).content.decode()
    assert "Only-for-me 42" in page
    assert 'class="private-note"' in page

    for reader in (relationship.protege, coordinator):
        client.force_login(reader)
        page = client.get(visit.get_absolute_url()).content.decode()
        assert "Your wait time after questions doubled" in page  # shared tier: yes
        assert "Only-for-me 42" not in page


def test_edit_a_log_until_it_is_acknowledged_and_keep_its_history(client):
    visit = VisitFactory(logged=True)
    client.force_login(visit.relationship.mentor)
    url = reverse("relationships:visit_edit", args=[visit.code])

    response = client.post(url, _log_data(feedback="Sharper feedback."))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.feedback == "Sharper feedback."
    assert visit.history.count() >= 2
    assert visit.history.filter(feedback__startswith="Your wait time").exists()

    AcknowledgementFactory(visit=visit)
    response = client.get(url, follow=True)
    assert "can no longer be edited" in response.content.decode()
    response = client.post(url, _log_data(feedback="Too late."))
    visit.refresh_from_db()
    assert visit.feedback == "Sharper feedback."


def test_cancel_needs_a_reason(client):
    visit = VisitFactory()
    client.force_login(visit.relationship.mentor)
    url = reverse("relationships:visit_cancel", args=[visit.code])

    response = client.post(url, {"reason": ""})
    assert "This field is required." in response.content.decode()

    response = client.post(url, {"reason": "Snow day"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == Visit.Status.CANCELLED
    assert visit.cancel_reason == "Snow day"
    page = client.get(visit.get_absolute_url()).content.decode()
    assert "Snow day" in page


def test_only_the_mentor_changes_visits(client):
    visit = VisitFactory()
    client.force_login(visit.relationship.protege)
    assert client.get(reverse("relationships:visit_edit", args=[visit.code])).status_code == 403
    assert (
        client.post(
            reverse("relationships:visit_cancel", args=[visit.code]), {"reason": "x"}
        ).status_code
        == 403
    )
    client.force_login(UserFactory())
    assert client.get(visit.get_absolute_url()).status_code == 404


def test_ended_relationship_is_read_only(client):
    relationship = SupportRelationshipFactory(ended=True)
    client.force_login(relationship.mentor)
    assert client.get(relationship.get_absolute_url()).status_code == 200
    url = reverse("relationships:visit_log_new", args=[relationship.code])
    assert client.get(url).status_code == 403


# Calendar page --------------------------------------------------------------------------------


def test_calendar_lists_upcoming_visits_across_the_caseload(client):
    mentor = UserFactory()
    first = SupportRelationshipFactory(mentor=mentor, protege__first_name="Ana")
    second = SupportRelationshipFactory(mentor=mentor, protege__first_name="Ben")
    VisitFactory(relationship=first, date=in_days(2))
    VisitFactory(relationship=second, date=in_days(4))
    VisitFactory(relationship=second, date=in_days(-4), logged=True)
    client.force_login(mentor)

    page = client.get(reverse("relationships:calendar")).content.decode()

    assert "Ana" in page and "Ben" in page
    assert page.count("Log it") == 2
    assert "/relationships/calendar/" in page and ".ics" in page


def test_calendar_query_count_is_the_same_for_1_and_50_visits(client):
    small, large = UserFactory(), UserFactory()
    VisitFactory(relationship=SupportRelationshipFactory(mentor=small))
    for index in range(50):
        VisitFactory(relationship=SupportRelationshipFactory(mentor=large), date=in_days(index + 1))

    client.force_login(small)
    one = _count_queries(client, reverse("relationships:calendar"))
    client.force_login(large)
    fifty = _count_queries(client, reverse("relationships:calendar"))

    assert one == fifty


def test_informal_relationship_page_says_it_is_outside_any_program(client):
    relationship = SupportRelationshipFactory(informal=True)
    client.force_login(relationship.mentor)
    page = client.get(relationship.get_absolute_url()).content.decode()
    assert "Informal, outside any program" in page
    assert "This is an informal relationship" in page


def test_caseload_can_show_ended_relationships(client):
    mentor = UserFactory()
    SupportRelationshipFactory(
        mentor=mentor, protege__first_name="Olive", protege__last_name="Open"
    )
    SupportRelationshipFactory(
        mentor=mentor, ended=True, protege__first_name="Enid", protege__last_name="Ended"
    )
    client.force_login(mentor)

    open_page = client.get(reverse("relationships:caseload")).content.decode()
    ended_page = client.get(reverse("relationships:caseload") + "?show=ended").content.decode()

    assert "Olive Open" in open_page and "Enid Ended" not in open_page
    assert "Enid Ended" in ended_page and "Olive Open" not in ended_page


def test_logging_a_visit_planned_for_later_starts_on_today(client):
    visit = VisitFactory(date=in_days(4), next_meeting_focus="Transitions")
    client.force_login(visit.relationship.mentor)

    page = client.get(reverse("relationships:visit_log", args=[visit.code])).content.decode()

    assert f'value="{TODAY():%Y-%m-%d}"' in page
    # The focus planned for this visit is the log's focus now, not the next meeting's.
    assert ">\nTransitions</textarea>" in page
    assert 'name="next_meeting_focus" value="Transitions"' not in page
