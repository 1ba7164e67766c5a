"""A person's own settings page: their email address, the emails that concern them on and off,
the private calendar link and its feed on and off (a form of its own in the Calendar card)."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from outbox.models import Optout
from relationships.models import PersonSettings
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("relationships:settings")

# The email boxes each side of a relationship is offered, in the page's order.
PROTEGE_EMAILS = [
    "email_sharing_changed",
    "email_new_log",
    "email_relationship_changed",
    "email_goal_agreement",
    "email_video_comment",
    "email_step_due",
]
MENTOR_EMAILS = [
    "email_log_answered",
    "email_relationship_changed",
    "email_goal_proposed",
    "email_video_comment",
    "email_visit_reminder",
    "email_visit_unlogged",
    "email_first_deadline",
    "email_step_due",
    "email_mentor_digest",
]
COORDINATOR_EMAILS = ["email_coordinator_digest"]


def protege(**fields):
    """Someone a mentor supports: every email on the page concerns them."""
    return factories.SupportRelationshipFactory(
        **{f"protege__{name}": value for name, value in fields.items()}
    ).protege


def mentor():
    """A mentor supported by nobody: the emails about their relationships, the logs they write
    and the goals their protégés propose concern them; those about waiting logs do not."""
    return factories.SupportRelationshipFactory().mentor


def turned_off(person) -> set[str]:
    """The kinds of email `person` has turned off (none until they do)."""
    return set(Optout.objects.filter(user=person).values_list("kind", flat=True))


def test_emails_are_on_until_the_person_turns_them_off(client):
    person = protege()
    client.force_login(person)

    page = client.get(URL).content.decode()
    for name in PROTEGE_EMAILS:
        assert re.search(rf'name="{name}"[^>]*checked', page), name
    assert turned_off(person) == set()

    response = client.post(URL, {"email": person.email})

    assert response.status_code == 302
    assert turned_off(person) == {name.removeprefix("email_") for name in PROTEGE_EMAILS}
    assert PersonSettings.objects.get(user=person).calendar_enabled
    assert "Your settings are saved." in html.unescape(client.get(URL).content.decode())


def test_the_private_calendar_link_is_shown_and_a_new_one_replaces_it(client):
    person = factories.UserFactory()
    client.force_login(person)
    old = PersonSettings.for_user(person).calendar_token
    assert str(old) in client.get(URL).content.decode()

    response = client.post(URL, {"new_calendar_link": "1"}, follow=True)

    new = PersonSettings.objects.get(user=person).calendar_token
    page = html.unescape(response.content.decode())
    assert new != old
    assert str(new) in page
    assert str(old) not in page
    assert "The old one no longer works" in page
    assert client.get(f"/relationships/calendar/{old}.ics").status_code == 404


def test_each_person_changes_only_their_own_settings(client):
    person, other = protege(), protege()
    client.force_login(person)

    client.post(URL, {"email": person.email})

    assert turned_off(other) == set()
    assert "new_log" in turned_off(person)


def test_a_turned_off_email_shows_unticked(client):
    person = protege()
    Optout.objects.create(user=person, kind="goal_agreement")
    client.force_login(person)

    page = client.get(URL).content.decode()

    assert re.search(r'name="email_new_log"[^>]*checked', page)
    assert not re.search(r'name="email_goal_agreement"[^>]*checked', page)


def errors_next_to(page: str, field: str) -> str:
    """The error text crispy shows under one field."""
    match = re.search(rf'id="error_\d+_id_{field}"[^>]*>(.*?)</p>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))) if match else ""


def test_a_person_without_an_email_address_is_told_and_adds_one(client):
    person = protege(email="")
    client.force_login(person)
    page = html.unescape(client.get(URL).content.decode())
    assert "no emails can be sent to you until you add one" in page

    response = client.post(
        URL,
        {
            "email": " Maya.Lopez@Example.org ",
            "current_password": factories.TEST_PASSWORD,
            "email_goal_agreement": "on",
        },
        follow=True,
    )

    page = html.unescape(response.content.decode())
    assert "Your settings are saved." in page
    assert 'value="maya.lopez@example.org"' in page
    assert "no emails can be sent" not in page
    person.refresh_from_db()
    assert person.email == "maya.lopez@example.org"
    assert "goal_agreement" not in turned_off(person) and "new_log" in turned_off(person)


def test_a_person_changes_their_email_address(client):
    person = factories.UserFactory(email="old@example.org")
    client.force_login(person)
    assert 'value="old@example.org"' in client.get(URL).content.decode()

    client.post(
        URL,
        {
            "email": "new@example.org",
            "current_password": factories.TEST_PASSWORD,
            "email_new_log": "on",
        },
    )

    person.refresh_from_db()
    assert person.email == "new@example.org"


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("", "Enter your current password to change your email address."),
        ("not-my-password", "That is not your current password."),
    ],
)
def test_a_new_address_takes_the_current_password(client, password, message):
    """Whoever holds an open session cannot send the account's password resets elsewhere."""
    person = protege(email="mine@example.org")
    client.force_login(person)

    response = client.post(URL, {"email": "someone-else@example.org", "current_password": password})

    page = response.content.decode()
    assert message in errors_next_to(page, "current_password")
    assert 'value="someone-else@example.org"' in page
    person.refresh_from_db()
    assert person.email == "mine@example.org"
    assert turned_off(person) == set()  # nothing saved, though every box came unticked


