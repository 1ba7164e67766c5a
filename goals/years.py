"""Starting the next program year: the copy of the program (programs/years.py), its goal
templates, the participants carried over and, if wanted, their matches
(relationships/years.py), in one transaction. docs/design.md, "The program year"."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from goals.models import GoalTemplate
from programs import years as program_years
from programs.models import Program
from relationships import years as relationship_years

# What the next year's templates take over from this year's.
TEMPLATE_FIELDS = ("title", "description", "focus_area", "suggested_measure", "required")


@dataclass(frozen=True)
class NextYear:
    program: Program
    carried: int
    matches_kept: int
    matches_refused: int


def goal_templates_copy(*, old: Program, new: Program) -> int:
    """Copy the templates in use (not retired) to the next year; returns how many."""
    templates = GoalTemplate.objects.filter(program=old, retired_at__isnull=True).order_by("pk")
    copies = [
        GoalTemplate(program=new, **{field: getattr(template, field) for field in TEMPLATE_FIELDS})
        for template in templates
    ]
    for copy in copies:
        copy.save()
    return len(copies)


@transaction.atomic
def program_next_year(
    *,
    program: Program,
    by: User,
    name: str,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    carried_ids: Iterable[int],
    graduate_ids: Iterable[int],
    keep_matches: bool,
) -> NextYear:
    """Start the next year of a closed program (see the modules named above for the rules)."""
    new = program_years.program_copy(
        program=program, by=by, name=name, starts_on=starts_on, ends_on=ends_on
    )
    goal_templates_copy(old=program, new=new)
    enrollments = program_years.participants_carry(
        old=program, new=new, carried_ids=carried_ids, graduate_ids=graduate_ids
    )
    kept = refused = 0
    if keep_matches:
        person_ids = {enrollment.person_id for enrollment in enrollments}
        kept, refused = relationship_years.matches_keep(old=program, new=new, person_ids=person_ids)
    return NextYear(new, len(enrollments), kept, refused)
