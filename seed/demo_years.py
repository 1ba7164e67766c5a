"""The demo's year before: the induction program's last year, closed, which the current one
follows (`Program.previous`). Maya Thompson, now in her second year, was a year-1 resident
then, mentored by David Kim; the close completed their relationship and enrollments, so the
old year shows its figures and the dashboards link "Previous year" and "Next year"."""

import datetime

from django.contrib.auth.models import User

from programs.models import Enrollment, Program
from programs.services import PROGRAM_FIELDS, track_sharing
from relationships.models import SupportRelationship
from relationships.services import relationship_create
from relationships.years import program_year_close

# The last year's span, in days from today: it ended before the current year's people joined.
STARTS_DAY, ENDS_DAY = -800, -440


def build_last_year(*, current: Program, users: dict[str, User], day_of: datetime.date) -> Program:
    """The year before `current`: a copy of its configuration, closed (`day_of` is today)."""
    starts_on = day_of + datetime.timedelta(days=STARTS_DAY)
    ends_on = day_of + datetime.timedelta(days=ENDS_DAY)
    fields = {
        name: getattr(current, name)
        for name in PROGRAM_FIELDS
        if name not in ("name", "starts_on", "ends_on")
    }
    last = Program(
        name=f"{current.name} {starts_on:%Y}–{ends_on:%y}",
        starts_on=starts_on,
        ends_on=ends_on,
        mentor_role_description=current.mentor_role_description,
        coach_role_description=current.coach_role_description,
        **fields,
    )
    track_sharing(last)
    last.full_clean()
    last.save()
    last.coordinators.add(*current.coordinators.all())
    for username, role in (
        ("mentor", Enrollment.Role.MENTOR),
        ("resident", Enrollment.Role.PROTEGE),
    ):
        Enrollment.objects.create(
            program=last, person=users[username], role=role, joined_on=starts_on
        )
    relationship_create(
        program=last,
        mentor=users["mentor"],
        protege=users["resident"],
        kind=SupportRelationship.Kind.MENTORING,
        starts_on=starts_on + datetime.timedelta(days=14),
    )
    program_year_close(program=last)
    current.previous = last
    current.save(update_fields=["previous"])
    return last
