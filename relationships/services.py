"""Writes for relationships, teams and visits, with the rules the database cannot hold.

Views, admin actions and management commands call these; each validates, then writes in one
transaction. Rules enforced here:
- a protégé's supervisor, present or former within the set period, can never be their mentor
  or coach (the supervision firewall, relationships/firewall.py);
- nobody mentors or coaches themselves;
- classroom team members are protégés (they have a protégé profile);
- a protégé (or a team) has one open relationship of each kind in a program, whoever the
  mentor: a new mentor takes over the old relationship (relationships/turnover.py);
- a program offers only the relationship kinds of its support model;
- a relationship never has two scheduled visits on the same date at the same start time;
- a visit is not dated before its relationship started (nor after it ended: an ended
  relationship is read-only), and a scheduled visit is today or later (one that happened is
  logged).
"""

import datetime
import uuid
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils.dateformat import time_format
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from core import clock, versions
from core.names import person_name
from outbox import services as outbox
from programs.models import Enrollment, Program, ProtegeProfile, role_for_kind
from relationships import firewall
from relationships.models import (
    OPEN_STATUSES,
    Acknowledgement,
    ClassroomTeam,
    Pause,
    PersonSettings,
    SupportRelationship,
    Visit,
)
from relationships.notifications import notify_log_answered, notify_new_log, notify_relationship
from relationships.signals import relationship_created

SUPERVISOR_REFUSAL = gettext_lazy(
    "{mentor} supervises {protege}, so cannot be their mentor or coach. Supervision and "
    "mentoring are kept apart: choose someone without authority over {protege}'s job."
)


FORMER_SUPERVISOR_REFUSAL = gettext_lazy(
    "{mentor} was {protege}'s supervisor until {ended}, so cannot be their mentor or coach "
    "before {lifts}. Supervision and mentoring are kept apart: choose someone without "
    "authority over {protege}'s job."
)


def _long_date(day: datetime.date) -> str:
    return date_format(day, pgettext("long date", "F j, Y"))


def supported_people(*, protege: User | None, team: ClassroomTeam | None) -> list[User]:
    if protege is not None:
        return [protege]
    if team is not None:
        return list(team.members.select_related("protege_profile__supervisor"))
    return []


def check_firewall(*, mentor: User, people: Iterable[User]) -> None:
    """Refuse a match where the mentor is one of the people supported, or the supervision
    firewall walls them off from one of them: their supervisor, or a former one within the set
    period (relationships/firewall.py)."""
    people = list(people)
    for person in people:
        if person.pk == mentor.pk:
            raise ValidationError({"mentor": _("Nobody can mentor or coach themselves.")})
    by_id = {person.pk: person for person in people}
    for wall in firewall.whole_walls_around(by_id):
        if wall.supervisor_id != mentor.pk:
            continue
        names = {"mentor": person_name(mentor), "protege": person_name(by_id[wall.protege_id])}
        if wall.ended_at is None:
            raise ValidationError({"mentor": str(SUPERVISOR_REFUSAL).format(**names)})
        raise ValidationError(
            {
                "mentor": str(FORMER_SUPERVISOR_REFUSAL).format(
                    **names,
                    ended=_long_date(clock.local_date(wall.ended_at)),
                    lifts=_long_date(firewall.lifts_on(wall.ended_at)),
                )
            }
        )


def check_enrolled(*, mentor: User, program: Program, kind: str) -> None:
    """Refuse a mentor of a mentoring relationship who is not a current mentor of the program,
    and a coach of a coaching one who is not a current coach."""
    role = role_for_kind(kind)
    enrolled = Enrollment.objects.current().filter(program=program, person=mentor, role=role)
    if not enrolled.exists():
        raise ValidationError(
            {
                "mentor": (
                    _(
                        "%(name)s is not enrolled as a coach in %(program)s, and a coaching "
                        "relationship needs one. Enroll them as a coach first, or choose one of "
                        "the program's coaches."
                    )
                    if role == Enrollment.Role.COACH
                    else _(
                        "%(name)s is not enrolled as a mentor in %(program)s, and a mentoring "
                        "relationship needs one. Enroll them as a mentor first, or choose one of "
                        "the program's mentors."
                    )
                )
                % {"name": person_name(mentor), "program": program.name}
            }
        )


