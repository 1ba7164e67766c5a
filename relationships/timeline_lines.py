"""The relationship page's timeline: what each event's line says, written once in Python.

A page holds 25 events, each with a date, a title, the visit's length and activities or the
goal's words, and a badge for its acknowledgements. Written by the template inside its loop
(a `|day` with a translated format, a `{% blocktranslate %}`, a `{% translate %}` and a list of
labels joined, at 6 to 20 µs each) they cost about 2 ms a page; here, a few microseconds a line
(docs/benchmarks.md, seventh round). The template only places them. Every text is a plain
string: the template escapes it.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.dates import calendar_day
from relationships.models import Visit
from relationships.selectors import TimelineEvent


@dataclass(frozen=True, slots=True)
class Badge:
    text: str
    style: str  # Bootstrap classes: "text-bg-success", "text-bg-light border", ...


@dataclass(frozen=True, slots=True)
class TimelineLine:
    kind: str  # "visit" or "goal"
    cancelled: bool
    iso_date: str
    day: str  # "Dec 4, 2026"
    title: str
    url: str  # the visit's page, or the goal's when its words may be read; else ""
    goal_title: str  # a goal event's goal ("" for a visit)
    facts: str  # a visit's length and activities: "45 min · Co-teaching, Observing"
    reason: str  # why a goal was closed, when its words may be read
    badges: tuple[Badge, ...]


def timeline_lines(
    events: Iterable[TimelineEvent], *, people: int, readable_goal_ids: set[int]
) -> list[TimelineLine]:
    """The lines of a page of the timeline. `people`: how many people the relationship supports
    (a log is acknowledged when every one of them has); `readable_goal_ids`: the goals whose
    words the reader may read (the others show their title, without a link)."""
    day_format = _("M j, Y")
    return [
        _visit_line(event, event.visit, people, day_format)
        if event.visit is not None
        else _goal_line(event, readable_goal_ids, day_format)
        for event in events
    ]


def _visit_line(event: TimelineEvent, visit: Visit, people: int, day_format: str) -> TimelineLine:
    cancelled = visit.status == Visit.Status.CANCELLED
    facts = []
    if visit.duration_minutes and not cancelled:
        facts.append(_("%(minutes)s min") % {"minutes": visit.duration_minutes})
    if visit.activities:
        facts.append(", ".join(visit.activity_labels()))
    return TimelineLine(
        kind=event.kind,
        cancelled=cancelled,
        iso_date=event.date.isoformat(),
        day=calendar_day(event.date, day_format),
        title=event.title,
        url=visit.get_absolute_url(),
        goal_title="",
        facts=" · ".join(facts),
        reason="",
        badges=_visit_badges(visit, people),
    )


def _visit_badges(visit: Visit, people: int) -> tuple[Badge, ...]:
    badges: list[Badge] = []
    if visit.is_incomplete:
        badges.append(Badge(_("Incomplete: observation without feedback"), "text-bg-warning"))
    if visit.status == Visit.Status.LOGGED:
        signed = getattr(visit, "acknowledged_by", 0)
        if signed >= people:
            badges.append(Badge(_("Acknowledged"), "text-bg-success"))
        elif signed:
            badges.append(
                Badge(
                    _("Acknowledged by %(done)s of %(all)s") % {"done": signed, "all": people},
                    "text-bg-light border",
                )
            )
        else:
            badges.append(Badge(_("Not yet acknowledged"), "text-bg-light border"))
    return tuple(badges)


def _goal_line(event: TimelineEvent, readable_goal_ids: set[int], day_format: str) -> TimelineLine:
    goal = event.goal
    assert goal is not None
    readable = goal.pk in readable_goal_ids
    return TimelineLine(
        kind=event.kind,
        cancelled=False,
        iso_date=event.date.isoformat(),
        day=calendar_day(event.date, day_format),
        title=event.title,
        url=goal.get_absolute_url() if readable else "",  # type: ignore[attr-defined]
        goal_title=goal.title,  # type: ignore[attr-defined]
        facts="",
        reason=_("Reason: %(reason)s") % {"reason": event.detail}
        if event.detail and readable
        else "",
        badges=(),
    )
