"""What the pages read of coaching cycles, as small typed values.

`panel` is the relationship page's cycle section (a fixed handful of queries; none at all for a
program without stages); `current_stages` is the dashboard's: every open cycle's current stage
in a program, in two queries (the stages, the pauses since they started), whatever the number
of relationships. A stage is due its days after it started, plus the days its relationship was
paused since.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from core.querytools import head_and_total
from cycles.models import CoachingCycle, CycleStage, CycleStageRecord, due_on
from programs.models import Program
from relationships.flags import Row
from relationships.models import Pause, SupportRelationship, Visit
from relationships.pace import Spell, paused_days

VISITS_SHOWN = 5  # visits of the cycle listed on the relationship page
EARLIER_SHOWN = 3  # ended cycles listed under the current one


@dataclass(frozen=True)
class StageTime:
    """A stage as a cycle lives it: when it started, when it is due, and whether it is late,
    judged on `today`."""

    name: str
    started_on: datetime.date
    cadence_days: int
    today: datetime.date
    # Days the relationship was paused since the stage started: they do not count against it,
    # as they do not count against its dosage (relationships/pace.py).
    paused_days: int = 0

    @property
    def due_on(self) -> datetime.date:
        return due_on(self.started_on, self.cadence_days) + datetime.timedelta(
            days=self.paused_days
        )

    @property
    def days_overdue(self) -> int:
        """Days past the due date (0 on the day it is due and before)."""
        return max((self.today - self.due_on).days, 0)

    @property
    def is_overdue(self) -> bool:
        return self.days_overdue > 0

    @property
    def is_due_today(self) -> bool:
        return self.today == self.due_on


@dataclass(frozen=True)
class StageLine:
    """One line of the cycle's stages on the relationship page."""

    name: str
    state: str  # "done", "current" or "next"
    started_on: datetime.date | None = None
    completed_on: datetime.date | None = None
    time: StageTime | None = None  # the current stage's


@dataclass(frozen=True)
class Panel:
    """The relationship page's coaching cycle section."""

    cycle: CoachingCycle | None  # the cycle under way, if any
    lines: list[StageLine] = field(default_factory=list)
    current: CycleStageRecord | None = None
    current_time: StageTime | None = None
    next_stage: CycleStage | None = None
    visits: list[Visit] = field(default_factory=list)
    visit_total: int = 0
    earlier: list[CoachingCycle] = field(default_factory=list)


def uses_cycles(relationship: SupportRelationship) -> bool:
    """Whether the relationship's program names cycle stages (no query: the program knows)."""
    program = relationship.program
    return program is not None and program.has_cycle_stages


def panel(relationship: SupportRelationship, *, today: datetime.date) -> Panel:
    """The cycle under way with its stages, visits and goal, and the cycles before it (five
    queries with a cycle under way, two without)."""
    program = relationship.program
    assert program is not None  # `uses_cycles` said so
    stages = list(program.cycle_stages.active().order_by("order"))
    cycles = list(
        relationship.coaching_cycles.select_related("goal").order_by("-number")[: EARLIER_SHOWN + 1]
    )
    cycle = cycles[0] if cycles and cycles[0].is_open else None
    earlier = [each for each in cycles if not each.is_open][:EARLIER_SHOWN]
    if cycle is None:
        return Panel(cycle=None, earlier=earlier)
    records = list(cycle.stage_records.select_related("stage").order_by("started_on", "pk"))
    current = next((record for record in records if record.completed_on is None), None)
    lines = [
        StageLine(
            name=record.stage.name,
            state="done",
            started_on=record.started_on,
            completed_on=record.completed_on,
        )
        for record in records
        if record.completed_on is not None
    ]
    current_time = None
    following: list[CycleStage] = []
    if current is not None:
        current_time = StageTime(
            name=current.stage.name,
            started_on=current.started_on,
            cadence_days=current.stage.cadence_days,
            today=today,
            paused_days=_paused_since({relationship.pk: current.started_on}, today).get(
                relationship.pk, 0
            ),
        )
        lines.append(
            StageLine(
                name=current.stage.name,
                state="current",
                started_on=current.started_on,
                time=current_time,
            )
        )
        following = [stage for stage in stages if stage.order > current.stage.order]
        lines += [StageLine(name=stage.name, state="next") for stage in following]
    visits, total = head_and_total(
        relationship.visits.filter(status=Visit.Status.LOGGED, date__gte=cycle.started_on).order_by(
            "-date", "-pk"
        ),
        VISITS_SHOWN,
    )
    return Panel(
        cycle=cycle,
        lines=lines,
        current=current,
        current_time=current_time,
        next_stage=following[0] if following else None,
        visits=visits,
        visit_total=total,
        earlier=earlier,
    )


