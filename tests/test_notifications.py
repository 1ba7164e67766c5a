"""Emails about what waits for someone: a new log waits for the protégé's acknowledgement, a
goal waits for the protégé's agreement (the mentor proposed it) or the mentor's (the protégé
did).

Each is sent exactly once, when the write commits, and not at all when the person turned it
off. pytest-django swaps in the locmem backend, so sent mail lands in `mailoutbox`.
"""

import datetime

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from core import clock
from goals import services as goal_services
from outbox.models import Optout
from relationships import services
from tests import factories

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

    assert len(callbacks) == 1
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

    assert len(callbacks) == 1
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

    assert len(callbacks) == 1
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
