"""The program year, at the programs layer: closing a year's enrollments, proposing the next
year's name and dates, copying the program, and carrying its people over.

The whole close and the whole start of the next year are `relationships.years` and
`goals.years`, which call these for the part this app owns (docs/design.md, "The program year").

Rules enforced here:
- closing completes every current enrollment on the year's last day ("Completed the program",
  noted `YEAR_CLOSED_NOTE`), so the retention figures count them as completed; nothing is
  deleted, and a closed program is read-only (`Program.is_read_only`);
- the next year is a copy of every configuration field (`PROGRAM_FIELDS`, one list), the role
  descriptions and the coordinators, linked back to its year (`Program.previous`); a year has
  one next year;
- the continuing participants are those the close completed; a resident carried over advances a
  year (1 to 2, 2 to 3), and a year-3 resident who graduates is not carried over.
"""

import calendar
import datetime
import re
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core import clock
from programs.models import Enrollment, Program, ProtegeProfile
from programs.services import PROGRAM_FIELDS, program_create

YEAR_CLOSED_NOTE = "The program year closed"
GRADUATED_NOTE = "The program year closed; graduated from the residency"

Stage = ProtegeProfile.CareerStage

# A resident carried into the next year advances a year.
NEXT_STAGE: dict[str, str] = {
    Stage.RESIDENT_1.value: Stage.RESIDENT_2.value,
    Stage.RESIDENT_2.value: Stage.RESIDENT_3.value,
}
GRADUATING_STAGE: str = Stage.RESIDENT_3.value

# The fields the next year takes as proposed on its page rather than copied.
PROPOSED_FIELDS = ("name", "starts_on", "ends_on")


def year_end_day(program: Program, today: datetime.date) -> datetime.date:
    """The day a closing year's relationships and enrollments end: the program's end when it
    has passed, else today."""
    if program.ends_on and program.ends_on <= today:
        return program.ends_on
    return today


def a_year_later(day: datetime.date) -> datetime.date:
    """The same day a year later; the last day of a month stays the last (29 February
    2028 gives 28 February 2029, and 28 February 2027 gives 29 February 2028)."""
    year = day.year + 1
    last_now = calendar.monthrange(day.year, day.month)[1]
    last_then = calendar.monthrange(year, day.month)[1]
    if day.day == last_now:
        return day.replace(year=year, day=last_then)
    return day.replace(year=year, day=min(day.day, last_then))


def _next_name(name: str, starts_on: datetime.date | None, ends_on: datetime.date | None) -> str:
    """The name with its years moved on ("Induction 2026–27" gives "Induction 2027–28")."""
    short = r"(?<=\d{4}[-–/])(\d{2})\b"
    moved = re.sub(short, lambda m: f"{(int(m.group(1)) + 1) % 100:02d}", name)
    moved = re.sub(r"\b((?:19|20)\d{2})\b", lambda m: str(int(m.group(1)) + 1), moved)
    if moved != name:
        return moved[:200]
    if starts_on and ends_on and starts_on.year != ends_on.year:
        return f"{name} {starts_on:%Y}–{ends_on:%y}"[:200]
    if starts_on:
        return f"{name} {starts_on:%Y}"[:200]
    return (gettext("%(name)s (next year)") % {"name": name})[:200]


def next_year_proposal(program: Program) -> dict:
    """The next year's name and dates as first proposed: the dates a year later."""
    starts_on = a_year_later(program.starts_on) if program.starts_on else None
    ends_on = a_year_later(program.ends_on) if program.ends_on else None
    return {
        "name": _next_name(program.name, starts_on, ends_on),
        "starts_on": starts_on,
        "ends_on": ends_on,
    }


def locked(program: Program) -> Program:
    """The program's row as saved now, locked until the transaction ends."""
    return Program.objects.select_for_update().get(pk=program.pk)


# Closing -----------------------------------------------------------------------------------


def program_close_enrollments(*, program: Program, on: datetime.date) -> int:
    """Complete the program's current enrollments on `on` (or the day they joined, when
    later); returns how many (one query to read, a few to write, whatever their number)."""
    enrollments = list(Enrollment.objects.current().filter(program=program))
    for enrollment in enrollments:
        enrollment.left_on = max(on, enrollment.joined_on)
        enrollment.leaving_reason = Enrollment.LeavingReason.COMPLETED
        enrollment.leaving_note = YEAR_CLOSED_NOTE
    bulk_update_with_history(
        enrollments, Enrollment, ["left_on", "leaving_reason", "leaving_note"], batch_size=500
    )
    return len(enrollments)