def check_team_members(members: Iterable[User]) -> None:
    missing = [
        person_name(m) for m in members if not ProtegeProfile.objects.filter(user=m).exists()
    ]
    if missing:
        raise ValidationError(
            {
                "members": _("Team members must be protégés; no protégé profile for: %(names)s")
                % {"names": ", ".join(missing)}
            }
        )


def check_not_doubled(
    *, program: Program | None, kind: str, protege: User | None, team: ClassroomTeam | None
) -> None:
    """Refuse a second open relationship of a kind for a protégé or a team in a program (the
    constraint `one_open_per_protege` / `one_open_per_team`), saying with whom the first is."""
    if program is None or (protege is None and team is None):
        return
    same = SupportRelationship.objects.open().filter(program=program, kind=kind)
    same = same.filter(team=team) if team is not None else same.filter(protege=protege)
    first = same.select_related("mentor").first()
    if first is None:
        return
    name = team.name if team is not None else person_name(protege)
    raise ValidationError(
        _(
            "%(name)s already has an open %(kind)s relationship in %(program)s, with "
            "%(mentor)s. End that relationship first (from the dashboard) to match them with "
            "someone else."
        )
        % {
            "name": name,
            "kind": first.get_kind_display().lower(),
            "program": program.name,
            "mentor": first.mentor_name,
        }
    )


@transaction.atomic
def relationship_create(
    *,
    mentor: User,
    kind: str,
    program: Program | None = None,
    protege: User | None = None,
    team: ClassroomTeam | None = None,
    meeting_arrangement: str = SupportRelationship.MeetingArrangement.MENTOR_VISITS,
    starts_on: datetime.date | None = None,
    planned_end_on: datetime.date | None = None,
    status: str = SupportRelationship.Status.ACTIVE,
    continues: SupportRelationship | None = None,
    by: User | None = None,
    **dosage,
) -> SupportRelationship:
    """Make a relationship; the apps above hear of it (`signals.relationship_created`, by
    `by`, who made it), in the same transaction."""
    if status in OPEN_STATUSES:
        check_not_doubled(program=program, kind=kind, protege=protege, team=team)
    relationship = SupportRelationship(
        program=program,
        kind=kind,
        format=SupportRelationship.Format.TEAM if team else SupportRelationship.Format.INDIVIDUAL,
        protege=protege,
        team=team,
        mentor=mentor,
        meeting_arrangement=meeting_arrangement,
        starts_on=starts_on or clock.today(),
        planned_end_on=planned_end_on,
        status=status,
        continues=continues,
        **dosage,
    )
    relationship.full_clean()
    check_firewall(mentor=mentor, people=supported_people(protege=protege, team=team))
    if program is not None:
        check_enrolled(mentor=mentor, program=program, kind=kind)
    relationship.save()
    relationship_created.send(SupportRelationship, relationship=relationship, by=by)
    if relationship.status == SupportRelationship.Status.ACTIVE:
        notify_relationship(relationship, "matched")
    return relationship


@transaction.atomic
def relationship_pause(*, relationship: SupportRelationship, reason: str) -> SupportRelationship:
    if relationship.status != SupportRelationship.Status.ACTIVE:
        raise ValidationError(_("Only an active relationship can be paused."))
    if not reason.strip():
        raise ValidationError({"end_reason": _("Say why the relationship is paused.")})
    relationship.status = SupportRelationship.Status.PAUSED
    relationship.end_reason = reason.strip()
    relationship.save(update_fields=["status", "end_reason"])
    Pause.objects.create(relationship=relationship, starts_on=clock.today())
    notify_relationship(relationship, "paused")
    return relationship


def _close_pause(relationship: SupportRelationship, on: datetime.date) -> None:
    """End the relationship's open pause, if it has one, on this day."""
    relationship.pauses.filter(ends_on__isnull=True).update(
        ends_on=Greatest(F("starts_on"), Value(on))
    )


@transaction.atomic
def relationship_resume(*, relationship: SupportRelationship) -> SupportRelationship:
    if relationship.status not in {
        SupportRelationship.Status.PAUSED,
        SupportRelationship.Status.PROPOSED,
    }:
        raise ValidationError(_("Only a paused or proposed relationship can be made active."))
    was_proposed = relationship.status == SupportRelationship.Status.PROPOSED
    relationship.status = SupportRelationship.Status.ACTIVE
    relationship.end_reason = ""
    relationship.save(update_fields=["status", "end_reason"])
    _close_pause(relationship, clock.today())
    notify_relationship(relationship, "matched" if was_proposed else "resumed")
    return relationship


