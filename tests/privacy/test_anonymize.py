"""An administrator anonymizes a person who asked: on a page of their own, or with an action in
Django admin. Their names, username and email give way to a placeholder, the text they wrote is
removed (in the change history too), the figures stay, and the anonymization is recorded.
Nobody else reaches the page."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from observations.models import Observation
from observations.services import observation_update
from privacy.models import Anonymization
from privacy.services import REMOVED
from relationships.models import Acknowledgement, Visit
from tests import factories
from tests.observations.world import observe, rubric

pytestmark = pytest.mark.django_db

URL = reverse("privacy:anonymize")


@pytest.fixture
def admin():
    return factories.UserFactory(username="root", admin=True)


@pytest.fixture
def mentor_world():
    """A mentor who asks to be forgotten: a logged visit (with private notes) the protégé
    acknowledged with a reflection, a goal the mentor proposed, a profile with credentials."""
    mentor = factories.UserFactory(
        username="maria.lopez", first_name="Maria", last_name="Lopez", email="maria@example.org"
    )
    factories.MentorProfileFactory(user=mentor, credentials="CDA, Lincoln Elementary")
    # The protégé's name is fixed: a made-up one could hold "Maria" (tests below look for it).
    relationship = factories.SupportRelationshipFactory(
        mentor=mentor, protege__first_name="Jayden", protege__last_name="Brooks"
    )
    visit = factories.VisitFactory(
        relationship=relationship,
        logged=True,
        duration_minutes=45,
        feedback="Maria's FEEDBACK about Jayden",
        private_notes="MARIA-PRIVATE",
    )
    # A later edit, so the history holds an earlier version too.
    visit.whats_working = "Jayden settles quickly"
    visit.save()
    factories.AcknowledgementFactory(visit=visit, reflection="PROTEGE-REFLECTION")
    goal = factories.GoalFactory(relationship=relationship, statement="MARIA-GOAL-STATEMENT")
    observation = observe(relationship, rubric(relationship.program), [5, 4, 6], note="OBS-NOTE")
    observation_update(  # corrected once: its history holds two versions
        observation=observation,
        by=mentor,
        observed_on=observation.observed_on,
        visit=None,
        note="Jayden OBS-NOTE, corrected",
        scores={score.domain_id: score.score for score in observation.scores.all()},
        seen=(),
        notes={score.domain_id: "Jayden DOMAIN-NOTE" for score in observation.scores.all()},
    )
    return {
        "mentor": mentor,
        "relationship": relationship,
        "visit": visit,
        "goal": goal,
        "observation": observation,
    }


def test_an_admin_finds_the_person_and_sees_what_will_happen(client, admin, mentor_world):
    client.force_login(admin)
    page = client.get(URL, {"person": "maria@example.org"}).content.decode()
    assert "Maria Lopez" in page
    assert "maria.lopez" in page
    assert "Anonymize Maria Lopez" in page


def test_anonymizing_replaces_names_removes_their_words_and_keeps_the_figures(
    client, admin, mentor_world
):
    client.force_login(admin)
    response = client.post(URL, {"person": "maria.lopez", "asked": "on"}, follow=True)

    assert response.status_code == 200
    mentor = User.objects.get(pk=mentor_world["mentor"].pk)
    assert f"Maria Lopez is anonymized: their account is now “{mentor.username}”" in (
        response.content.decode()
    )
    assert mentor.username == f"anonymized-{mentor.pk}"
    assert (mentor.first_name, mentor.last_name, mentor.email) == ("Anonymized", "person", "")
    assert not mentor.is_active
    assert not mentor.has_usable_password()
    assert mentor.mentor_profile.credentials == REMOVED

    visit = Visit.objects.get(pk=mentor_world["visit"].pk)
    assert visit.feedback == REMOVED
    assert visit.whats_working == REMOVED
    assert visit.private_notes == ""
    assert visit.mentor_next_steps == REMOVED
    # The figures stay.
    assert (visit.status, visit.duration_minutes, visit.date) == (
        "logged",
        45,
        mentor_world["visit"].date,
    )
    assert visit.activities == mentor_world["visit"].activities
    goal = mentor_world["goal"]
    goal.refresh_from_db()
    assert (goal.title, goal.statement, goal.status) == (REMOVED, REMOVED, "proposed")
    # The change history holds the words no more.
    for version in visit.history.all():
        assert "Jayden" not in version.feedback + version.whats_working
        assert not hasattr(version, "private_notes")  # never kept in the history
    assert visit.private_notes == ""
    # The observations' notes go too, in their history; the scores stay.
    observation = Observation.objects.get(pk=mentor_world["observation"].pk)
    assert observation.note == REMOVED
    assert {score.note for score in observation.scores.all()} == {REMOVED}
    assert sorted(score.score for score in observation.scores.all()) == [4, 5, 6]
    for version in observation.history.all():
        assert "OBS-NOTE" not in version.note
    for score in observation.scores.all():
        assert all("Jayden" not in version.note for version in score.history.all())
    # What the protégé wrote is theirs, and stays.
    assert Acknowledgement.objects.get().reflection == "PROTEGE-REFLECTION"

    record = Anonymization.objects.get()
    assert (record.person, record.reason, record.done_by) == (mentor, "request", admin)


def test_the_anonymized_person_is_signed_out_everywhere(client, admin, mentor_world):
    mentor = mentor_world["mentor"]
    client.force_login(mentor)
    assert client.get(reverse("relationships:caseload")).status_code == 200

    from django.test import Client

    admin_client = Client()
    admin_client.force_login(admin)
    admin_client.post(URL, {"person": "maria.lopez", "asked": "on"})

    assert client.get(reverse("relationships:caseload")).status_code == 302


def test_pages_show_the_placeholder_name(client, admin, mentor_world):
    client.force_login(admin)
    client.post(URL, {"person": "maria.lopez", "asked": "on"}, follow=True)

    client.force_login(mentor_world["relationship"].protege)
    page = client.get(reverse("relationships:my_support")).content.decode()
    assert "Maria" not in page
    assert "Anonymized person" in page


def test_nothing_happens_unless_the_admin_confirms_the_person_asked(client, admin, mentor_world):
    client.force_login(admin)
    response = client.post(URL, {"person": "maria.lopez"})
    assert response.status_code == 200
    assert User.objects.filter(username="maria.lopez").exists()
    assert not Anonymization.objects.exists()


def test_an_admin_cannot_anonymize_themselves_or_another_admin(client, admin):
    other = factories.UserFactory(username="other-admin", admin=True)
    client.force_login(admin)
    for username, refusal in (
        ("root", "You cannot anonymize your own account."),
        ("other-admin", "take away their administrator rights"),
    ):
        response = client.post(URL, {"person": username, "asked": "on"})
        assert response.status_code == 200
        assert refusal in response.content.decode()
    assert User.objects.filter(username__in=["root", "other-admin"]).count() == 2
    assert not Anonymization.objects.exists()
    assert other.is_active


@pytest.mark.parametrize("who", ["coordinator", "mentor", "staff", "self"])
def test_for_anyone_but_an_administrator_the_page_does_not_exist(client, mentor_world, who):
    people = {
        "coordinator": lambda: factories.ProgramFactory(
            coordinators=[factories.UserFactory()]
        ).coordinators.get(),
        "mentor": lambda: mentor_world["relationship"].mentor,
        "staff": lambda: factories.UserFactory(is_staff=True),
        "self": lambda: mentor_world["mentor"],
    }
    client.force_login(people[who]())
    assert client.get(URL, {"person": "maria.lopez"}).status_code == 404
    assert client.post(URL, {"person": "maria.lopez", "asked": "on"}).status_code == 404
    assert User.objects.filter(username="maria.lopez").exists()
    assert not Anonymization.objects.exists()


def test_the_django_admin_action_asks_then_anonymizes(client, admin, mentor_world):
    client.force_login(admin)
    changelist = reverse("admin:auth_user_changelist")
    selected = {"action": "anonymize_selected", "_selected_action": [mentor_world["mentor"].pk]}

    asked = client.post(changelist, selected)
    assert asked.status_code == 200
    assert "Yes, anonymize them" in asked.content.decode()
    assert User.objects.filter(username="maria.lopez").exists()

    done = client.post(changelist, {**selected, "confirm": "yes"}, follow=True)
    assert done.status_code == 200
    assert not User.objects.filter(username="maria.lopez").exists()
    assert Anonymization.objects.get().done_by == admin


def test_admin_lists_the_anonymizations_and_links_to_the_page(client, admin, mentor_world):
    client.force_login(admin)
    client.post(URL, {"person": "maria.lopez", "asked": "on"})
    page = client.get(reverse("admin:privacy_anonymization_changelist")).content.decode()
    assert f'href="{URL}"' in page
    assert "The person asked" in page
