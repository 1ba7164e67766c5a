"""Writes for goals: proposing, agreeing, assigning prescribed goals, action steps, progress.

Rules enforced here: the program's goal policy decides whether goals are written together or
taken from its templates; a collaborative goal is agreed only once both the mentor and the
protégé have agreed; a closed goal can be reopened; a progress point is not dated in the
future, and an action step is not due before its goal was written (program dates); only its
author corrects or withdraws a progress point.
"""

import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core import clock, versions
from goals.models import ActionStep, Goal, GoalTemplate, ProgressEntry
from goals.notifications import notify_goal_waiting
from goals.required import counted_goals, required_templates
from programs.models import Program
from relationships.models import SupportRelationship, Visit
from relationships.rules import is_mentor, is_protege, is_supervisor

GOAL_FIELDS = (
    "title",
    "statement",
    "focus_area",
    "student_focused",
    "measure_description",
    "baseline",
    "target",
    "unit",
    "target_date",
)


def _participant_role(relationship: SupportRelationship, by: User) -> str:
    """'mentor' or 'protege'; anyone else is refused."""
    if is_supervisor(by, relationship):
        raise ValidationError(_("A supervisor cannot take part in this relationship's goals."))
    if is_mentor(by, relationship):
        return "mentor"
    if is_protege(by, relationship):
        return "protege"
    raise ValidationError(_("Only the people in this relationship can work on its goals."))


def _check_open(relationship: SupportRelationship) -> None:
    if not relationship.is_open:
        raise ValidationError(_("This relationship has ended; its goals are read-only."))


def goal_policy_allows(relationship: SupportRelationship, origin: str) -> bool:
    program = relationship.program
    if program is None:  # informal relationships write their own goals
        return origin == Goal.Origin.COLLABORATIVE
    if origin == Goal.Origin.COLLABORATIVE:
        return program.allows_collaborative_goals
    return program.allows_prescribed_goals


@transaction.atomic
def goal_propose(*, relationship: SupportRelationship, by: User, **fields) -> Goal:
    """Write a collaborative goal; the author's agreement is recorded, the other's awaited."""
    role = _participant_role(relationship, by)
    _check_open(relationship)
    if not goal_policy_allows(relationship, Goal.Origin.COLLABORATIVE):
        raise ValidationError(
            _("This program prescribes its goals: choose one of its goal templates instead.")
        )
    goal = Goal(
        relationship=relationship,
        origin=Goal.Origin.COLLABORATIVE,
        status=Goal.Status.PROPOSED,
        created_by=by,
        **{name: value for name, value in fields.items() if name in GOAL_FIELDS},
    )
    now = clock.now()
    if role == "mentor":
        goal.mentor_agreed_at = now
    else:
        goal.protege_agreed_at = now
    goal.full_clean()
    goal.save()
    notify_goal_waiting(goal)  # emails the other side (each team member) once, on commit
    return goal


@transaction.atomic
def goal_assign_prescribed(
    *, relationship: SupportRelationship, by: User, template: GoalTemplate, **fields
) -> Goal:
    """The mentor or coach assigns one of the program's goal templates; it starts agreed."""
    if _participant_role(relationship, by) != "mentor":
        raise ValidationError(_("Only the mentor or coach assigns prescribed goals."))
    _check_open(relationship)
    if not goal_policy_allows(relationship, Goal.Origin.PRESCRIBED):
        raise ValidationError(_("This program's goals are written together, not prescribed."))
    if template.program_id != relationship.program_id or template.retired_at is not None:
        raise ValidationError(
            {"template": _("Choose one of this program's current goal templates.")}
        )
    now = clock.now()
    values = {
        "title": template.title,
        "statement": template.description or template.title,
        "focus_area": template.focus_area,
        "measure_description": template.suggested_measure,
    }
    values.update({name: value for name, value in fields.items() if name in GOAL_FIELDS})
    goal = Goal(
        relationship=relationship,
        origin=Goal.Origin.PRESCRIBED,
        template=template,
        status=Goal.Status.AGREED,
        mentor_agreed_at=now,
        agreed_at=now,
        created_by=by,
        **values,
    )
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def goal_assign_required(*, relationship: SupportRelationship, by: User) -> list[Goal]:
    """Give an open relationship the goals of its program's required templates that it lacks
    (goals/required.py): on matching, for whoever matched; later, for a coordinator of the
    program or the mentor (the view checks who). Each starts agreed, as a prescribed goal
    does. Returns the goals made."""
    _check_open(relationship)
    templates = required_templates(relationship.program)
    if not templates:
        raise ValidationError(_("This program has no required goals to assign."))
    have = set(counted_goals([relationship.pk]).values_list("template_id", flat=True))
    now = clock.now()
    made = []
    for template in templates:
        if template.pk in have:
            continue
        goal = Goal(
            relationship=relationship,
            origin=Goal.Origin.PRESCRIBED,
            template=template,
            status=Goal.Status.AGREED,
            mentor_agreed_at=now,
            agreed_at=now,
            created_by=by,
            title=template.title,
            statement=template.description or template.title,
            focus_area=template.focus_area,
            measure_description=template.suggested_measure,
        )
        goal.full_clean()
        goal.save()
        made.append(goal)
    return made