@transaction.atomic
def relationship_end(
    *,
    relationship: SupportRelationship,
    reason: str,
    completed: bool,
    ended_on: datetime.date | None = None,
) -> SupportRelationship:
    if not relationship.is_open:
        raise ValidationError(_("This relationship has already ended."))
    if not reason.strip():
        raise ValidationError({"end_reason": _("Say why the relationship ended.")})
    ended_on = ended_on or clock.today()
    if ended_on < relationship.starts_on:
        raise ValidationError({"ended_on": _("The end date must be on or after the start.")})
    relationship.status = (
        SupportRelationship.Status.COMPLETED
        if completed
        else SupportRelationship.Status.ENDED_EARLY
    )
    relationship.ended_on = ended_on
    relationship.end_reason = reason.strip()
    relationship.save(update_fields=["status", "ended_on", "end_reason"])
    _close_pause(relationship, ended_on)
    notify_relationship(relationship, "ended")
    return relationship


@transaction.atomic
def team_save(
    *,
    team: ClassroomTeam,
    members: Iterable[User],
) -> ClassroomTeam:
    """Create or update a team; members must be protégés, and no open relationship of the team
    may end up with a coach who supervises a member."""
    members = list(members)
    check_team_members(members)
    team.full_clean()
    for relationship in team.relationships.open().select_related("mentor") if team.pk else []:
        check_firewall(mentor=relationship.mentor, people=members)
    team.save()
    team.members.set(members)
    return team


# Visits ---------------------------------------------------------------------------------------

# What a log holds, in the order of the log form (relationships/forms.py).
LOG_FIELDS = (
    "date",
    "start_time",
    "duration_minutes",
    "location",
    "adults_present",
    "children_present",
    "activities",
    "whats_working",
    "focus_challenges",
    "feedback",
    "protege_next_steps",
    "mentor_next_steps",
    "next_meeting_on",
    "next_meeting_focus",
    "private_notes",
)


def _check_can_work(relationship: SupportRelationship, by: User) -> None:
    if relationship.mentor_id != by.pk:
        raise ValidationError(_("Only the mentor or coach of this relationship can do this."))
    if not relationship.is_open:
        raise ValidationError(_("This relationship has ended; its record is read-only."))


def _day(date: datetime.date) -> str:
    """The day in words ("Tuesday, November 17"), with the year when it is not this one."""
    if date.year == clock.today().year:
        return date_format(date, pgettext("weekday and day of a visit", "l, F j"))
    return date_format(date, pgettext("weekday, day and year of a visit", "l, F j, Y"))


# The code of the refusal of a scheduled visit dated in the past: the schedule form offers to
# log the visit instead.
PAST_VISIT = "past_visit"


def _check_within_relationship(visit: Visit) -> None:
    """Refuse a visit dated before its relationship started. (None is dated after it ended:
    an ended relationship is read-only, `_check_can_work`.)"""
    relationship = visit.relationship
    if visit.date < relationship.starts_on:
        if relationship.starts_on > clock.today():
            refusal = _("This relationship starts on %(day)s: a visit can't be dated before that.")
        else:
            refusal = _("This relationship started on %(day)s: a visit can't be dated before that.")
        raise ValidationError({"date": refusal % {"day": _day(relationship.starts_on)}})


def _check_not_past(visit: Visit) -> None:
    """Refuse to schedule a visit on a day gone by (today, on the program's clock, is fine)."""
    if visit.date < clock.today():
        message = _("%(day)s has passed: a visit that happened is logged, not scheduled.") % {
            "day": _day(visit.date)
        }
        raise ValidationError({"date": ValidationError(message, code=PAST_VISIT)})


