"""What a goal's progress chart draws: the data points by date against the target, as the JSON
that static/js/site.js's line chart reads (`json_script`), on the goal page and on the
protégé's goals alike."""

from collections.abc import Sequence
from typing import NotRequired, TypedDict

from django.utils.translation import gettext as _

from goals.models import Goal, ProgressEntry

AXIS_UNIT_MAX = 12  # a longer unit would crowd the axis of a small chart


class ProgressChart(TypedDict):
    """The chart's data, with the keys static/js/site.js reads, in its spelling."""

    dates: list[str]
    values: list[float]
    label: str
    title: str
    unit: str
    target: NotRequired[float]
    targetLabel: NotRequired[str]
    baseline: NotRequired[float]
    baselineLabel: NotRequired[str]


def progress_chart(
    goal: Goal, entries: Sequence[ProgressEntry], *, compact: bool = False
) -> ProgressChart:
    """The line of `entries` (the goal's progress, by date) with its target and baseline.

    `compact`: for a small chart, the unit is left off the axis when it is long."""
    data: ProgressChart = {
        "dates": [entry.date.isoformat() for entry in entries],
        "values": [float(entry.value) for entry in entries],
        "label": goal.unit.capitalize() if goal.unit else _("Progress"),
        "title": _("Progress towards: %(title)s") % {"title": goal.title},
        "unit": goal.unit,
    }
    if compact and len(goal.unit) > AXIS_UNIT_MAX:
        data["unit"] = ""
    if goal.target is not None:
        data["target"] = float(goal.target)
        data["targetLabel"] = _("Target")
    if goal.baseline is not None:
        data["baseline"] = float(goal.baseline)
        data["baselineLabel"] = _("Baseline")
    return data
