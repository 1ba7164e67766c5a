"""Emails about what waits for someone: a visit log waits for the protégé's acknowledgement; a
goal the mentor proposed waits for the protégé's agreement, and one the protégé proposed waits
for the mentor's.

Each email is queued with `transaction.on_commit`, so it goes out once, and only when the
write that caused it is saved. People who turned an email off on their settings page
(`PersonSettings`) do not get it; people without a settings row get the defaults (on).
The emails say what happened and link to the page; the log's or goal's words stay in the app.
"""

import logging

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from core.names import person_name

logger = logging.getLogger(__name__)


def _supported_ids(relationship) -> list[int]:
    """The protégé, or each member of the classroom team."""
    if relationship.protege_id is not None:
        return [relationship.protege_id]
    if relationship.team_id is not None:
        return list(relationship.team.members.values_list("pk", flat=True))
    return []


def _reachable(ids: list[int], *, setting: str, exclude: User | None = None) -> list[User]:
    """The active people among `ids` who have an email address and `setting` on."""
    people = (
        User.objects.filter(pk__in=ids, is_active=True)
        .exclude(email="")
        .exclude(**{f"person_settings__{setting}": False})
        .order_by("pk")
    )
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    return list(people)


def recipients(relationship, *, setting: str, exclude: User | None = None) -> list[User]:
    """People supported in `relationship` who have an email address and `setting` on."""
    return _reachable(_supported_ids(relationship), setting=setting, exclude=exclude)


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _send(*, template: str, to: User, context: dict) -> None:
    context = {**context, "recipient": to, "recipient_name": person_name(to)}
    subject = " ".join(render_to_string(f"email/{template}_subject.txt", context).split())
    body = render_to_string(f"email/{template}.txt", context)
    try:
        EmailMessage(subject=subject, body=body, to=[to.email]).send()
    except Exception:  # a mail server hiccup must not undo or break the saved work
        logger.exception("Could not send %s email to user %s", template, to.pk)


def _send_each(template: str, people: list[User], context: dict, path: str) -> int:
    """Send `template` to each of `people`, linking to `path` and to their settings page; the
    count sent."""
    context = {
        **context,
        "url": site_url(path),
        "settings_url": site_url(reverse("relationships:settings")),
    }
    for person in people:
        _send(template=template, to=person, context=context)
    return len(people)


def send_new_log_emails(visit) -> int:
    """Email each protégé (each team member) that `visit`'s log waits for them; the count."""
    relationship = visit.relationship
    people = recipients(relationship, setting="email_new_log", exclude=relationship.mentor)
    context = {
        "visit": visit,
        "mentor_name": relationship.mentor_name,
        "kind": relationship.get_kind_display().lower(),
        "program": relationship.program,
    }
    path = reverse("relationships:visit_acknowledge", args=[visit.code])
    return _send_each("new_log", people, context, path)


def send_goal_agreement_emails(goal) -> int:
    """Email each protégé (each team member) that `goal` waits for their agreement."""
    if goal.protege_agreed_at is not None or goal.status != "proposed":
        return 0
    relationship = goal.relationship
    people = recipients(relationship, setting="email_goal_agreement", exclude=relationship.mentor)
    context = {
        "goal": goal,
        "mentor_name": relationship.mentor_name,
        "program": relationship.program,
    }
    return _send_each("goal_agreement", people, context, reverse("goals:detail", args=[goal.code]))


def send_goal_proposed_email(goal) -> int:
    """Email the mentor or coach that the goal a protégé proposed waits for their agreement."""
    if goal.mentor_agreed_at is not None or goal.status != "proposed":
        return 0
    relationship = goal.relationship
    people = _reachable([relationship.mentor_id], setting="email_goal_agreement")
    context = {
        "goal": goal,
        "proposer_name": person_name(goal.created_by),
        "team": relationship.team if relationship.team_id else None,
        "program": relationship.program,
    }
    return _send_each("goal_proposed", people, context, reverse("goals:detail", args=[goal.code]))


def notify_new_log(visit) -> None:
    """Queue the new-log emails for when the current transaction commits."""
    transaction.on_commit(lambda: send_new_log_emails(visit))


def notify_goal_waiting(goal) -> None:
    """Queue the waiting-for-agreement emails for when the current transaction commits: to the
    protégé (each team member) for the mentor's proposal, to the mentor for the protégé's."""
    if goal.mentor_agreed_at is None:
        transaction.on_commit(lambda: send_goal_proposed_email(goal))
    else:
        transaction.on_commit(lambda: send_goal_agreement_emails(goal))