def program_mark_closed(*, program: Program, on: datetime.date) -> Program:
    program.closed_at = clock.now()
    program.closed_on = on
    program.full_clean()
    program.save(update_fields=["closed_at", "closed_on"])
    return program


# The next year -----------------------------------------------------------------------------


def continuing_enrollments(program: Program) -> QuerySet:
    """The enrollments the year's close completed: the people who may carry on, with their
    protégé profile (one query)."""
    return (
        Enrollment.objects.filter(
            program=program,
            leaving_reason=Enrollment.LeavingReason.COMPLETED,
            leaving_note__in=[YEAR_CLOSED_NOTE, GRADUATED_NOTE],
        )
        .select_related("person", "person__protege_profile")
        .order_by("role", "person__last_name", "person__first_name", "pk")
    )


def stage_of(enrollment: Enrollment) -> str:
    """The career stage of a protégé's enrollment ('' for a mentor or coach)."""
    if enrollment.role != Enrollment.Role.PROTEGE:
        return ""
    profile = getattr(enrollment.person, "protege_profile", None)
    return profile.career_stage if profile is not None else ""


def check_may_start_next(program: Program) -> None:
    if not program.is_closed:
        raise ValidationError(gettext("Close this year before starting the next one."))
    if Program.objects.filter(previous=program).exists():
        raise ValidationError(gettext("The next year of this program has already been started."))


@transaction.atomic
def program_copy(
    *,
    program: Program,
    by: User,
    name: str,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
) -> Program:
    """The next year of a closed program: every configuration field copied, with the name and
    dates given, the role descriptions and the coordinators (and `by`)."""
    program = locked(program)
    check_may_start_next(program)
    fields = {
        field: _copied(getattr(program, field))
        for field in PROGRAM_FIELDS
        if field not in PROPOSED_FIELDS
    }
    new = program_create(by=by, name=name, starts_on=starts_on, ends_on=ends_on, **fields)
    new.previous = program
    new.mentor_role_description = program.mentor_role_description
    new.coach_role_description = program.coach_role_description
    new.save(update_fields=["previous", "mentor_role_description", "coach_role_description"])
    new.coordinators.add(*program.coordinators.all())
    return new


def _copied(value):
    return list(value) if isinstance(value, list) else value


@transaction.atomic
def participants_carry(
    *,
    old: Program,
    new: Program,
    carried_ids: Iterable[int],
    graduate_ids: Iterable[int],
) -> list[Enrollment]:
    """Enroll the chosen continuing participants (`carried_ids`: enrollments of `old`) in
    `new`, with the same role and reason; residents advance a year. The year-3 residents of
    `graduate_ids` are not carried over: their enrollment in `old` records their graduation."""
    continuing = {enrollment.pk: enrollment for enrollment in continuing_enrollments(old)}
    graduating = [
        continuing[pk]
        for pk in set(graduate_ids)
        if pk in continuing and stage_of(continuing[pk]) == GRADUATING_STAGE
    ]
    for enrollment in graduating:
        enrollment.leaving_note = GRADUATED_NOTE
    bulk_update_with_history(graduating, Enrollment, ["leaving_note"], batch_size=500)
    graduated = {enrollment.pk for enrollment in graduating}
    carried = [continuing[pk] for pk in sorted(set(carried_ids)) if pk in continuing]
    carried = [enrollment for enrollment in carried if enrollment.pk not in graduated]
    joined_on = new.starts_on or clock.today()
    enrollments = bulk_create_with_history(
        [
            Enrollment(
                program=new,
                person_id=enrollment.person_id,
                role=enrollment.role,
                reason=enrollment.reason,
                joined_on=joined_on,
            )
            for enrollment in carried
        ],
        Enrollment,
        batch_size=500,
    )
    _advance(enrollment for enrollment in carried if stage_of(enrollment) in NEXT_STAGE)
    return enrollments


def _advance(enrollments: Iterable[Enrollment]) -> None:
    profiles = {}
    for enrollment in enrollments:
        profile = enrollment.person.protege_profile
        profile.career_stage = NEXT_STAGE[profile.career_stage]
        profiles[profile.pk] = profile
    bulk_update_with_history(
        list(profiles.values()), ProtegeProfile, ["career_stage"], batch_size=500
    )