@dataclass(frozen=True)
class CurrentStage:
    """An open cycle's current stage, for the dashboard."""

    relationship_id: int
    cycle_number: int
    time: StageTime


def current_stages(program: Program, *, today: datetime.date) -> dict[int, CurrentStage]:
    """The current stage of every open cycle of the program's active relationships, by
    relationship id (two queries; none for a program without stages). A paused relationship's
    cycle is not judged, as its dosage is not."""
    return current_stages_of([program], today=today)


def current_stages_of(
    programs: Iterable[Program | None], *, today: datetime.date
) -> dict[int, CurrentStage]:
    """`current_stages` of several programs at once (two queries; none when no program has
    stages): the coordinators' weekly digest (nudges/selectors.py)."""
    ids = [program.pk for program in programs if program is not None and program.has_cycle_stages]
    if not ids:
        return {}
    records = list(
        CycleStageRecord.objects.filter(
            Q(completed_on__isnull=True),
            cycle__ended_on__isnull=True,
            cycle__relationship__program__in=ids,
            cycle__relationship__status=SupportRelationship.Status.ACTIVE,
        ).values_list(
            "cycle__relationship_id",
            "cycle__number",
            "stage__name",
            "started_on",
            "stage__cadence_days",
        )
    )
    paused = _paused_since({record[0]: record[3] for record in records}, today)
    return {
        relationship_id: CurrentStage(
            relationship_id=relationship_id,
            cycle_number=number,
            time=StageTime(
                name=name,
                started_on=started_on,
                cadence_days=cadence_days,
                today=today,
                paused_days=paused.get(relationship_id, 0),
            ),
        )
        for relationship_id, number, name, started_on, cadence_days in records
    }


def due_counting_pauses(
    relationship: SupportRelationship,
    started_on: datetime.date,
    cadence_days: int,
    *,
    today: datetime.date,
) -> datetime.date:
    """When a stage of the relationship started on `started_on` is due, as of `today`: its
    days, plus the days the relationship has been paused since (one query)."""
    paused = _paused_since({relationship.pk: started_on}, today).get(relationship.pk, 0)
    return due_on(started_on, cadence_days) + datetime.timedelta(days=paused)


def _paused_since(started: dict[int, datetime.date], today: datetime.date) -> dict[int, int]:
    """Days each relationship (by id) was paused from the day given (its current stage's start)
    to `today`: one query, for the pauses that end after the earliest of those days."""
    if not started:
        return {}
    spells: dict[int, list[Spell]] = {}
    for relationship_id, starts_on, ends_on in Pause.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=min(started.values())),
        relationship_id__in=list(started),
        starts_on__lte=today,
    ).values_list("relationship_id", "starts_on", "ends_on"):
        spells.setdefault(relationship_id, []).append((starts_on, ends_on))
    return {
        relationship_id: paused_days(started[relationship_id], today, relationship_spells)
        for relationship_id, relationship_spells in spells.items()
    }


def flag_overdue_stages(rows: list[Row], stages: dict[int, CurrentStage]) -> None:
    """Give each row (relationships/flags.py) its coaching cycle's current stage, and flag
    "Cycle stage overdue" the ones past their days (no query)."""
    for row in rows:
        current = stages.get(row.pk)
        if current is None:
            continue
        row.cycle_stage = current
        if current.time.is_overdue:
            row.flag_names.append("flag_cycle_stage")