def _check_not_scheduled_twice(visit: Visit) -> None:
    """Refuse a second scheduled visit of a relationship on the same date at the same start
    time (two with no time set on the same date count as the same too)."""
    # Lock the relationship's row so that a form sent twice cannot slip both copies past the
    # check (PostgreSQL; SQLite writes one transaction at a time anyway).
    SupportRelationship.objects.select_for_update().filter(pk=visit.relationship_id).exists()
    twins = visit.relationship.visits.scheduled().filter(date=visit.date)
    twins = (
        twins.filter(start_time=visit.start_time)
        if visit.start_time is not None
        else twins.filter(start_time__isnull=True)
    )
    if visit.pk:
        twins = twins.exclude(pk=visit.pk)
    if twins.exists():
        day = _day(visit.date)
        if visit.start_time is None:
            message = _(
                "A visit with no start time is already scheduled on %(day)s. Give this one a "
                "start time, choose another date, or change the visit already planned."
            ) % {"day": day}
            raise ValidationError({"date": message})
        message = _(
            "A visit is already scheduled on %(day)s at %(time)s. Choose another date or time, "
            "or change the visit already planned."
        ) % {
            "day": day,
            "time": time_format(visit.start_time, pgettext("time of a visit", "g:i A")),
        }
        raise ValidationError({"start_time": message})


@transaction.atomic
def visit_schedule(
    *,
    relationship: SupportRelationship,
    by: User,
    date: datetime.date,
    start_time: datetime.time | None = None,
    duration_minutes: int | None = None,
    location: str = "",
    next_meeting_focus: str = "",
) -> Visit:
    """Put a visit on the calendar, today or later, within the relationship; the same date and
    start time cannot be scheduled twice."""
    _check_can_work(relationship, by)
    visit = Visit(
        relationship=relationship,
        status=Visit.Status.SCHEDULED,
        date=date,
        start_time=start_time,
        duration_minutes=duration_minutes,
        location=location,
        next_meeting_focus=next_meeting_focus,
        created_by=by,
    )
    visit.full_clean()
    _check_not_past(visit)
    _check_within_relationship(visit)
    _check_not_scheduled_twice(visit)
    visit.save()
    return visit


def _set_goals(visit: Visit, goals) -> None:
    if goals is None:
        return
    goals = list(goals)
    foreign = [g for g in goals if g.relationship_id != visit.relationship_id]
    if foreign:
        raise ValidationError({"goals": _("A visit can only address this relationship's goals.")})
    visit.goals.set(goals)


@transaction.atomic
def visit_log(
    *,
    relationship: SupportRelationship,
    by: User,
    visit: Visit | None = None,
    goals=None,
    **log,
) -> Visit:
    """Log a visit: a new one, or a scheduled one turned into a log."""
    _check_can_work(relationship, by)
    if visit is None:
        visit = Visit(relationship=relationship, created_by=by)
    elif visit.status != Visit.Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled visit can be logged."))
    unknown = set(log) - set(LOG_FIELDS)
    if unknown:
        raise TypeError(f"Unknown visit fields: {sorted(unknown)}")
    for name, value in log.items():
        setattr(visit, name, value)
    if visit.date and visit.date > clock.today():
        raise ValidationError(
            {"date": _("A visit is logged once it has happened: schedule a future visit instead.")}
        )
    visit.status = Visit.Status.LOGGED
    visit.logged_at = clock.now()
    visit.full_clean()
    _check_within_relationship(visit)
    visit.save()
    _set_goals(visit, goals)
    notify_new_log(visit)  # emails the protégé (each team member) once, on commit
    return visit


@transaction.atomic
def visit_update(*, visit: Visit, by: User, goals=None, version: str | None = None, **log) -> Visit:
    """Edit a visit; a logged visit can be edited until a protégé acknowledges it. A new date
    is checked as when the visit was scheduled or logged; a date left as it was is kept, even
    a scheduled one that has passed since (it waits to be logged).

    `version`: the version the edit started from, over the fields given (core/versions.py);
    a newer one raises EditConflict, and a save that changes nothing writes nothing."""
    _check_can_work(visit.relationship, by)
    unknown = set(log) - set(LOG_FIELDS)
    if unknown:
        raise TypeError(f"Unknown visit fields: {sorted(unknown)}")
    typed = dict(log) if goals is None else {**log, "goals": goals}
    saved, changed = versions.start_edit(visit, typed, version=version, typed=typed)
    assert isinstance(saved, Visit)  # visits are never deleted: its row is there
    saved.relationship = visit.relationship
    visit = saved
    if visit.status == Visit.Status.CANCELLED:
        raise ValidationError(_("A cancelled visit cannot be edited."))
    if visit.status == Visit.Status.LOGGED and visit.acknowledgements.exists():
        raise ValidationError(_("This log has been acknowledged, so it can no longer be edited."))
    if not changed:
        return visit
    date_before = visit.date  # as saved: `start_edit` read the row afresh
    for name, value in log.items():
        setattr(visit, name, value)
    visit.full_clean()
    if visit.date != date_before:
        if visit.status == Visit.Status.SCHEDULED:
            _check_not_past(visit)
        elif visit.date > clock.today():
            raise ValidationError(
                {"date": _("A logged visit has happened: its date can't be in the future.")}
            )
        _check_within_relationship(visit)
    if visit.status == Visit.Status.SCHEDULED:
        _check_not_scheduled_twice(visit)
    visit.save()
    _set_goals(visit, goals)
    return visit


