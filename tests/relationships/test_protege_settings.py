"""A person's own settings page: email notifications on and off, the private calendar link."""

import html
import re

import pytest
from django.urls import reverse

from relationships.models import PersonSettings
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("relationships:settings")


def test_emails_are_on_until_the_person_turns_them_off(client):
    person = factories.UserFactory()
    client.force_login(person)

    page = client.get(URL).content.decode()
    assert re.search(r'name="email_new_log"[^>]*checked', page)
    assert re.search(r'name="email_goal_agreement"[^>]*checked', page)

    response = client.post(URL, {"calendar_enabled": "on"})

    assert response.status_code == 302
    saved = PersonSettings.objects.get(user=person)
    assert not saved.email_new_log
    assert not saved.email_goal_agreement
    assert saved.calendar_enabled
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
    person, other = factories.UserFactory(), factories.UserFactory()
    factories.PersonSettingsFactory(user=other)
    client.force_login(person)

    client.post(URL, {})

    assert PersonSettings.objects.get(user=other).email_new_log
    assert not PersonSettings.objects.get(user=person).email_new_log


def test_a_turned_off_email_shows_unticked(client):
    person = factories.UserFactory()
    factories.PersonSettingsFactory(user=person, email_goal_agreement=False)
    client.force_login(person)

    page = client.get(URL).content.decode()

    assert re.search(r'name="email_new_log"[^>]*checked', page)
    assert not re.search(r'name="email_goal_agreement"[^>]*checked', page)
