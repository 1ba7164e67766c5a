"""Emails about what waits for someone and what happened: a new log waits for the protégé's
acknowledgement, a goal waits for the protégé's agreement (the mentor proposed it) or the
mentor's (the protégé did), the protégé acknowledged a log, a coordinator matched, paused,
resumed or ended a relationship, and the program's coordinators started or stopped reading
shared logs.

Each is sent exactly once, when the write commits (the on-commit callback enqueues the outbox's
task, which the immediate task backend runs), and not at all when the person turned it off.
pytest-django swaps in the locmem backend, so sent mail lands in `mailoutbox`.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from core import clock
from core.names import person_name
from goals import services as goal_services
from outbox.models import Optout
from programs.models import Enrollment
from relationships import services
from relationships.models import SupportRelationship
from reports.rollup import stored
from tests import factories
from tests.programs.coordinator_world import coordinated_program, relationship_in
from tests.programs.test_sharing_since import edit as edit_program
from tests.relationships.test_coordinator_matching import (
    enroll_mentor,
    enroll_protege,
    match_url,
    post_data,
)
from tests.relationships.test_mentor_views import _log_data as log_form

pytestmark = pytest.mark.django_db


def log(visit_or_relationship, **extra):
    """Log a visit through the service, as the mentor's page does."""
    if hasattr(visit_or_relationship, "relationship"):
        relationship, visit = visit_or_relationship.relationship, visit_or_relationship
    else:
        relationship, visit = visit_or_relationship, None
    return services.visit_log(
        relationship=relationship,
        by=relationship.mentor,
        visit=visit,
        date=extra.pop("date", None) or clock.today(),
        duration_minutes=45,
        feedback="Your questions opened the discussion.",
        protege_next_steps="Try it with the whole group.",
        **extra,
    )


def without_rollup(callbacks) -> list:
    """The callbacks of a commit but the roll-up's one bump of its versions per transaction
    (reports/rollup/stored.py), which follows any write it counts."""
    return [callback for callback in callbacks if not isinstance(callback, stored.Pending)]


def propose(relationship, by):
    return goal_services.goal_propose(
        relationship=relationship,
        by=by,
        title="More open-ended questions",
        statement="Ask open-ended questions in every read-aloud.",
    )


def test_a_new_log_emails_the_protege_once_with_a_link(
    mailoutbox, django_capture_on_commit_callbacks
):
    relationship = factories.SupportRelationshipFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        visit = log(relationship)

    # One email queued (the other callback recounts the monthly summaries).
    assert len(without_rollup(callbacks)) == 2
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [relationship.protege.email]
    assert relationship.mentor_name in email.subject
    url = settings.SITE_URL + reverse("relationships:visit_acknowledge", args=[visit.code])
    assert url in email.body
    # The log's words stay in the app.
    assert "Your questions opened the discussion." not in email.body