@transaction.atomic
def goal_agree(*, goal: Goal, by: User) -> Goal:
    """Record one person's agreement; when both have agreed, the goal is agreed."""
    role = _participant_role(goal.relationship, by)
    _check_open(goal.relationship)
    if goal.status != Goal.Status.PROPOSED:
        raise ValidationError(_("Only a proposed goal waits for agreement."))
    now = clock.now()
    if role == "mentor":
        goal.mentor_agreed_at = goal.mentor_agreed_at or now
    else:
        goal.protege_agreed_at = goal.protege_agreed_at or now
    if goal.mentor_agreed_at and goal.protege_agreed_at:
        goal.status = Goal.Status.AGREED
        goal.agreed_at = now
    goal.save()
    return goal


@transaction.atomic
def goal_update(*, goal: Goal, by: User, version: str | None = None, **fields) -> Goal:
    """Change a goal's words and measure. `version`: the version the edit started from
    (core/versions.py); a newer one raises EditConflict, and a save that changes nothing
    writes nothing."""
    _participant_role(goal.relationship, by)
    _check_open(goal.relationship)
    typed = {name: value for name, value in fields.items() if name in GOAL_FIELDS}
    saved, changed = versions.start_edit(goal, GOAL_FIELDS, version=version, typed=typed)
    assert isinstance(saved, Goal)  # None only for a record with no row, and a goal has one
    saved.relationship = goal.relationship
    goal = saved
    if not goal.is_open:
        raise ValidationError(_("Reopen the goal before changing it."))
    if not changed:
        return goal
    for name, value in typed.items():
        setattr(goal, name, value)
    asks_again = False
    if goal.status == Goal.Status.PROPOSED and goal.origin == "collaborative":
        # A changed proposal needs the other person's agreement again; if they had given it
        # (they proposed it), they are told, as for a new proposal.
        role = _participant_role(goal.relationship, by)
        other_agreed = goal.protege_agreed_at if role == "mentor" else goal.mentor_agreed_at
        asks_again = other_agreed is not None
        goal.mentor_agreed_at = clock.now() if role == "mentor" else None
        goal.protege_agreed_at = clock.now() if role == "protege" else None
    goal.full_clean()
    goal.save()
    if asks_again:
        notify_goal_waiting(goal)
    return goal


CLOSING_STATUSES = (Goal.Status.MET, Goal.Status.NOT_MET, Goal.Status.CLOSED)


@transaction.atomic
def goal_close(*, goal: Goal, by: User, status: str, reason: str = "") -> Goal:
    if _participant_role(goal.relationship, by) != "mentor":
        raise ValidationError(_("The mentor or coach closes goals, with the protégé."))
    _check_open(goal.relationship)
    if status not in CLOSING_STATUSES:
        raise ValidationError({"status": _("Choose met, not met, or closed.")})
    if not goal.is_open:
        raise ValidationError(_("This goal is already closed."))
    goal.status = status
    goal.close_reason = reason.strip()
    goal.closed_at = clock.now()
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def goal_reopen(*, goal: Goal, by: User) -> Goal:
    if _participant_role(goal.relationship, by) != "mentor":
        raise ValidationError(_("The mentor or coach reopens goals."))
    _check_open(goal.relationship)
    if goal.is_open:
        raise ValidationError(_("This goal is open already."))
    goal.status = Goal.Status.IN_PROGRESS if goal.agreed_at else Goal.Status.PROPOSED
    goal.closed_at = None
    goal.close_reason = ""
    goal.save()
    return goal


def _day(date: datetime.date) -> str:
    """The day in words ("November 17"), with the year when it is not this one."""
    if date.year == clock.today().year:
        return date_format(date, "MONTH_DAY_FORMAT")
    return date_format(date, pgettext("date format", "F j, Y"))


@transaction.atomic
def action_step_add(
    *, goal: Goal, by: User, who: str, what: str, due_on: datetime.date | None = None
) -> ActionStep:
    _participant_role(goal.relationship, by)
    _check_open(goal.relationship)
    written_on = clock.local_date(goal.created_at)
    if due_on is not None and due_on < written_on:
        raise ValidationError(
            {
                "due_on": _(
                    "This goal was written on %(day)s: a step can't be due before that. Choose "
                    "that day or a later one."
                )
                % {"day": _day(written_on)}
            }
        )
    step = ActionStep(goal=goal, who=who, what=what.strip(), due_on=due_on)
    step.full_clean()
    step.save()
    return step


