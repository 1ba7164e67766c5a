"""The goal page's progress chart: its points carry their dates, so the chart places them by
date (three days narrower than two weeks), against the target; the table shows the same."""

import datetime
import json
import re
from decimal import Decimal

import pytest

from tests.factories import GoalFactory, ProgressEntryFactory

pytestmark = pytest.mark.django_db


def test_points_carry_their_dates_in_order(client):
    goal = GoalFactory(agreed=True, target=Decimal("8"), baseline=Decimal("2"))
    start = datetime.date(2026, 10, 16)
    for days, value in ((17, "6"), (0, "3"), (3, "5")):
        ProgressEntryFactory(
            goal=goal, date=start + datetime.timedelta(days=days), value=Decimal(value)
        )
    client.force_login(goal.relationship.mentor)
    page = client.get(goal.get_absolute_url()).content.decode()
    chart = json.loads(
        re.search(r'id="goal-progress-data" type="application/json">(.*?)</script>', page).group(1)
    )
    assert chart["dates"] == ["2026-10-16", "2026-10-19", "2026-11-02"]
    assert chart["values"] == [3.0, 5.0, 6.0]
    assert (chart["target"], chart["baseline"]) == (8.0, 2.0)
    # The table beside the chart lists the same points.
    assert [cell for cell in re.findall(r"<tr><td>([^<]+)</td>", page)] == [
        "Oct 16, 2026",
        "Oct 19, 2026",
        "Nov 2, 2026",
    ]
