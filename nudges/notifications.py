"""The emails of the scheduled jobs (nudges/services.py), each a kind of the outbox that a
person can turn off on their settings page or with the link in the email:

- `visit_reminder`: the day before a visit a mentor or coach scheduled;
- `visit_unlogged`: a scheduled visit has passed two days without a log;
- `first_deadline`: a relationship's first visit or first goal is due in a few days;
- `step_due`: an action step is due today, to its owners (mentor, protégé, team members);
- `mentor_digest`: once a week, what waits for a mentor or coach;
- `coordinator_digest`: once a week, each program's flags, relationships newly overdue,
  protégés waiting for a match and invitations that could not be delivered.

Each is written when it is sent, from the ids it was queued with, and not sent when what it is
about has moved on (the visit logged or moved, the step done, nothing left to report). They say
what waits and link to the page; the words of logs, reflections, notes and action steps stay in
the app.
"""

import datetime

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core import clock
from core.names import person_name
from nudges import selectors
from outbox import kinds
from outbox.kinds import Kind, Letter
from outbox.models import Delivery
from relationships.models import SupportRelationship, Visit
from relationships.notifications import letter, site_url
from relationships.roles import COORDINATOR, MENTOR, PROTEGE

VISIT_REMINDER = "visit_reminder"
VISIT_UNLOGGED = "visit_unlogged"
FIRST_DEADLINE = "first_deadline"
STEP_DUE = "step_due"
MENTOR_DIGEST = "mentor_digest"
COORDINATOR_DIGEST = "coordinator_digest"

# How many days before a first visit or first goal falls due its mentor is told.
DEADLINE_NOTICE_DAYS = 3


def _day(delivery: Delivery, name: str = "date") -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(delivery.params.get(name)))
    except ValueError:
        return None


def _scheduled_visit(delivery: Delivery) -> Visit | None:
    """The visit the delivery is about, if it is still scheduled on the day it was queued
    for, in a relationship of the recipient's that is neither paused nor ended."""
    day = _day(delivery)
    if day is None:
        return None
    return (
        Visit.objects.scheduled()
        .select_related("relationship__program", "relationship__protege", "relationship__team")
        .filter(
            pk=delivery.params.get("visit"),
            date=day,
            relationship__mentor=delivery.recipient_id,
            relationship__status__in=selectors.WORKING_STATUSES,
        )
        .first()
    )


def _about(relationship: SupportRelationship) -> dict:
    return {
        "relationship": relationship,
        "kind": relationship.get_kind_display().lower(),
        "other_name": relationship.supported_name,
        "program": relationship.program,
    }


def write_visit_reminder(delivery: Delivery) -> Letter | None:
    visit = _scheduled_visit(delivery)
    if visit is None or visit.date < clock.today():
        return None
    context = {
        **_about(visit.relationship),
        "visit": visit,
        "days_away": (visit.date - clock.today()).days,
    }
    return letter("visit_reminder", delivery, context, visit.get_absolute_url())


def write_visit_unlogged(delivery: Delivery) -> Letter | None:
    visit = _scheduled_visit(delivery)
    if visit is None:
        return None
    context = {**_about(visit.relationship), "visit": visit}
    path = reverse("relationships:visit_log", args=[visit.code])
    return letter("visit_unlogged", delivery, context, path)


def write_first_deadline(delivery: Delivery) -> Letter | None:
    """A first visit or first goal due soon, if it still is: not met, the same day due."""
    due, what = _day(delivery, "due"), delivery.params.get("what")
    relationship = (
        SupportRelationship.objects.select_related("program", "protege", "team")
        .filter(pk=delivery.params.get("relationship"), mentor=delivery.recipient_id)
        .first()
    )
    if relationship is None or due is None:
        return None
    today = clock.today()
    still = selectors.first_deadlines(
        today=today,
        ahead=DEADLINE_NOTICE_DAYS,
        relationships=SupportRelationship.objects.filter(pk=relationship.pk),
    )
    if not any(deadline.what == what and deadline.due == due for deadline in still):
        return None
    context = {
        **_about(relationship),
        "what": what,
        "due": due,
        "days_left": (due - today).days,
        "days": relationship.expected(f"days_to_first_{what}"),
    }
    return letter("first_deadline", delivery, context, relationship.get_absolute_url())


def write_step_due(delivery: Delivery) -> Letter | None:
    """The recipient's steps due that day and still open, by goal (titles only)."""
    day = _day(delivery)
    steps = list(
        selectors.open_steps()
        .filter(pk__in=delivery.params.get("steps") or [], due_on=day)
        .select_related(
            "goal__relationship__program",
            "goal__relationship__mentor",
            "goal__relationship__protege",
            "goal__relationship__team",
        )
        .order_by("goal__title", "goal_id", "pk")
    )
    owners = selectors.step_owners(
        (
            step.pk,
            step.who,
            step.goal.relationship.mentor_id,
            step.goal.relationship.protege_id,
            step.goal.relationship.team_id,
        )
        for step in steps
    )
    mine = set(owners.get(delivery.recipient_id or 0, []))
    goals: dict[int, dict] = {}
    for step in steps:
        if step.pk not in mine:
            continue
        goal, relationship = step.goal, step.goal.relationship
        is_mentor = relationship.mentor_id == delivery.recipient_id
        entry = goals.setdefault(
            goal.pk,
            {
                "title": goal.title,
                "with_name": relationship.supported_name if is_mentor else relationship.mentor_name,
                "program": relationship.program,
                "url": site_url(goal.get_absolute_url()),
                "steps": 0,
            },
        )
        entry["steps"] += 1
    if not goals or day is None:
        return None
    context = {"goals": list(goals.values()), "count": len(mine), "day": day}
    return letter("step_due", delivery, context, reverse("home"))


