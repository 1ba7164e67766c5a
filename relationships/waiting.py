"""Protégés waiting for a match: enrolled in a program, with no open relationship in it, alone
or in a classroom team. They have waited since they joined, or since their last relationship
in the program ended, whichever is later. The dashboard lists them (reports/dashboard.py) and
the coordinators' weekly digest names them (nudges/selectors.py): one rule for both."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import DateField, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from core.names import person_name
from programs.models import Enrollment
from relationships.models import SupportRelationship


def _last_ended(relationships: QuerySet[SupportRelationship]) -> Subquery:
    ended = relationships.filter(ended_on__isnull=False).order_by("-ended_on")
    return Subquery(ended.values("ended_on")[:1], output_field=DateField())


def waiting_for_match(program_ids: list[int]) -> QuerySet[Enrollment]:
    """The current protégé enrollments of these programs with no open relationship there, with
    `waiting_since` (a date), the longest waiting first: one query, whatever their number."""
    in_program = {"program": OuterRef("program")}
    alone = SupportRelationship.objects.filter(**in_program, protege=OuterRef("person"))
    in_team = SupportRelationship.objects.filter(**in_program, team__members=OuterRef("person"))
    return (
        Enrollment.objects.current()
        .filter(program__in=program_ids, role=Enrollment.Role.PROTEGE)
        .exclude(Exists(alone.open()))
        .exclude(Exists(in_team.open()))
        .annotate(
            waiting_since=Greatest(
                "joined_on",
                Coalesce(_last_ended(alone), "joined_on"),
                Coalesce(_last_ended(in_team), "joined_on"),
                output_field=DateField(),
            )
        )
        .select_related("person")
        .order_by("waiting_since", "person__last_name", "person__first_name", "pk")
    )


@dataclass(frozen=True)
class Waiting:
    """A protégé waiting for a match in a program, since when, and for how many days."""

    enrollment: Enrollment
    since: datetime.date
    days: int

    @property
    def name(self) -> str:
        return person_name(self.enrollment.person)


def waiting_order(program_ids: list[int]) -> tuple[tuple[int, datetime.date], ...]:
    """The enrollments of `waiting_for_match`, as (id, waiting since), in its order (one
    query): what the dashboard keeps (reports/kept_rows.py) and pages through."""
    waiting: Any = waiting_for_match(program_ids)  # `waiting_since` is an annotation
    return tuple(waiting.values_list("pk", "waiting_since"))


def waiting_rows_by_id(
    waiting: Iterable[tuple[int, datetime.date]], *, today: datetime.date
) -> list[Waiting]:
    """The rows of a page of `waiting_order`, with their people (one query; none for an empty
    page)."""
    waiting = list(waiting)
    if not waiting:
        return []
    found = Enrollment.objects.select_related("person").in_bulk([pk for pk, _ in waiting])
    return [
        Waiting(enrollment=found[pk], since=since, days=max((today - since).days, 0))
        for pk, since in waiting
        if pk in found
    ]


def waiting_rows(enrollments: Iterable[Any], *, today: datetime.date) -> list[Waiting]:
    """The rows of `waiting_for_match` (or of a page of it), with their days (no queries)."""
    return [
        Waiting(
            enrollment=enrollment,
            since=enrollment.waiting_since,
            days=max((today - enrollment.waiting_since).days, 0),
        )
        for enrollment in enrollments
    ]