@transaction.atomic
def visit_cancel(*, visit: Visit, by: User, reason: str) -> Visit:
    _check_can_work(visit.relationship, by)
    if visit.status != Visit.Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled visit can be cancelled."))
    if not reason.strip():
        raise ValidationError({"cancel_reason": _("Give a reason for cancelling.")})
    visit.status = Visit.Status.CANCELLED
    visit.cancel_reason = reason.strip()
    visit.save(update_fields=["status", "cancel_reason"])
    return visit


@transaction.atomic
def visit_acknowledge(
    *, visit: Visit, by: User, reflection: str = "", private_reflection: str = ""
) -> Acknowledgement:
    """A protégé (or each team member) acknowledges a log, co-signing its next steps."""
    from relationships.rules import is_protege, is_supervisor

    relationship = visit.relationship
    if not is_protege(by, relationship) or is_supervisor(by, relationship):
        raise ValidationError(_("Only the protégé of this relationship can acknowledge its logs."))
    if visit.status != Visit.Status.LOGGED:
        raise ValidationError(_("Only a logged visit can be acknowledged."))
    if visit.acknowledgements.filter(protege=by).exists():
        raise ValidationError(_("You have already acknowledged this log."))
    acknowledgement = Acknowledgement(
        visit=visit,
        protege=by,
        reflection=reflection.strip(),
        private_reflection=private_reflection.strip(),
    )
    acknowledgement.full_clean()
    acknowledgement.save()
    notify_log_answered(acknowledgement)
    return acknowledgement


# A person's own settings ------------------------------------------------------------------------


def _new_email(user: User, email: str) -> str | None:
    """The address `user` asks for, lower-cased as accounts are created; None if unchanged.

    A person may add an address or change theirs, but not remove it (the emails and password
    resets need one), nor take one that another active account uses (case-insensitively)."""
    email = email.strip().lower()
    if email.casefold() == user.email.casefold():
        return None
    if not email:
        raise ValidationError(
            {"email": _("Enter your email address. To stop the emails, untick them below.")}
        )
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid email address.")}) from None
    if User.objects.filter(email__iexact=email, is_active=True).exclude(pk=user.pk).exists():
        raise ValidationError(
            {
                "email": _(
                    "Another account already uses this email address. Enter one of "
                    "your own, or ask your program coordinator if it is yours."
                )
            }
        )
    return email


@transaction.atomic
def person_settings_save(
    *,
    user: User,
    email: str,
    calendar_enabled: bool,
    email_switches: dict[str, bool] | None = None,
) -> PersonSettings:
    """Save one person's email address, whether their calendar feed is on, and which emails
    they get (`email_switches`: kind of email to on or off; kinds not named stay as they are)."""
    new_email = _new_email(user, email)
    outbox.set_switches(user, email_switches or {})
    person_settings = PersonSettings.for_user(user)
    person_settings.calendar_enabled = calendar_enabled
    person_settings.full_clean()
    person_settings.save()
    if new_email is not None:
        user.email = new_email
        user.save(update_fields=["email"])
    return person_settings


def person_language_set(*, user: User, language: str | None) -> PersonSettings:
    """Save the language of `user`'s pages and emails (None: their browser's)."""
    person_settings = PersonSettings.for_user(user)
    person_settings.language = language or ""
    person_settings.full_clean()
    person_settings.save(update_fields=["language"])
    return person_settings


@transaction.atomic
def calendar_token_renew(*, user: User) -> PersonSettings:
    """Give a person a new private calendar feed link; the old link stops working."""
    person_settings = PersonSettings.for_user(user)
    person_settings.calendar_token = uuid.uuid4()
    person_settings.save(update_fields=["calendar_token"])
    return person_settings