def test_the_emails_change_without_a_password_when_the_address_stays(client):
    person = protege(email="mine@example.org")
    client.force_login(person)

    client.post(URL, {"email": "Mine@Example.org", "email_goal_agreement": "on"})

    assert "goal_agreement" not in turned_off(person) and "new_log" in turned_off(person)


def test_an_address_another_account_uses_is_refused_and_nothing_typed_is_lost(client):
    factories.UserFactory(email="taken@example.org")
    person = protege(email="mine@example.org")
    client.force_login(person)

    response = client.post(
        URL,
        {
            "email": "Taken@Example.org",
            "current_password": factories.TEST_PASSWORD,
            "email_goal_agreement": "on",
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Another account already uses this email address" in errors_next_to(page, "email")
    assert 'value="Taken@Example.org"' in page
    assert re.search(r'name="email_goal_agreement"[^>]*checked', page)
    assert not re.search(r'name="email_new_log"[^>]*checked', page)
    person.refresh_from_db()
    assert person.email == "mine@example.org"
    assert turned_off(person) == set()  # nothing saved


def test_an_inactive_accounts_address_can_be_taken(client):
    factories.UserFactory(email="left@example.org", is_active=False)
    person = factories.UserFactory(email="")
    client.force_login(person)

    client.post(URL, {"email": "left@example.org", "current_password": factories.TEST_PASSWORD})

    person.refresh_from_db()
    assert person.email == "left@example.org"


def test_a_malformed_address_is_refused_next_to_the_field(client):
    person = protege(email="")
    client.force_login(person)

    response = client.post(URL, {"email": "maya at school", "email_goal_agreement": "on"})

    page = response.content.decode()
    assert "Enter a valid email address." in errors_next_to(page, "email")
    assert 'value="maya at school"' in page
    assert re.search(r'name="email_goal_agreement"[^>]*checked', page)
    assert not re.search(r'name="email_new_log"[^>]*checked', page)
    assert turned_off(person) == set()  # nothing saved
    person.refresh_from_db()
    assert person.email == ""


def test_an_address_cannot_be_removed_only_replaced(client):
    person = factories.UserFactory(email="mine@example.org")
    client.force_login(person)

    response = client.post(URL, {"email": ""})

    assert "Enter your email address" in errors_next_to(response.content.decode(), "email")
    person.refresh_from_db()
    assert person.email == "mine@example.org"


def test_keeping_an_address_another_account_also_has_still_saves(client):
    """Old data may hold two accounts with one address: the check is on a change only."""
    factories.UserFactory(email="shared@example.org")
    person = protege(email="Shared@example.org")
    client.force_login(person)

    response = client.post(URL, {"email": "Shared@example.org"})

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email == "Shared@example.org"
    assert "new_log" in turned_off(person)


def choices(page: str) -> list[str]:
    """The email boxes a person is offered."""
    return re.findall(r'<input type="checkbox" name="(email_\w+)"', page)


def test_each_person_is_offered_only_the_emails_that_concern_them(client):
    """A log waits for a protégé's acknowledgement, and only a mentor's log is answered; a goal
    waits for the protégé's agreement (the mentor proposed it) or the mentor's (a protégé
    proposed it), each with its own box; both sides hear when their relationship changes, and
    only protégés when the program changes who may read shared logs. Someone supported by
    nobody is never asked about waiting logs."""
    people = {
        "protege": protege(),
        "mentor": mentor(),
        "coordinator": factories.ProgramFactory.create(
            coordinators=[factories.UserFactory()]
        ).coordinators.get(),
        "nobody": factories.UserFactory(),
    }
    offered = {}
    for role, person in people.items():
        client.force_login(person)
        offered[role] = choices(client.get(URL).content.decode())

    assert offered == {
        "protege": PROTEGE_EMAILS,
        "mentor": MENTOR_EMAILS,
        "coordinator": COORDINATOR_EMAILS,
        "nobody": [],
    }
    page = html.unescape(client.get(URL).content.decode())
    assert "You take part in no mentoring or coaching at the moment, so none are sent" in page
    assert "Save my settings" in page  # the email address stays theirs to change


def test_saving_keeps_the_emails_a_person_is_not_offered(client):
    person = mentor()
    Optout.objects.create(user=person, kind="new_log")
    client.force_login(person)

    client.post(URL, {"email": person.email})  # the goal email unticked

    assert "new_log" in turned_off(person)  # not offered, so as it was
    assert "goal_proposed" in turned_off(person)
    other = mentor()
    client.force_login(other)
    client.post(URL, {"email": other.email, "email_goal_proposed": "on"})
    assert "new_log" not in turned_off(other)  # the default, unchanged
    assert "goal_proposed" not in turned_off(other)


def calendar_card(page: str) -> str:
    return page[page.index('id="calendar-heading"') :]


def test_the_calendar_feed_is_turned_off_and_on_in_the_calendar_card(client):
    person = mentor()
    client.force_login(person)
    token = PersonSettings.for_user(person).calendar_token
    feed = f"/relationships/calendar/{token}.ics"
    page = html.unescape(client.get(URL).content.decode())
    assert 'name="calendar_enabled"' not in page[: page.index('id="calendar-heading"')]
    assert "Turn my calendar feed off" in calendar_card(page)

    response = client.post(URL, {"part": "calendar"}, follow=True)

    page = html.unescape(response.content.decode())
    assert "Your calendar feed is off: your calendar link shows nothing." in page
    assert "Turn my calendar feed on" in calendar_card(page)
    assert client.get(feed).status_code == 404
    saved = PersonSettings.objects.get(user=person)
    assert not saved.calendar_enabled
    assert turned_off(person) == set() and saved.calendar_token == token  # the rest as it was

    response = client.post(URL, {"part": "calendar", "calendar_enabled": "on"}, follow=True)

    assert "Your calendar feed is on" in html.unescape(response.content.decode())
    assert client.get(feed).status_code == 200


def test_saving_the_emails_leaves_the_calendar_feed_as_it_is(client):
    person = protege()
    factories.PersonSettingsFactory(user=person, calendar_enabled=False)
    client.force_login(person)

    client.post(URL, {"email": person.email, "email_new_log": "on"})

    assert not PersonSettings.objects.get(user=person).calendar_enabled
    assert "new_log" not in turned_off(person) and "goal_agreement" in turned_off(person)


def test_the_settings_page_runs_the_same_queries_for_every_role(client):
    """Which emails to offer comes from the session: knowing the roles costs no query."""
    counts = []
    for person in (protege(), factories.UserFactory()):
        client.force_login(person)
        client.get(URL)  # the settings row exists from here on
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    ("make", "boxes"),
    [(protege, PROTEGE_EMAILS), (mentor, MENTOR_EMAILS)],
    ids=["protege", "mentor"],
)
def test_each_box_turns_its_email_off_and_on_again(client, make, boxes):
    person = make()
    client.force_login(person)
    for box in boxes:
        kind = box.removeprefix("email_")
        others = dict.fromkeys([other for other in boxes if other != box], "on")

        response = client.post(URL, {"email": person.email, **others}, follow=True)

        page = response.content.decode()
        assert "Your settings are saved." in html.unescape(page)
        assert turned_off(person) == {kind}
        assert not re.search(rf'name="{box}"[^>]*checked', page)
        assert all(re.search(rf'name="{other}"[^>]*checked', page) for other in others)

        client.post(URL, {"email": person.email, **dict.fromkeys(boxes, "on")})

        assert turned_off(person) == set()
        assert re.search(rf'name="{box}"[^>]*checked', client.get(URL).content.decode())