@transaction.atomic
def action_step_mark_done(*, step: ActionStep, by: User, done: bool = True) -> ActionStep:
    role = _participant_role(step.goal.relationship, by)
    _check_open(step.goal.relationship)
    if role == "protege" and step.who == ActionStep.Who.MENTOR:
        raise ValidationError(_("This step is your mentor's or coach's to mark done."))
    # The request names the state it wants, so a page opened before someone else marked the
    # step cannot undo their mark; a step already in that state keeps who marked it and when,
    # and gets no history row (docs/design.md, "No edit is lost").
    saved = versions.locked(step)
    if saved is not None and (saved.done_at is not None) == done:
        return saved
    step.done_at = clock.now() if done else None
    step.done_by = by if done else None
    step.save(update_fields=["done_at", "done_by"])
    return step


def _check_progress_date(date: datetime.date) -> None:
    """A progress point is counted on a day that has come (today, on the program's clock)."""
    if date > clock.today():
        raise ValidationError(
            {
                "date": _(
                    "A progress point can't be in the future: record it on the day it was "
                    "counted (today is %(day)s)."
                )
                % {"day": _day(clock.today())}
            }
        )


@transaction.atomic
def progress_record(
    *,
    goal: Goal,
    by: User,
    value: Decimal,
    date: datetime.date | None = None,
    note: str = "",
    visit: Visit | None = None,
) -> ProgressEntry:
    role = _participant_role(goal.relationship, by)
    _check_open(goal.relationship)
    if not goal.is_open:
        raise ValidationError(_("This goal is closed; reopen it to record more progress."))
    program = goal.relationship.program
    if role == "protege" and program is not None and not program.proteges_record_progress:
        raise ValidationError(_("In this program, your mentor or coach records progress."))
    if visit is not None and visit.relationship_id != goal.relationship_id:
        raise ValidationError({"visit": _("Choose a visit of this relationship.")})
    date = date or clock.today()
    _check_progress_date(date)
    entry = ProgressEntry(
        goal=goal,
        value=value,
        date=date,
        note=note.strip(),
        recorded_by=by,
        visit=visit,
    )
    entry.full_clean()
    entry.save()
    if goal.status == Goal.Status.AGREED:
        goal.status = Goal.Status.IN_PROGRESS
        goal.save(update_fields=["status"])
    return entry


def _check_own_point(entry: ProgressEntry, by: User) -> None:
    """A point is corrected or withdrawn by the person who recorded it, while the goal is
    open, and not once withdrawn."""
    _participant_role(entry.goal.relationship, by)
    _check_open(entry.goal.relationship)
    if entry.recorded_by_id != by.pk:
        raise ValidationError(_("Only the person who recorded this point can change it."))
    if not entry.goal.is_open:
        raise ValidationError(_("This goal is closed; reopen it to change its progress."))
    if entry.is_withdrawn:
        raise ValidationError(_("This point has been withdrawn."))


@transaction.atomic
def progress_correct(
    *, entry: ProgressEntry, by: User, date: datetime.date, value: Decimal, note: str = ""
) -> ProgressEntry:
    """Correct a point entered by mistake (its author); the history keeps what it said."""
    _check_own_point(entry, by)
    _check_progress_date(date)
    entry.date = date
    entry.value = value
    entry.note = note.strip()
    entry.full_clean()
    entry.save(update_fields=["date", "value", "note"])
    return entry


@transaction.atomic
def progress_withdraw(*, entry: ProgressEntry, by: User) -> ProgressEntry:
    """Withdraw a point entered by mistake (its author): it stays, with its history, but is
    no longer drawn or counted."""
    _check_own_point(entry, by)
    entry.withdrawn_at = clock.now()
    entry.save(update_fields=["withdrawn_at"])
    return entry


@transaction.atomic
def goal_template_save(*, template: GoalTemplate) -> GoalTemplate:
    template.full_clean()
    template.save()
    return template


@transaction.atomic
def goal_template_retire(*, template: GoalTemplate) -> GoalTemplate:
    template.retired_at = clock.now()
    template.save(update_fields=["retired_at"])
    return template


def program_needs_templates(program: Program) -> bool:
    """A prescribed-goal program asks for goal templates before goals can be set."""
    return (
        program.goal_policy == Program.GoalPolicy.PRESCRIBED
        and not program.goal_templates.active().exists()
    )
