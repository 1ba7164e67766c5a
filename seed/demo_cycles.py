"""The demo's coaching cycles: the coaching program runs its coaching in the common four
stages (focus, observe, reflect and give feedback, plan). Rachel Greene, the coach, is in
"Observe" of a second cycle with Maya Thompson, the resident (the first ended a fortnight
ago), and has kept the Sunflower Room team in "Reflect and give feedback" past its week, so
the coordinator's dashboard flags it.

The cycles are made through cycles.services, as a coach would; only their dates are moved
back afterwards, with plain updates, as the rest of the demo does."""

import datetime

from django.contrib.auth.models import User

from cycles.models import CoachingCycle, CycleStageRecord
from cycles.services import (
    coaching_cycle_advance,
    coaching_cycle_end,
    coaching_cycle_start,
    cycle_stage_add_common,
)
from goals.models import Goal
from programs.models import Program
from relationships.models import ClassroomTeam, SupportRelationship

# Each cycle: the day it started, the days its stages started (in order), and the day it ended.
EARLIER = (-45, (-45, -38, -30, -22), -14)  # Maya's first cycle, ended
CURRENT = (-10, (-10, -3), None)  # Maya's second cycle, in "Observe" since three days ago
OVERDUE = (-30, (-30, -23, -15), None)  # the team's, in "Reflect" for 15 days of its 7


def build_cycles(
    *,
    program: Program,
    coach: User,
    resident: User,
    team: ClassroomTeam,
    today: datetime.date,
) -> None:
    cycle_stage_add_common(program=program)
    with_resident = SupportRelationship.objects.get(program=program, protege=resident)
    with_team = SupportRelationship.objects.get(program=program, team=team)
    resident_goal = with_resident.goals.order_by("pk").first()
    team_goal = with_team.goals.order_by("pk").first()
    _cycle(with_resident, coach, resident_goal, "Segmenting with the blue group", EARLIER, today)
    _cycle(with_resident, coach, resident_goal, "Blending in the rhyming game", CURRENT, today)
    _cycle(with_team, coach, team_goal, "Open-ended questions at story time", OVERDUE, today)


def _cycle(
    relationship: SupportRelationship,
    coach: User,
    goal: Goal | None,
    focus: str,
    story: tuple[int, tuple[int, ...], int | None],
    today: datetime.date,
) -> CoachingCycle:
    started, stage_days, ended = story
    cycle = coaching_cycle_start(relationship=relationship, by=coach, goal=goal, focus=focus)
    for _ in stage_days[1:]:
        coaching_cycle_advance(cycle=cycle, by=coach)
    if ended is not None:
        coaching_cycle_end(cycle=cycle, by=coach)

    def day(offset: int) -> datetime.date:
        return today + datetime.timedelta(days=offset)

    records = list(cycle.stage_records.order_by("started_on", "pk"))
    ends = [*stage_days[1:], ended]
    for record, begun, done in zip(records, stage_days, ends, strict=True):
        CycleStageRecord.objects.filter(pk=record.pk).update(
            started_on=day(begun), completed_on=day(done) if done is not None else None
        )
    CoachingCycle.objects.filter(pk=cycle.pk).update(
        started_on=day(started), ended_on=day(ended) if ended is not None else None
    )
    return cycle
