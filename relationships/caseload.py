"""The caseload page's cards: what each relationship's card says, written once in Python.

A card holds some twenty pieces of text: labels, two dates, counts in words, what is due, the
links and their words for screen readers. Written by the template inside its loop, each costs
6 to 20 µs (a `{% translate %}` makes a lazy string and forces it, a `|day` with a translated
format, a `{% blocktranslate %}`, a choice's label), some 8 ms of a page of 25 cards; written
here, about a microsecond each. The template only places them (docs/benchmarks.md, seventh
round). Every text is a plain string: the template escapes it.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.dates import calendar_day
from core.urltools import code_url
from programs.models import Program, ProtegeProfile
from relationships.models import SupportRelationship
from relationships.selectors import CaseloadRow, caseload_rows

if TYPE_CHECKING:
    from relationships.selectors import CaseloadRelationship


@dataclass(frozen=True, slots=True)
class DueLine:
    text: str  # "Overdue: " included when it is
    overdue: bool


@dataclass(frozen=True, slots=True)
class Card:
    """One relationship of the caseload, as its card shows it."""

    program: Program | None  # the cards are grouped by program
    name: str  # the protégé's or the team's
    url: str
    subtitle: str  # "Classroom team", the protégé's career stage, or "Protégé"
    is_coaching: bool
    kind: str  # "Coaching", "Mentoring"
    status: str  # "Paused", "Proposed"; "" when active
    is_open: bool
    last_visit: str
    next_visit: str
    open_goals: int
    awaiting: str  # "2 awaiting your agreement", or ""
    unacknowledged: str  # "3 logs", or "None"
    due: tuple[DueLine, ...]
    log_url: str
    schedule_url: str
    log_for: str  # the buttons' words for a screen reader: "with Ana Ruiz"
    schedule_for: str


def caseload_cards(
    relationships: "Sequence[CaseloadRelationship]", *, today: datetime.date
) -> list[Card]:
    """The cards of a page of `selectors.caseload_for` (its three queries, none more)."""
    return [_card(row) for row in caseload_rows(relationships, today=today)]


def _card(row: CaseloadRow) -> Card:
    relationship = row.relationship
    name = relationship.supported_name
    visits, goals, waiting = row.visits, row.goals, row.logs_unacknowledged
    return Card(
        program=relationship.program,
        name=name,
        url=relationship.get_absolute_url(),
        subtitle=_subtitle(relationship, row.career_stage),
        is_coaching=relationship.kind == SupportRelationship.Kind.COACHING,
        kind=str(SupportRelationship.Kind(relationship.kind).label),
        status=""
        if relationship.status == SupportRelationship.Status.ACTIVE
        else str(SupportRelationship.Status(relationship.status).label),
        is_open=relationship.is_open,
        last_visit=calendar_day(visits.last_visit_on, _("M j"))
        if visits.last_visit_on
        else _("None yet"),
        next_visit=calendar_day(visits.next_visit_on, _("D M j"))
        if visits.next_visit_on
        else _("Not scheduled"),
        open_goals=goals.open_goals,
        awaiting=_("%(count)s awaiting your agreement") % {"count": goals.goals_awaiting_mentor}
        if goals.goals_awaiting_mentor
        else "",
        unacknowledged=ngettext("%(logs)s log", "%(logs)s logs", waiting) % {"logs": waiting}
        if waiting
        else _("None"),
        due=tuple(
            DueLine(
                _("Overdue: %(text)s") % {"text": item.text} if item.overdue else item.text,
                item.overdue,
            )
            for item in row.due
        ),
        log_url=code_url("relationships:visit_log_new", relationship.code),
        schedule_url=code_url("relationships:visit_schedule", relationship.code),
        log_for=_("with %(name)s") % {"name": name},
        schedule_for=_("a visit with %(name)s") % {"name": name},
    )


def _subtitle(relationship: SupportRelationship, career_stage: str) -> str:
    if relationship.is_team:
        return _("Classroom team")
    if career_stage:
        return str(ProtegeProfile.CareerStage(career_stage).label)
    return _("Protégé")
