"""People leaving a program, and what happens to their relationships (docs/design.md,
"Turnover").

- A protégé who leaves: their open relationships in the program end with them, for the
  reason they left (completed when they completed the program, else ended early).
- A mentor or coach who leaves: their open relationships stay open until the coordinator
  decides, for each, who takes it over or that it ends (the reassign page,
  relationships/views/turnover.py). Until then the dashboard flags them
  (relationships/flags.py). A successor relationship is a new one, with the same protégé or
  team, kind and program, from today, that `continues` the old one; the old one ends.

Leaving itself is recorded by `programs.services.enrollment_leave`; `participant_leave` calls
it and ends what must end, in one transaction.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from core.names import person_name
from programs import services as program_services
from programs.models import Enrollment, Program, role_for_kind
from relationships import matching, services
from relationships.models import Kind, SupportRelationship

# The dosage a relationship may set for itself, which its successor keeps.
OWN_DOSAGE = ("visits_per_month", "minutes_per_month", "days_to_first_visit", "days_to_first_goal")


def mentor_left_reason(relationship: SupportRelationship) -> str:
    role = "coach" if relationship.kind == Kind.COACHING else "mentor"
    return f"The {role} left the program."


def protege_left_reason(leaving_reason: str) -> str:
    label = dict(Enrollment.LeavingReason.choices).get(leaving_reason, leaving_reason)
    return f"The protégé left the program: {label.lower()}."


@dataclass(frozen=True)
class Left:
    """What recording that someone left did: their enrollment, how many of their
    relationships ended with them (a protégé's), and how many wait for the coordinator (a
    mentor's or coach's open caseload in the program)."""

    enrollment: Enrollment
    ended: int
    to_reassign: int


def open_caseload(program: Program, mentor: User):
    """The open relationships of `mentor` in `program`, with their protégé or team, the
    earliest started first."""
    return (
        SupportRelationship.objects.open()
        .filter(program=program, mentor=mentor)
        .select_related("protege", "team", "mentor")
        .order_by("starts_on", "pk")
    )


def _bounded(day: datetime.date, relationship: SupportRelationship) -> datetime.date:
    """An end date for `relationship`: `day`, but not after today nor before it started."""
    return max(min(day, clock.today()), relationship.starts_on)


@transaction.atomic
def participant_leave(
    *,
    enrollment: Enrollment,
    reason: str,
    note: str = "",
    left_on: datetime.date | None = None,
) -> Left:
    """Record that someone left the program. A protégé's open relationships in it end now;
    a mentor's or coach's wait to be reassigned (`Left.to_reassign`)."""
    enrollment = program_services.enrollment_leave(
        enrollment=enrollment, reason=reason, note=note, left_on=left_on
    )
    program, person = enrollment.program, enrollment.person
    if enrollment.role != Enrollment.Role.PROTEGE:
        return Left(enrollment, ended=0, to_reassign=open_caseload(program, person).count())
    ended = 0
    relationships = SupportRelationship.objects.open().filter(program=program, protege=person)
    for relationship in relationships.select_related("mentor", "protege", "team"):
        services.relationship_end(
            relationship=relationship,
            reason=protege_left_reason(reason),
            completed=reason == Enrollment.LeavingReason.COMPLETED,
            ended_on=_bounded(enrollment.left_on or clock.today(), relationship),
        )
        ended += 1
    return Left(enrollment, ended=ended, to_reassign=0)


# Reassigning a caseload ---------------------------------------------------------------------

END = "end"  # the decision to end a relationship without a successor


@dataclass(frozen=True)
class Decision:
    """What becomes of one relationship: `successor` takes it over, or (None) it ends."""

    relationship: SupportRelationship
    successor: User | None


class CaseloadRefused(Exception):
    """Some decisions could not be carried out, so none was: the reasons, by relationship id."""

    def __init__(self, errors: dict[int, list[str]]):
        super().__init__(f"{len(errors)} relationship(s) refused")
        self.errors = errors


def _old_ends(relationship: SupportRelationship, ended_on: datetime.date) -> None:
    """End the relationship its mentor left: completed when its planned end has come, else
    ended early."""
    ended_on = _bounded(ended_on, relationship)
    planned = relationship.planned_end_on
    services.relationship_end(
        relationship=relationship,
        reason=mentor_left_reason(relationship),
        completed=planned is not None and planned <= ended_on,
        ended_on=ended_on,
    )


def _check_successor(relationship: SupportRelationship, successor: User) -> None:
    program = relationship.program
    assert program is not None  # only program relationships are reassigned
    if successor.pk == relationship.mentor_id:
        raise ValidationError(
            _("%(name)s is the one who left: choose someone else.")
            % {"name": person_name(successor)}
        )
    if not matching.eligible_mentors(program, relationship.kind).filter(pk=successor.pk).exists():
        role = Enrollment.Role(role_for_kind(relationship.kind)).label.lower()
        raise ValidationError(
            _("%(name)s is not enrolled as a %(role)s in %(program)s.")
            % {"name": person_name(successor), "role": role, "program": program.name}
        )


def _take_over(
    relationship: SupportRelationship, successor: User, ended_on: datetime.date | None
) -> SupportRelationship:
    """End `relationship` and start its successor with `successor` as mentor or coach, from
    today: the same protégé or team, kind, program, meeting arrangement, planned end (when
    still ahead) and dosage. Both sides of each are told (relationships/notifications.py)."""
    _check_successor(relationship, successor)
    services.check_firewall(
        mentor=successor,
        people=services.supported_people(protege=relationship.protege, team=relationship.team),
    )
    today = clock.today()
    _old_ends(relationship, ended_on or today)
    planned = relationship.planned_end_on
    return services.relationship_create(
        mentor=successor,
        kind=relationship.kind,
        program=relationship.program,
        protege=relationship.protege,
        team=relationship.team,
        meeting_arrangement=relationship.meeting_arrangement,
        starts_on=today,
        planned_end_on=planned if planned is not None and planned >= today else None,
        continues=relationship,
        **{name: getattr(relationship, name) for name in OWN_DOSAGE},
    )


def _locked(relationships: list[SupportRelationship]) -> dict[int, SupportRelationship]:
    """The relationships as saved now, by id, their rows locked (in one query): two
    coordinators deciding at once cannot both take one over."""
    return (
        SupportRelationship.objects.select_for_update(of=("self",))
        .select_related("program", "mentor", "protege", "team")
        .in_bulk([r.pk for r in relationships])
    )


@transaction.atomic
def caseload_settle(
    *, decisions: list[Decision], ended_on: datetime.date | None = None
) -> list[SupportRelationship]:
    """Carry out every decision, or none: when any is refused, nothing is saved and
    `CaseloadRefused` says why, for each refused one. A successor takes over (a new
    relationship that `continues` the old one); without one, the relationship ends. Either
    way the old one ends `ended_on` (the day the mentor left; today at the latest), completed
    when its planned end had come, else ended early. What each became: the successor, or the
    ended relationship."""
    errors: dict[int, list[str]] = {}
    done = []
    locked = _locked([decision.relationship for decision in decisions])
    for decision in decisions:
        relationship = locked.get(decision.relationship.pk)
        try:
            if relationship is None or not relationship.is_open:
                raise ValidationError(_("This relationship has ended already."))
            with transaction.atomic():
                if decision.successor is None:
                    _old_ends(relationship, ended_on or clock.today())
                    done.append(relationship)
                else:
                    done.append(_take_over(relationship, decision.successor, ended_on))
        except ValidationError as error:
            errors[decision.relationship.pk] = error.messages
    if errors:
        raise CaseloadRefused(errors)
    return done