def waiting_lines(item: selectors.Waiting) -> list[str]:
    """What waits in one relationship, in words (numbers only, no one's text), in the active
    language (the recipient's: outbox.services.attempt)."""
    lines = []
    if item.logs_to_write:
        lines.append(
            ngettext(
                "%(count)d scheduled visit gone by, to log (or to cancel if it did not take place)",
                "%(count)d scheduled visits gone by, to log (or to cancel if they did not take "
                "place)",
                item.logs_to_write,
            )
            % {"count": item.logs_to_write}
        )
    if item.goals_to_agree:
        lines.append(
            ngettext(
                "%(count)d goal waits for your agreement",
                "%(count)d goals wait for your agreement",
                item.goals_to_agree,
            )
            % {"count": item.goals_to_agree}
        )
    if item.steps_due and item.steps_overdue:
        lines.append(
            ngettext(
                "%(count)d action step of yours due this week, %(overdue)d of them overdue",
                "%(count)d action steps of yours due this week, %(overdue)d of them overdue",
                item.steps_due,
            )
            % {"count": item.steps_due, "overdue": item.steps_overdue}
        )
    elif item.steps_due:
        lines.append(
            ngettext(
                "%(count)d action step of yours due this week",
                "%(count)d action steps of yours due this week",
                item.steps_due,
            )
            % {"count": item.steps_due}
        )
    if item.behind:
        lines.append(gettext("behind the visits or minutes the program expects"))
    return lines


def write_mentor_digest(delivery: Delivery) -> Letter | None:
    recipient = delivery.recipient
    if recipient is None:
        return None
    waiting = selectors.mentor_waiting([recipient.pk], today=clock.today()).get(recipient.pk)
    if not waiting:
        return None
    items = [
        {
            **_about(item.relationship),
            "lines": waiting_lines(item),
            "url": site_url(item.relationship.get_absolute_url()),
        }
        for item in waiting
    ]
    context = {"items": items, "count": len(items)}
    return letter("mentor_digest", delivery, context, reverse("relationships:caseload"))


def _program_context(week: selectors.ProgramWeek) -> dict:
    program = week.program
    dashboard = reverse("programs:detail", args=[program.code])
    overdue = [
        {
            "mentor_name": person_name(item.relationship.mentor),
            "other_name": item.relationship.supported_name,
            "what": item.what,
            "due": item.due,
            "url": site_url(item.relationship.get_absolute_url()),
        }
        for item in week.newly_overdue
    ]
    limit = selectors.LIST_LIMIT
    return {
        "program": program,
        "flags": [
            {
                "label": label,
                "count": count,
                "url": site_url(f"{dashboard}?{urlencode({'flag': slug})}"),
            }
            for slug, label, count in week.flags
        ],
        "overdue": overdue[:limit],
        "overdue_more": max(len(overdue) - limit, 0),
        "waiting": week.waiting[:limit],
        "waiting_more": max(len(week.waiting) - limit, 0),
        "failed": week.failed_invitations[:limit],
        "failed_more": max(len(week.failed_invitations) - limit, 0),
        "dashboard_url": site_url(dashboard),
        "match_url": site_url(reverse("relationships:match", args=[program.code])),
        "participants_url": site_url(reverse("programs:participants", args=[program.code])),
    }


def write_coordinator_digest(delivery: Delivery) -> Letter | None:
    recipient = delivery.recipient
    if recipient is None:
        return None
    weeks = selectors.coordinator_weeks([recipient.pk], today=clock.today()).get(recipient.pk)
    if not weeks:
        return None
    context = {"programs": [_program_context(week) for week in weeks], "count": len(weeks)}
    return letter("coordinator_digest", delivery, context, reverse("programs:list"))


def register_kinds() -> None:
    for name, write, switch, roles in (
        (
            VISIT_REMINDER,
            write_visit_reminder,
            _("Email me the day before a visit I have scheduled"),
            {MENTOR},
        ),
        (
            VISIT_UNLOGGED,
            write_visit_unlogged,
            _("Email me when a visit I scheduled has passed two days without a log"),
            {MENTOR},
        ),
        (
            FIRST_DEADLINE,
            write_first_deadline,
            _("Email me a few days before a first visit or a first goal is due"),
            {MENTOR},
        ),
        (
            STEP_DUE,
            write_step_due,
            _("Email me on the day an action step of mine is due"),
            {MENTOR, PROTEGE},
        ),
        (
            MENTOR_DIGEST,
            write_mentor_digest,
            _("Email me a weekly summary of what waits for me in my relationships"),
            {MENTOR},
        ),
        (
            COORDINATOR_DIGEST,
            write_coordinator_digest,
            _(
                "Email me a weekly summary of my programs: flags, protégés waiting for a match "
                "and invitations that could not be delivered"
            ),
            {COORDINATOR},
        ),
    ):
        kinds.register(Kind(name=name, write=write, switch=switch, roles=frozenset(roles)))
