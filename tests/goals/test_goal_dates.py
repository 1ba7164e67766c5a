"""Goal dates that cannot be true, refused next to the field with nothing saved: a progress
point in the future, an action step due before its goal was written. Days are the program's
(America/New_York), not UTC's."""

import datetime
import html as html_module
import re

import pytest
import time_machine
from django.urls import reverse

from tests.clock import BOUNDARIES, NEW_YORK
from tests.factories import GoalFactory, in_days

pytestmark = pytest.mark.django_db


def _words(html: str) -> str:
    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _field(response, field_id: str) -> str:
    """One field's block (label, input, its messages), as HTML."""
    html = response.content.decode()
    start = html.index(f'id="div_{field_id}"')
    end = html.find('id="div_', start + 1)
    return html[start : end if end > 0 else None]


def _record(client, goal, date: datetime.date, value: str = "7"):
    return client.post(
        reverse("goals:progress", args=[goal.code]),
        {"progress-date": date.isoformat(), "progress-value": value, "progress-note": "Tally"},
    )


# Progress points ---------------------------------------------------------------------------------


def test_a_progress_point_today_is_recorded_and_tomorrow_is_refused(boundary, client):
    goal = GoalFactory(agreed=True)
    client.force_login(goal.relationship.protege)

    response = _record(client, goal, in_days(1), value="12")

    field = _field(response, "id_progress-date")
    assert "A progress point can't be in the future" in _words(field)
    assert "is-invalid" in field
    assert 'value="12"' in response.content.decode()  # nothing typed is lost
    assert not goal.progress_entries.exists()

    assert _record(client, goal, in_days(0)).status_code == 302
    assert list(goal.progress_entries.values_list("date", flat=True)) == [in_days(0)]


def test_on_new_years_eve_evening_the_day_is_the_programs_not_utcs(client):
    with time_machine.travel(BOUNDARIES["new-years-eve"], tick=False):
        goal = GoalFactory(agreed=True)
        client.force_login(goal.relationship.mentor)

        # 21:30 in New York is already January 1 in UTC; the program's day is December 31.
        refused = _record(client, goal, datetime.date(2027, 1, 1))
        assert (
            "A progress point can't be in the future: record it on the day it was counted "
            "(today is December 31)." in _words(_field(refused, "id_progress-date"))
        )
        assert _record(client, goal, datetime.date(2026, 12, 31)).status_code == 302


# Action steps -----------------------------------------------------------------------------------


def _add_step(client, goal, due_on: datetime.date, what: str = "Post the partner chart"):
    return client.post(
        reverse("goals:step_add", args=[goal.code]),
        {"step-who": "protege", "step-what": what, "step-due_on": due_on.isoformat()},
    )


def test_a_step_due_before_the_goal_was_written_is_refused(boundary, client):
    # Written at 21:30 in New York three days ago: in UTC, already the next day.
    written = datetime.datetime.combine(in_days(-3), datetime.time(21, 30), tzinfo=NEW_YORK)
    goal = GoalFactory(agreed=True, created_at=written)
    client.force_login(goal.relationship.mentor)

    response = _add_step(client, goal, in_days(-4), what="Bring the timer")

    field = _field(response, "id_step-due_on")
    day = in_days(-3)
    written_on = f"{day:%B} {day.day}" + ("" if day.year == in_days(0).year else f", {day.year}")
    message = f"This goal was written on {written_on}: a step can't be due before that."
    assert message in _words(field)
    assert 'value="Bring the timer"' in response.content.decode()
    assert not goal.action_steps.exists()

    # The day it was written (and any day since, even gone by) is fine.
    assert _add_step(client, goal, in_days(-3)).status_code == 302
    assert goal.action_steps.count() == 1
