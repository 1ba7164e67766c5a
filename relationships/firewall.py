"""The supervision firewall: who is kept from a protégé's conversation and private tiers.

The rule (docs/design.md, "The supervision firewall") is stated once, in `walls()`. A person
is walled off from a protégé:

- while they are the protégé's supervisor (`ProtegeProfile.supervisor`, or an open
  `Supervision`): from every relationship of the protégé, and of any classroom team the
  protégé belongs to;
- for `FIREWALL_FORMER_SUPERVISOR_DAYS` (a setting, a year by default) after their supervision
  ended, exactly as while it lasted;
- after that, for ever, from every relationship created before their supervision ended: all
  that was written while they were supervisor lives in those.

Walled off means no conversation tier and no private tier in those relationships, whatever
other role the person holds (mentor, coach, coordinator of a program that shares logs); as a
coordinator of the program they keep its logistics, like any coordinator. A whole wall (the
first two cases) also means they are never matched as the protégé's mentor or coach.

Everything reads this one rule: the querysets (`visible_to`, `conversation_visible_to` of
relationships, visits and goals) through `Firewall.q()`, the rules predicates through
`Firewall.covers()`, both from the per-request `Firewall` of relationships/roles.py; matching
and `services.check_firewall` through `walls(proteges=...)`; the exports through the
querysets.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.db.models import DateTimeField, Q, Value
from django.utils.translation import gettext, ngettext

from core import clock
from programs.models import ProtegeProfile, Supervision
from relationships.models import ClassroomTeam, SupportRelationship


def former_supervisor_period() -> datetime.timedelta:
    """How long a former supervisor stays walled off as if they still supervised."""
    return datetime.timedelta(days=settings.FIREWALL_FORMER_SUPERVISOR_DAYS)


def former_supervisor_period_words() -> str:
    """The period in words, for the pages that explain it ("a year", "90 days")."""
    days = settings.FIREWALL_FORMER_SUPERVISOR_DAYS
    if days == 365:
        return gettext("a year")
    return ngettext("%(days)s day", "%(days)s days", days) % {"days": days}


@dataclass(frozen=True)
class Wall:
    """`supervisor_id` is walled off from `protege_id`.

    `ended_at` is when the supervision ended (None while it lasts). A `whole` wall covers
    every relationship of the protégé; otherwise only those created before `ended_at`."""

    supervisor_id: int
    protege_id: int
    ended_at: datetime.datetime | None
    whole: bool


def lifts_on(ended_at: datetime.datetime) -> datetime.date:
    """The day a whole wall around a supervisor whose supervision ended at `ended_at` becomes a
    partial one."""
    return clock.local_date(ended_at + former_supervisor_period())


def walls(*, supervisor=None, proteges: Iterable[int] | None = None) -> list[Wall]:
    """The walls that stand now: around one `supervisor` (a user), or around some `proteges`
    (user ids). One query.

    A current supervisor (on the profile, or an open spell) gets a whole wall; a former one a
    whole wall for the set period after their last spell with the protégé ended, then a wall
    around the relationships created before it ended."""
    spells = Supervision.objects.order_by()
    current = ProtegeProfile.objects.filter(supervisor__isnull=False).order_by()
    if supervisor is not None:
        spells = spells.filter(supervisor=supervisor)
        current = current.filter(supervisor=supervisor)
    if proteges is not None:
        proteges = list(proteges)
        spells = spells.filter(protege_id__in=proteges)
        current = current.filter(user_id__in=proteges)
    current_rows = current.annotate(ended=Value(None, output_field=DateTimeField())).values_list(
        "supervisor_id", "user_id", "ended"
    )
    spell_rows = spells.values_list("supervisor_id", "protege_id", "ended_at")
    # Not the model's ordering: the union does not select its columns.
    rows = spell_rows.union(current_rows, all=True).order_by()
    ended: dict[tuple[int, int], datetime.datetime | None] = {}
    for supervisor_id, protege_id, ended_at in rows:
        key = (supervisor_id, protege_id)
        if key not in ended:
            ended[key] = ended_at
        elif (latest := ended[key]) is not None:  # the latest end counts; a current spell none
            ended[key] = None if ended_at is None else max(latest, ended_at)
    horizon = clock.now() - former_supervisor_period()
    return [
        Wall(supervisor_id, protege_id, ended_at, whole=ended_at is None or ended_at > horizon)
        for (supervisor_id, protege_id), ended_at in ended.items()
    ]


def whole_walls_around(people_ids: Iterable[int]) -> list[Wall]:
    """The whole walls around these protégés: who may not be their mentor or coach now."""
    return [wall for wall in walls(proteges=people_ids) if wall.whole]


class Firewall:
    """The walls around one person, and the relationships they cover, worked out once per
    request (relationships/roles.py keeps it on the user): the querysets and the predicates
    read these sets, so lists never query per row. Each set costs one query the first time it
    is asked for, and none when there is nothing to wall off."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def walls(self) -> list[Wall]:
        if not self.user.is_authenticated:
            return []
        return walls(supervisor=self.user)

    @cached_property
    def protege_ids(self) -> frozenset[int]:
        """Protégés behind a whole wall: all their relationships are covered."""
        return frozenset(wall.protege_id for wall in self.walls if wall.whole)

    @cached_property
    def team_ids(self) -> frozenset[int]:
        """Classroom teams with a member behind a whole wall."""
        if not self.protege_ids:
            return frozenset()
        return frozenset(
            ClassroomTeam.objects.filter(members__in=self.protege_ids)
            .values_list("pk", flat=True)
            .distinct()
        )

    @cached_property
    def relationship_ids(self) -> frozenset[int]:
        """Relationships covered by partial walls: those created before the supervision of
        their protégé (or of a member of their team) ended."""
        condition = Q()
        for wall in self.walls:
            if not wall.whole:
                people = Q(protege_id=wall.protege_id) | Q(team__members=wall.protege_id)
                condition |= people & Q(created_at__lt=wall.ended_at)
        if not condition:
            return frozenset()
        return frozenset(
            SupportRelationship.objects.filter(condition).values_list("pk", flat=True).distinct()
        )

    def q(self) -> Q:
        """The relationships walled off from this person, as a condition on relationships."""
        return (
            Q(protege__in=self.protege_ids)
            | Q(team__in=self.team_ids)
            | Q(pk__in=self.relationship_ids)
        )

    def covers(self, relationship) -> bool:
        """Whether this relationship is walled off from this person."""
        if relationship.protege_id is not None and relationship.protege_id in self.protege_ids:
            return True
        if relationship.team_id is not None and relationship.team_id in self.team_ids:
            return True
        return relationship.pk in self.relationship_ids
