"""Emails about a relationship and what waits in it.

- a visit log waits for the protégé's acknowledgement (`new_log`);
- a goal the mentor proposed waits for the protégé's agreement (`goal_agreement`), and one the
  protégé proposed waits for the mentor's (`goal_proposed`);
- the protégé acknowledged a log, with or without a reflection (`log_answered`);
- a relationship was made, paused, made active again or ended (`relationship_changed`): both
  sides are told;
- a colleague invites someone to an informal relationship (`informal_invitation`), like a
  request to join a program: it cannot be turned off, and it is not sent once answered or
  withdrawn.

Each goes through the outbox (outbox/services.py): queued with ids, written and sent by the task
worker once the write that caused it commits, and only to people who have not turned it off. By
the time it is written, what it is about may have moved on (the log acknowledged, the goal
agreed): then it is not sent. The emails say what happened and link to the page; the words of
a log, a goal or a reflection stay in the app.
"""

from django.conf import settings
from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.names import person_name
from outbox import kinds
from outbox import services as outbox
from outbox.kinds import Kind, Letter
from outbox.models import Delivery
from relationships.informal import InformalInvitation
from relationships.models import SupportRelationship
from relationships.roles import MENTOR, PROTEGE
from relationships.visits import Acknowledgement, Visit

NEW_LOG = "new_log"
GOAL_AGREEMENT = "goal_agreement"
GOAL_PROPOSED = "goal_proposed"
LOG_ANSWERED = "log_answered"
RELATIONSHIP_CHANGED = "relationship_changed"
INFORMAL_INVITATION = "informal_invitation"

# What a relationship email says happened, by the `event` it was queued with.
EVENTS = {
    "matched": _("has started"),
    "paused": _("is paused"),
    "resumed": _("is active again"),
    "ended": _("has ended"),
}


def supported(relationship: SupportRelationship) -> list[User]:
    """The protégé, or each member of the classroom team."""
    if relationship.protege is not None:
        return [relationship.protege]
    if relationship.team is not None:
        return list(relationship.team.members.order_by("pk"))
    return []


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def letter(template: str, delivery: Delivery, context: dict, path: str) -> Letter:
    """The letter from `email/<template>.txt` and its subject, addressed to the recipient."""
    recipient = delivery.recipient
    context = {
        **context,
        "recipient": recipient,
        "recipient_name": person_name(recipient) if recipient else "",
        "url": site_url(path),
    }
    return Letter(
        subject=render_to_string(f"email/{template}_subject.txt", context),
        body=render_to_string(f"email/{template}.txt", context),
    )


def _visit(delivery: Delivery) -> Visit | None:
    return (
        Visit.objects.select_related("relationship__program", "relationship__mentor")
        .filter(pk=delivery.params.get("visit"))
        .first()
    )


def write_new_log(delivery: Delivery) -> Letter | None:
    visit = _visit(delivery)
    if visit is None or visit.acknowledgements.filter(protege=delivery.recipient).exists():
        return None
    relationship = visit.relationship
    context = {
        "visit": visit,
        "mentor_name": relationship.mentor_name,
        "kind": relationship.get_kind_display().lower(),
        "program": relationship.program,
    }
    return letter(
        "new_log", delivery, context, reverse("relationships:visit_acknowledge", args=[visit.code])
    )


def write_log_answered(delivery: Delivery) -> Letter | None:
    answer = (
        Acknowledgement.objects.select_related("visit__relationship__program", "protege")
        .filter(pk=delivery.params.get("acknowledgement"))
        .first()
    )
    if answer is None:
        return None
    visit = answer.visit
    context = {
        "visit": visit,
        "protege_name": person_name(answer.protege),
        "reflected": bool(answer.reflection),
        "program": visit.relationship.program,
    }
    return letter("log_answered", delivery, context, visit.get_absolute_url())


def write_relationship_changed(delivery: Delivery) -> Letter | None:
    relationship = (
        SupportRelationship.objects.select_related("program", "mentor", "protege", "team")
        .filter(pk=delivery.params.get("relationship"))
        .first()
    )
    event = delivery.params.get("event", "")
    if relationship is None or event not in EVENTS:
        return None
    is_mentor = delivery.recipient_id == relationship.mentor_id
    context = {
        "relationship": relationship,
        "happened": EVENTS[event],
        "event": event,
        "kind": relationship.get_kind_display().lower(),
        "other_name": relationship.supported_name if is_mentor else relationship.mentor_name,
        "program": relationship.program,
    }
    return letter("relationship_changed", delivery, context, relationship.get_absolute_url())


def write_informal_invitation(delivery: Delivery) -> Letter | None:
    invitation = (
        InformalInvitation.objects.pending()
        .select_related("inviter")
        .filter(pk=delivery.params.get("invitation"))
        .first()
    )
    if invitation is None:
        return None
    context = {
        "inviter_name": person_name(invitation.inviter),
        "kind": invitation.get_kind_display().lower(),
        "asked_to_be": invitation.invitee_role_display,
    }
    return letter("informal_invitation", delivery, context, invitation.get_absolute_url())


def notify_informal_invitation(invitation: InformalInvitation) -> None:
    """Tell the person invited to an informal relationship."""
    outbox.queue(INFORMAL_INVITATION, invitation.invitee, invitation=invitation.pk)


def notify_new_log(visit: Visit) -> None:
    """Tell each protégé (each team member) that `visit`'s log waits for them."""
    relationship = visit.relationship
    for person in supported(relationship):
        if person.pk != relationship.mentor_id:
            outbox.queue(NEW_LOG, person, visit=visit.pk)


def notify_log_answered(answer: Acknowledgement) -> None:
    """Tell the mentor or coach that a protégé acknowledged their log (and maybe reflected)."""
    outbox.queue(LOG_ANSWERED, answer.visit.relationship.mentor, acknowledgement=answer.pk)


def notify_relationship(relationship: SupportRelationship, event: str) -> None:
    """Tell both sides that `relationship` was made, paused, made active again or ended."""
    for person in [relationship.mentor, *supported(relationship)]:
        outbox.queue(RELATIONSHIP_CHANGED, person, relationship=relationship.pk, event=event)


def register_kinds() -> None:
    kinds.register(
        Kind(
            name=NEW_LOG,
            write=write_new_log,
            switch=_("Email me when a visit log waits for my acknowledgement"),
            roles=frozenset({PROTEGE}),
        ),
        Kind(
            name=LOG_ANSWERED,
            write=write_log_answered,
            switch=_("Email me when a teacher acknowledges my visit log or writes a reflection"),
            roles=frozenset({MENTOR}),
        ),
        Kind(
            name=RELATIONSHIP_CHANGED,
            write=write_relationship_changed,
            switch=_("Email me when a relationship of mine starts, pauses or ends"),
            roles=frozenset({MENTOR, PROTEGE}),
        ),
        Kind(name=INFORMAL_INVITATION, write=write_informal_invitation),
    )