def test_logging_a_scheduled_visit_emails_once_and_editing_it_does_not_email_again(
    mailoutbox, django_capture_on_commit_callbacks
):
    relationship = factories.SupportRelationshipFactory()
    scheduled = factories.VisitFactory(
        relationship=relationship, date=clock.today() - datetime.timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        # Logged on the day it happens: a visit is logged once it has taken place.
        visit = log(scheduled, date=clock.today())
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_update(visit=visit, by=relationship.mentor, feedback="Edited.")

    assert len(mailoutbox) == 1


def test_no_email_is_sent_when_the_log_is_not_saved(mailoutbox, django_capture_on_commit_callbacks):
    relationship = factories.SupportRelationshipFactory()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                log(relationship)
                raise RuntimeError("the page failed after logging")

    assert mailoutbox == []


def test_a_new_log_for_a_team_emails_each_member_once(
    mailoutbox, django_capture_on_commit_callbacks
):
    relationship = factories.TeamRelationshipFactory()
    members = list(relationship.team.members.order_by("pk"))
    with django_capture_on_commit_callbacks(execute=True):
        log(relationship)

    assert sorted(email.to[0] for email in mailoutbox) == sorted(m.email for m in members)
    assert all(len(email.to) == 1 for email in mailoutbox)  # nobody sees the others' address


def test_no_new_log_email_when_the_person_turned_it_off(
    mailoutbox, django_capture_on_commit_callbacks
):
    relationship = factories.TeamRelationshipFactory()
    quiet, other = relationship.team.members.order_by("pk")
    Optout.objects.create(user=quiet, kind="new_log")
    with django_capture_on_commit_callbacks(execute=True):
        log(relationship)

    assert [email.to for email in mailoutbox] == [[other.email]]


def test_a_goal_proposed_by_the_mentor_emails_the_protege_once(
    mailoutbox, django_capture_on_commit_callbacks
):
    relationship = factories.SupportRelationshipFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        goal = propose(relationship, relationship.mentor)

    assert len(without_rollup(callbacks)) == 1
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [relationship.protege.email]
    assert "More open-ended questions" in email.subject
    assert settings.SITE_URL + goal.get_absolute_url() in email.body


def test_agreeing_or_updating_the_goal_sends_nothing_more(
    mailoutbox, django_capture_on_commit_callbacks
):
    relationship = factories.SupportRelationshipFactory()
    with django_capture_on_commit_callbacks(execute=True):
        goal = propose(relationship, relationship.mentor)
    with django_capture_on_commit_callbacks(execute=True):
        goal_services.goal_agree(goal=goal, by=relationship.protege)

    assert len(mailoutbox) == 1


def test_a_proposal_the_other_side_changes_asks_its_author_again(
    mailoutbox, django_capture_on_commit_callbacks
):
    relationship = factories.SupportRelationshipFactory()
    with django_capture_on_commit_callbacks(execute=True):
        goal = propose(relationship, relationship.mentor)  # emails the protégé
    with django_capture_on_commit_callbacks(execute=True):
        goal_services.goal_update(goal=goal, by=relationship.mentor, title="Open questions")
    assert len(mailoutbox) == 1  # the author's own change: the protégé is still asked

    with django_capture_on_commit_callbacks(execute=True):
        goal_services.goal_update(goal=goal, by=relationship.protege, title="Two open questions")

    assert len(mailoutbox) == 2
    assert mailoutbox[1].to == [relationship.mentor.email]
    goal.refresh_from_db()
    assert goal.mentor_agreed_at is None and goal.protege_agreed_at is not None


def test_a_goal_the_protege_proposes_emails_the_mentor_once(
    mailoutbox, django_capture_on_commit_callbacks
):
    relationship = factories.SupportRelationshipFactory(
        protege__first_name="Maya", protege__last_name="Lopez"
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        goal = propose(relationship, relationship.protege)

    assert len(without_rollup(callbacks)) == 1
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [relationship.mentor.email]
    assert "Maya Lopez" in email.subject and "More open-ended questions" in email.subject
    assert "Maya Lopez has proposed a goal" in email.body
    assert settings.SITE_URL + goal.get_absolute_url() in email.body
    # Like the protégé's email: the title, not the goal's words.
    assert "Ask open-ended questions in every read-aloud." not in email.body


def test_a_goal_a_team_member_proposes_emails_the_mentor_and_names_the_team(
    mailoutbox, django_capture_on_commit_callbacks
):
    relationship = factories.TeamRelationshipFactory(program__goal_policy="collaborative")
    member = relationship.team.members.order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        propose(relationship, member)

    assert [email.to for email in mailoutbox] == [[relationship.mentor.email]]
    assert f"({relationship.team.name}) has proposed a goal" in mailoutbox[0].body


def test_the_mentor_agreeing_to_the_protege_goal_sends_nothing_more(
    mailoutbox, django_capture_on_commit_callbacks
):
    relationship = factories.SupportRelationshipFactory()
    with django_capture_on_commit_callbacks(execute=True):
        goal = propose(relationship, relationship.protege)
    with django_capture_on_commit_callbacks(execute=True):
        goal_services.goal_agree(goal=goal, by=relationship.mentor)

    assert len(mailoutbox) == 1


def test_no_proposed_goal_email_when_the_mentor_turned_it_off(
    mailoutbox, django_capture_on_commit_callbacks
):
    relationship = factories.SupportRelationshipFactory()
    Optout.objects.create(user=relationship.mentor, kind="goal_proposed")
    with django_capture_on_commit_callbacks(execute=True):
        propose(relationship, relationship.protege)

    assert mailoutbox == []


def test_no_proposed_goal_email_when_the_mentor_has_no_address(
    mailoutbox, django_capture_on_commit_callbacks
):
    relationship = factories.SupportRelationshipFactory(mentor__email="")
    with django_capture_on_commit_callbacks(execute=True):
        propose(relationship, relationship.protege)

    assert mailoutbox == []


def test_a_goal_proposed_on_the_protege_page_emails_the_mentor(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    relationship = factories.SupportRelationshipFactory()
    client.force_login(relationship.protege)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("goals:create", args=[relationship.code]),
            {"title": "Calmer transitions", "statement": "Use a song for every transition."},
        )

    assert response.status_code == 302
    assert [email.to for email in mailoutbox] == [[relationship.mentor.email]]
    assert "Calmer transitions" in mailoutbox[0].subject


def test_no_goal_email_when_the_person_turned_it_off(
    mailoutbox, django_capture_on_commit_callbacks
):
    relationship = factories.SupportRelationshipFactory()
    Optout.objects.create(user=relationship.protege, kind="goal_agreement")
    with django_capture_on_commit_callbacks(execute=True):
        propose(relationship, relationship.mentor)

    assert mailoutbox == []


def test_turning_one_email_off_leaves_the_other_on(mailoutbox, django_capture_on_commit_callbacks):
    relationship = factories.SupportRelationshipFactory()
    Optout.objects.create(user=relationship.protege, kind="goal_agreement")
    with django_capture_on_commit_callbacks(execute=True):
        log(relationship)
        propose(relationship, relationship.mentor)

    assert len(mailoutbox) == 1
    assert "logged your visit" in mailoutbox[0].subject


def test_turning_emails_off_on_the_settings_page_stops_them(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    relationship = factories.SupportRelationshipFactory()
    client.force_login(relationship.protege)
    response = client.post(
        reverse("relationships:settings"),
        {
            "email": relationship.protege.email,
            "email_goal_agreement": "on",
            "calendar_enabled": "on",
        },  # new-log email unticked
    )
    assert response.status_code == 302

    with django_capture_on_commit_callbacks(execute=True):
        log(relationship)
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        propose(relationship, relationship.mentor)
    assert len(mailoutbox) == 1


def test_people_without_an_email_address_are_skipped(
    mailoutbox, django_capture_on_commit_callbacks
):
    relationship = factories.SupportRelationshipFactory(protege__email="")
    with django_capture_on_commit_callbacks(execute=True):
        log(relationship)

    assert mailoutbox == []


# A relationship made, paused, made active again and ended -----------------------------------


def test_both_people_are_emailed_when_a_coordinator_matches_pauses_resumes_and_ends(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    program, coordinator = coordinated_program()
    enrollment = enroll_protege(program)
    protege = enrollment.person
    mentor = enroll_mentor(program, "Good")
    client.force_login(coordinator)

    def emails(url: str, data: dict | None = None) -> dict[str, tuple[str, str]]:
        """Who is emailed, with the subject and body, once one coordinator's POST commits."""
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url, data or {}).status_code == 302
        sent = {email.to[0]: (email.subject, email.body) for email in mailoutbox}
        assert len(sent) == len(mailoutbox)  # one each
        return sent

    matched = emails(match_url(program), post_data(enrollment, mentor))
    relationship = SupportRelationship.objects.get()
    base = f"/relationships/{relationship.code}"
    paused = emails(f"{base}/pause/", {"reason": "On leave until March"})
    resumed = emails(f"{base}/resume/")
    ended = emails(f"{base}/end/", {"outcome": "completed", "reason": "Year done"})

    url = settings.SITE_URL + relationship.get_absolute_url()
    for sent, happened in [
        (matched, "has started"),
        (paused, "is paused"),
        (resumed, "is active again"),
        (ended, "has ended"),
    ]:
        assert set(sent) == {mentor.email, protege.email}
        mentor_subject, mentor_body = sent[mentor.email]
        protege_subject, protege_body = sent[protege.email]
        # Each is told about the other person.
        assert mentor_subject == f"Your mentoring with {person_name(protege)} {happened}"
        assert protege_subject == f"Your mentoring with {person_name(mentor)} {happened}"
        assert url in mentor_body and url in protege_body
    # What the coordinator wrote about it stays in the app.
    assert "On leave until March" not in str(paused)
    assert "Year done" not in str(ended)


# A log acknowledged ---------------------------------------------------------------------------


def test_the_mentor_is_emailed_when_the_protege_acknowledges_a_log_without_their_words(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    relationship = factories.SupportRelationshipFactory(
        protege__first_name="Maya", protege__last_name="Lopez"
    )
    visit = factories.VisitFactory(relationship=relationship, logged=True)
    client.force_login(relationship.protege)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("relationships:visit_acknowledge", args=[visit.code]),
            {
                "reflection": "The timer helped more than I expected.",
                "private_reflection": "I was nervous all week.",
            },
        )

    assert response.status_code == 302
    assert [email.to for email in mailoutbox] == [[relationship.mentor.email]]
    email = mailoutbox[0]
    assert email.subject == "Maya Lopez acknowledged your visit log and wrote a reflection"
    assert "They also wrote a reflection for you to read." in email.body
    assert settings.SITE_URL + visit.get_absolute_url() in email.body
    assert "The timer helped" not in email.body
    assert "nervous" not in email.body


def test_an_acknowledgement_without_a_reflection_does_not_say_there_is_one(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    relationship = factories.SupportRelationshipFactory(
        protege__first_name="Maya", protege__last_name="Lopez"
    )
    visit = factories.VisitFactory(relationship=relationship, logged=True)
    client.force_login(relationship.protege)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("relationships:visit_acknowledge", args=[visit.code]), {})

    assert [email.subject for email in mailoutbox] == ["Maya Lopez acknowledged your visit log"]
    assert "Maya Lopez has acknowledged your log" in mailoutbox[0].body
    assert "wrote a reflection" not in mailoutbox[0].body


# The program's coordinators may read shared logs, or no longer -------------------------------


def test_current_proteges_are_told_when_coordinators_start_or_stop_reading_shared_logs(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    program, coordinator = coordinated_program(coordinators_read_shared_logs=False)
    relationship = relationship_in(program)  # the protégé and their mentor, enrolled
    unmatched = factories.EnrollmentFactory(program=program).person  # a protégé all the same
    factories.EnrollmentFactory(program=program, left=True)  # left the program
    factories.EnrollmentFactory(program=program, role=Enrollment.Role.MENTOR)
    factories.EnrollmentFactory()  # a protégé of another program
    told = sorted([relationship.protege.email, unmatched.email])
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        edit_program(client, program, coordinators_read_shared_logs="on")
    assert sorted(email.to[0] for email in mailoutbox) == told
    assert all(len(email.to) == 1 for email in mailoutbox)
    assert {email.subject for email in mailoutbox} == {
        f"{program.name}: coordinators may now read shared visit logs"
    }
    assert "From now on, the program's coordinators may read" in mailoutbox[0].body
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        edit_program(client, program, coordinators_read_shared_logs="")
    assert sorted(email.to[0] for email in mailoutbox) == told
    assert {email.subject for email in mailoutbox} == {
        f"{program.name}: coordinators no longer read shared visit logs"
    }
    assert "no longer read the shared part of your visit logs" in mailoutbox[0].body


@pytest.mark.parametrize("sharing", ["", "on"], ids=["not sharing", "sharing"])
def test_editing_other_fields_of_the_program_emails_nobody(
    client, mailoutbox, django_capture_on_commit_callbacks, sharing
):
    program, coordinator = coordinated_program(coordinators_read_shared_logs=bool(sharing))
    relationship_in(program)
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        edit_program(
            client,
            program,
            coordinators_read_shared_logs=sharing,
            description="A new description.",
            visits_per_month="3",
        )

    program.refresh_from_db()
    assert program.description == "A new description."
    assert program.coordinators_read_shared_logs == bool(sharing)
    assert mailoutbox == []


# The link at the foot of an email -------------------------------------------------------------


def test_the_link_in_a_real_email_turns_that_email_off(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    relationship = factories.SupportRelationshipFactory()
    protege = relationship.protege
    client.force_login(relationship.mentor)
    log_page = reverse("relationships:visit_log_new", args=[relationship.code])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(log_page, log_form()).status_code == 302
    [email] = mailoutbox
    assert email.to == [protege.email]
    footer = email.body.split("\n--\n", 1)[1]
    assert 'You get this email because "Email me when a visit log waits' in footer
    link = re.search(r"Stop these emails: (\S+)", footer)[1]
    assert link.startswith(settings.SITE_URL)
    path = link.removeprefix(settings.SITE_URL)

    client.logout()  # opened from the mail program: nobody is signed in
    page = client.get(path)
    assert page.status_code == 200
    assert "Turn these emails off" in page.content.decode()
    assert not Optout.objects.exists()  # opening the link is not enough
    done = client.post(path)
    assert "These emails are off" in done.content.decode()
    assert list(Optout.objects.values_list("user", "kind")) == [(protege.pk, "new_log")]

    client.force_login(protege)
    settings_page = client.get(reverse("relationships:settings")).content.decode()
    assert not re.search(r'name="email_new_log"[^>]*checked', settings_page)
    assert re.search(r'name="email_goal_agreement"[^>]*checked', settings_page)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        log(relationship)
        propose(relationship, relationship.mentor)
    assert [email.subject for email in mailoutbox] == [
        "A goal waits for your agreement: More open-ended questions"
    ]
