"""The program year, at the relationships layer: closing a year completes its relationships,
and the next year may keep the matches of the people it carries over.

docs/design.md, "The program year"; programs/years.py has the rest of the rules.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from simple_history.utils import bulk_update_with_history

from core import clock
from programs import years as program_years
from programs.models import Program
from relationships import summary_refresh
from relationships.models import Pause, SupportRelationship
from relationships.services import relationship_create

YEAR_CLOSED_REASON = "The program year closed"

# What a kept match takes over from the relationship of the year before.
KEPT_FIELDS = (
    "kind",
    "meeting_arrangement",
    "visits_per_month",
    "minutes_per_month",
    "days_to_first_visit",
    "days_to_first_goal",
)


@transaction.atomic
def program_year_close(*, program: Program) -> Program:
    """Close the program's year: complete every open relationship and every current
    enrollment on the year's last day, and mark the program closed. Nothing is deleted. A
    program already closed is left as it is (a second click, or a stale page, does nothing).

    No email goes out: the relationships end together, as everyone knew they would."""
    program = program_years.locked(program)
    if program.is_closed:
        return program
    if program.is_archived:
        raise ValidationError(program.read_only_message)
    on = program_years.year_end_day(program, clock.today())
    relationships = list(SupportRelationship.objects.open().filter(program=program))
    for relationship in relationships:
        relationship.status = SupportRelationship.Status.COMPLETED
        relationship.ended_on = max(on, relationship.starts_on)
        relationship.end_reason = YEAR_CLOSED_REASON
    bulk_update_with_history(
        relationships,
        SupportRelationship,
        ["status", "ended_on", "end_reason"],
        batch_size=500,
    )
    Pause.objects.filter(relationship__program=program, ends_on__isnull=True).update(
        ends_on=Greatest(F("starts_on"), Value(on))
    )
    # Bulk writes send no signals: the monthly summaries of these relationships are recounted
    # by hand (they end today, and their pauses with them).
    summary_refresh.queue_refresh(relationship.pk for relationship in relationships)
    program_years.program_close_enrollments(program=program, on=on)
    return program_years.program_mark_closed(program=program, on=on)


def kept_matches(old: Program, person_ids: set[int]) -> list[SupportRelationship]:
    """The individual relationships the year's close completed whose mentor or coach and
    protégé are both among `person_ids` (one query)."""
    relationships = SupportRelationship.objects.filter(
        program=old,
        status=SupportRelationship.Status.COMPLETED,
        end_reason=YEAR_CLOSED_REASON,
        format=SupportRelationship.Format.INDIVIDUAL,
        mentor_id__in=person_ids,
        protege_id__in=person_ids,
    ).select_related("mentor", "protege")
    return list(relationships.order_by("pk"))


@transaction.atomic
def matches_keep(*, old: Program, new: Program, person_ids: set[int]) -> tuple[int, int]:
    """Start again, in `new`, the relationships of `old` that the year's close completed
    between people carried over: same mentor or coach, protégé and kind, starting with the new
    year. Returns how many were kept, and how many could not be (the firewall refused them,
    or the new year no longer offers their kind)."""
    starts_on: datetime.date = new.starts_on or clock.today()
    kept = refused = 0
    for relationship in kept_matches(old, person_ids):
        try:
            relationship_create(
                program=new,
                mentor=relationship.mentor,
                protege=relationship.protege,
                starts_on=starts_on,
                **{field: getattr(relationship, field) for field in KEPT_FIELDS},
            )
        except ValidationError:
            refused += 1
        else:
            kept += 1
    return kept, refused
