"""The protégé's feedback: visit logs waiting first, then newest; reading and acknowledging a log
with a shared and a private reflection; each team member acknowledging for themselves."""

import datetime
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from relationships.models import Acknowledgement
from tests import factories

pytestmark = pytest.mark.django_db

FEEDBACK = reverse("relationships:feedback")


def text(response) -> str:
    """The page as a person reads it: no tags, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


# The one button that acknowledges a log and co-signs the protégé's next steps.
ACKNOWLEDGE = "I have read this log and co-sign my next steps"


def ack_url(visit) -> str:
    return reverse("relationships:visit_acknowledge", args=[visit.code])


def days_ago(days: int) -> datetime.date:
    return factories.in_days(-days)


def test_logs_waiting_for_the_protege_come_first_then_newest(client):
    relationship = factories.SupportRelationshipFactory()
    old_waiting = factories.VisitFactory(relationship=relationship, logged=True, date=days_ago(20))
    newest_done = factories.VisitFactory(relationship=relationship, logged=True, date=days_ago(2))
    new_waiting = factories.VisitFactory(relationship=relationship, logged=True, date=days_ago(9))
    factories.AcknowledgementFactory(visit=newest_done, protege=relationship.protege)
    factories.VisitFactory(relationship=relationship)  # scheduled: not a log yet
    client.force_login(relationship.protege)

    page = text(client.get(FEEDBACK))

    order = [
        page.index(f"Visit of {visit.date:%A}, {visit.date:%B} {visit.date.day}, {visit.date:%Y}")
        for visit in (new_waiting, old_waiting, newest_done)
    ]
    assert order == sorted(order)
    assert page.count("Waiting for you") == 2
    assert page.count("Read and acknowledge") == 2


def test_the_feedback_list_runs_the_same_queries_for_1_and_50_logs(client):
    relationship = factories.SupportRelationshipFactory()
    factories.VisitFactory(relationship=relationship, logged=True)
    client.force_login(relationship.protege)
    client.get(FEEDBACK)  # warm up the session

    with CaptureQueriesContext(connection) as one:
        assert client.get(FEEDBACK).status_code == 200
    factories.VisitFactory.create_batch(49, relationship=relationship, logged=True)
    with CaptureQueriesContext(connection) as fifty:
        response = client.get(FEEDBACK)

    assert len(response.context["visits"]) == 25
    assert len(fifty) == len(one)


def test_the_feedback_list_shows_no_logs_of_others(client):
    mine = factories.SupportRelationshipFactory()
    factories.VisitFactory(logged=True, feedback="Someone else's feedback")
    client.force_login(mine.protege)

    assert "Someone else" not in text(client.get(FEEDBACK))


def test_the_log_page_shows_the_feedback_and_next_steps_but_not_private_notes(client):
    visit = factories.VisitFactory(logged=True)
    client.force_login(visit.relationship.protege)

    page = text(client.get(ack_url(visit)))

    assert visit.feedback in page
    assert visit.protege_next_steps in page
    assert visit.mentor_next_steps in page
    assert visit.private_notes not in page
    assert ACKNOWLEDGE in page


def test_acknowledging_with_a_reflection_and_a_private_reflection(client):
    visit = factories.VisitFactory(logged=True)
    protege = visit.relationship.protege
    client.force_login(protege)

    response = client.post(
        ack_url(visit),
        {
            "reflection": "The questions worked with the small group.",
            "private_reflection": "I was nervous about this one.",
        },
    )

    assert response.status_code == 302
    ack = Acknowledgement.objects.get(visit=visit, protege=protege)
    assert ack.reflection == "The questions worked with the small group."
    assert ack.private_reflection == "I was nervous about this one."
    response = client.get(ack_url(visit))
    page = text(response)
    assert "You acknowledged this log" in page
    assert "Private: only you can read this I was nervous about this one." in page
    assert 'class="private-note"' in response.content.decode()
    assert ACKNOWLEDGE not in page


def test_the_mentor_reads_the_reflection_but_never_the_private_reflection(client):
    visit = factories.VisitFactory(logged=True)
    factories.AcknowledgementFactory(
        visit=visit, reflection="Shared thought", private_reflection="Secret thought"
    )
    client.force_login(visit.relationship.mentor)

    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = visit.relationship.mentor
    panel = render_to_string(
        "relationships/includes/visit_protege_panel.html",
        {"visit": visit, "user": visit.relationship.mentor},
        request=request,
    )
    assert "Shared thought" in panel
    assert "Secret thought" not in panel
    assert ACKNOWLEDGE not in panel


def test_acknowledging_is_one_act_that_co_signs_the_next_steps(client):
    """The button is the co-signature: no second box to tick, and the page says so."""
    visit = factories.VisitFactory(logged=True)
    protege = visit.relationship.protege
    client.force_login(protege)
    response = client.get(ack_url(visit))
    page = text(response)
    assert 'type="checkbox"' not in response.content.decode()
    assert "acknowledge it with the button below: it co-signs your next steps" in page

    response = client.post(ack_url(visit), {"reflection": "Half a thought"}, follow=True)

    assert Acknowledgement.objects.get(visit=visit, protege=protege).reflection == "Half a thought"
    page = text(response)
    assert "acknowledged the log" in page and "co-signed your next steps" in page
    assert "Your reflection is there for" in page


def test_a_reflection_too_long_is_refused_and_nothing_typed_is_lost(client):
    visit = factories.VisitFactory(logged=True)
    client.force_login(visit.relationship.protege)

    response = client.post(
        ack_url(visit), {"reflection": "x" * 5001, "private_reflection": "Kept for me"}
    )

    assert response.status_code == 200
    page = text(response)
    assert "Ensure this value has at most 5000 characters" in page
    assert "Kept for me" in page
    assert not Acknowledgement.objects.exists()


def test_the_note_says_who_reads_what_before_anything_is_sent(client):
    program = factories.ProgramFactory(coordinators_read_shared_logs=True, name="Induction")
    visit = factories.VisitFactory(
        logged=True, relationship=factories.SupportRelationshipFactory(program=program)
    )
    mentor = visit.relationship.mentor_name
    client.force_login(visit.relationship.protege)

    page = text(client.get(ack_url(visit)))

    assert (
        f"{mentor} sees your acknowledgement and reads your reflection, and so do the "
        "coordinators of Induction. Your private reflection is only for you" in page
    )
    assert f"{mentor} read your acknowledgement" not in page


def test_acknowledging_twice_keeps_one_acknowledgement(client):
    visit = factories.VisitFactory(logged=True)
    client.force_login(visit.relationship.protege)
    client.post(ack_url(visit))

    response = client.post(ack_url(visit), follow=True)

    assert Acknowledgement.objects.count() == 1
    assert "already acknowledged" in text(response)


def test_a_scheduled_visit_cannot_be_acknowledged(client):
    visit = factories.VisitFactory()
    client.force_login(visit.relationship.protege)

    response = client.post(ack_url(visit))

    assert response.status_code == 200
    assert not Acknowledgement.objects.exists()


def test_the_mentor_may_not_acknowledge_for_the_protege(client):
    visit = factories.VisitFactory(logged=True)
    client.force_login(visit.relationship.mentor)

    assert client.get(ack_url(visit)).status_code == 403
    assert client.post(ack_url(visit)).status_code == 403
    assert not Acknowledgement.objects.exists()


def test_outsiders_and_the_supervisor_get_not_found(client):
    supervisor = factories.UserFactory()
    protege = factories.ProtegeProfileFactory(supervisor=supervisor).user
    visit = factories.VisitFactory(
        logged=True, relationship=factories.SupportRelationshipFactory(protege=protege)
    )
    for person in (supervisor, factories.UserFactory()):
        client.force_login(person)
        assert client.get(ack_url(visit)).status_code == 404
        assert client.post(ack_url(visit)).status_code == 404
    assert not Acknowledgement.objects.exists()


def test_each_team_member_acknowledges_for_themselves(client):
    relationship = factories.TeamRelationshipFactory()
    first, second = relationship.team.members.order_by("pk")
    visit = factories.VisitFactory(relationship=relationship, logged=True)

    client.force_login(first)
    client.post(
        ack_url(visit),
        {"reflection": "From the first", "private_reflection": "First's secret"},
    )
    client.force_login(second)
    page = text(client.get(ack_url(visit)))

    assert f"{first.get_full_name()} acknowledged this log" in page
    assert "From the first" in page
    assert "First's secret" not in page
    assert ACKNOWLEDGE in page  # the second member still acknowledges for themselves
    assert "Not yet acknowledged by: you." in page

    client.post(ack_url(visit))
    assert set(visit.acknowledgements.values_list("protege", flat=True)) == {first.pk, second.pk}
