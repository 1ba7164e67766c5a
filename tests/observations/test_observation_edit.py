"""The mentor or coach who made an observation corrects it through its page: a score, a look-for,
a note, the day. Each version is kept; an edit made in between is never overwritten unseen;
the protégé reads it but may not change it, and everyone else gets a 404."""

import datetime
import re

import pytest

from core import clock
from observations.models import Observation, ObservationScore
from observations.services import observation_record
from tests.factories import UserFactory, VisitFactory
from tests.observations.world import checklist, observe, pair

pytestmark = pytest.mark.django_db


def edit_url(observation: Observation) -> str:
    return f"/observations/{observation.code}/edit/"


def form_data(page: str) -> dict:
    """The form as the browser would send it back, unchanged: its version, the day, the
    visit, the checked radio buttons and boxes, and the notes."""
    data: dict = {}
    for name, value in re.findall(r'<input type="hidden" name="(version)" value="([^"]*)"', page):
        data[name] = value
    day = re.search(r'name="observed_on" value="([^"]*)"', page)
    data["observed_on"] = day.group(1) if day else ""
    for tag in re.findall(r"<input[^>]*checked[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag).group(1)
        value = re.search(r'value="([^"]*)"', tag).group(1)
        data.setdefault(name, []).append(value)
    for name, text in re.findall(r'<textarea name="([^"]+)"[^>]*>\n?(.*?)</textarea>', page, re.S):
        data[name] = text
    select = re.search(r'<select name="visit".*?</select>', page, re.S)
    chosen = re.search(r'<option value="([^"]*)" selected>', select.group(0)) if select else None
    data["visit"] = chosen.group(1) if chosen else ""
    return data


def checklist_observation(seen: tuple[str, ...]):
    """A checklist observation with these look-fors of "Before reading" seen: (relationship,
    observation, the domain, its two look-fors)."""
    relationship, _, _ = pair()
    tool = checklist(relationship.program)
    before = tool.domains.get(name="Before reading")
    items = tuple(before.items.order_by("order"))
    observation = observation_record(
        relationship=relationship,
        tool=tool,
        by=relationship.mentor,
        observed_on=clock.today(),
        seen={item.pk for item in items if item.text in seen},
    )
    return relationship, observation, before, items


def test_the_mentor_corrects_a_score_and_a_note_and_the_first_version_is_kept(client):
    relationship, tool, _ = pair()
    observation = observe(relationship, tool, [5, None, 6], note="Calm start.")
    warm, managing, thinking = tool.domains.order_by("order")
    client.force_login(relationship.mentor)

    detail = client.get(observation.get_absolute_url()).content.decode()
    assert edit_url(observation) in detail and "Correct this observation" in detail
    assert "corrected on" not in detail
    page = client.get(edit_url(observation)).content.decode()
    data = form_data(page)
    assert data[f"score_{warm.pk}"] == ["5"] and data[f"score_{managing.pk}"] == [""]
    data.update({f"score_{warm.pk}": "4", f"score_{managing.pk}": "3", "note": "Calm, warm start."})
    response = client.post(edit_url(observation), data)

    assert response.status_code == 302 and response.url == observation.get_absolute_url()
    detail = client.get(response.url).content.decode()
    assert "4 of 7" in detail and "3 of 7" in detail and "6 of 7" in detail
    assert "Calm, warm start." in detail and "Your changes are saved." in detail
    today = clock.today()
    assert f"corrected on {today:%b} {today.day}, {today.year}" in detail  # for the protégé too
    scores = dict(ObservationScore.objects.values_list("domain__name", "score"))
    assert scores == {warm.name: 4, managing.name: 3, thinking.name: 6}
    first = observation.scores.get(domain=warm).history.order_by("history_date").first()
    assert first.score == 5  # the version before the correction is kept
    assert observation.history.count() == 2


def test_a_checklist_look_for_ticked_by_mistake_is_unticked_and_its_share_follows(client):
    relationship, observation, before, (purpose, preview) = checklist_observation(
        seen=("Sets a purpose", "Previews new words")
    )
    client.force_login(relationship.mentor)
    data = form_data(client.get(edit_url(observation)).content.decode())
    assert sorted(data[f"seen_{before.pk}"]) == sorted([str(purpose.pk), str(preview.pk)])

    data[f"seen_{before.pk}"] = [str(purpose.pk)]
    client.post(edit_url(observation), data)

    assert observation.scores.get(domain=before).score == 50
    detail = client.get(observation.get_absolute_url()).content.decode()
    assert "50% seen" in detail


def test_bad_input_is_explained_next_to_the_field_and_nothing_is_lost(client):
    relationship, tool, _ = pair()
    observation = observe(relationship, tool, [5, 4, 6])
    client.force_login(relationship.mentor)
    data = form_data(client.get(edit_url(observation)).content.decode())
    tomorrow = clock.today() + datetime.timedelta(days=1)
    data.update(observed_on=tomorrow.isoformat(), note="Typed and kept")

    page = client.post(edit_url(observation), data).content.decode()

    assert "An observation is recorded on or after the day it was made." in page
    assert "Typed and kept" in page
    assert Observation.objects.get().observed_on == observation.observed_on


def test_an_edit_saved_in_between_is_shown_not_overwritten_and_saving_again_wins(client):
    relationship, tool, _ = pair()
    observation = observe(relationship, tool, [5, 4, 6])
    warm = tool.domains.order_by("order").first()
    client.force_login(relationship.mentor)
    first_tab = form_data(client.get(edit_url(observation)).content.decode())
    second_tab = dict(first_tab)
    second_tab[f"score_{warm.pk}"] = "2"
    client.post(edit_url(observation), second_tab)

    first_tab[f"score_{warm.pk}"] = "7"
    page = client.post(edit_url(observation), first_tab).content.decode()

    assert "Someone else saved this while you were editing" in page
    assert observation.scores.get(domain=warm).score == 2  # nothing overwritten
    again = form_data(page)
    assert again[f"score_{warm.pk}"] == ["7"]  # what was typed is still in the form
    client.post(edit_url(observation), again)
    assert observation.scores.get(domain=warm).score == 7


def test_the_protege_may_not_correct_it_and_others_do_not_see_it(client):
    relationship, tool, coordinator = pair()
    observation = observe(relationship, tool, [5, 4, 6])
    client.force_login(relationship.protege)
    detail = client.get(observation.get_absolute_url()).content.decode()
    assert "Correct this observation" not in detail
    assert client.get(edit_url(observation)).status_code == 403
    for person in (coordinator, UserFactory()):
        client.force_login(person)
        assert client.get(edit_url(observation)).status_code == 404
        assert client.post(edit_url(observation), {"note": "x"}).status_code == 404
    assert Observation.objects.get().note == ""


def test_the_visit_it_was_made_at_is_kept_and_can_be_changed(client):
    relationship, tool, _ = pair()
    first = VisitFactory(relationship=relationship, logged=True, date=clock.today())
    second = VisitFactory(relationship=relationship, logged=True, date=clock.today())
    observation = observe(relationship, tool, [5, 4, 6], visit=first)
    client.force_login(relationship.mentor)
    data = form_data(client.get(edit_url(observation)).content.decode())
    assert data["visit"] == str(first.code)

    client.post(edit_url(observation), {**data, "note": "Same visit"})
    observation.refresh_from_db()
    assert (observation.visit, observation.note) == (first, "Same visit")

    stale = form_data(client.get(edit_url(observation)).content.decode())  # a tab left open
    moved = form_data(client.get(edit_url(observation)).content.decode())
    client.post(edit_url(observation), {**moved, "visit": str(second.code)})
    observation.refresh_from_db()
    assert observation.visit == second
    # The other tab still shows the first visit (same day): its save is caught, not applied.
    page = client.post(edit_url(observation), stale).content.decode()
    assert "Someone else saved this while you were editing" in page
    observation.refresh_from_db()
    assert observation.visit == second


def test_a_look_for_retired_since_is_still_on_the_form_of_an_observation_that_used_it(client):
    relationship, observation, before, (purpose, preview) = checklist_observation(
        seen=("Previews new words",)
    )
    type(preview).objects.filter(pk=preview.pk).update(retired_at=clock.now())
    client.force_login(relationship.mentor)

    page = client.get(edit_url(observation)).content.decode()
    assert "Previews new words" in page
    data = form_data(page)
    data[f"seen_{before.pk}"] = [str(purpose.pk), str(preview.pk)]
    client.post(edit_url(observation), data)

    assert observation.scores.get(domain=before).score == 100
