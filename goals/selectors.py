"""What goal pages show beyond the models: an action step with whose it is and whether the
reader may mark it, a progress point with who recorded it and whether the reader may change it.

The rows are built for one page and one reader; the rules they apply are those of
goals/rules.py and goals/services.py, worked out without a query per row.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User

from core.names import person_name
from goals.models import ActionStep, Goal, ProgressEntry
from goals.owners import step_owner
from relationships.models import SupportRelationship


@dataclass(frozen=True)
class StepRow:
    """One action step, for one reader."""

    step: ActionStep
    owner: str  # whose step it is, by name (goals/owners.py)
    can_mark: bool  # the reader may mark it done, or not done


def step_rows(
    steps: Iterable[ActionStep],
    relationship: SupportRelationship,
    reader_role: str | None,
    *,
    can_work: bool = True,
) -> list[StepRow]:
    """`steps` of a goal of `relationship`, for a reader who is its "mentor", its "protege"
    (or a member of its team), or neither. `can_work`: the reader works on the goal (the rule
    goals.work_on_goal). A protégé never marks the mentor's or coach's own steps
    (services.action_step_mark_done)."""
    return [
        StepRow(
            step=step,
            owner=step_owner(step.who, relationship, reader_role),
            can_mark=can_work
            and not (reader_role == "protege" and step.who == ActionStep.Who.MENTOR),
        )
        for step in steps
    ]


@dataclass(frozen=True)
class PointRow:
    """One progress point, for one reader."""

    entry: ProgressEntry
    author: str  # "you", or the name of the person who recorded it
    can_change: bool  # the reader may correct or withdraw it


@dataclass(frozen=True)
class ProgressPoints:
    """A goal's progress points by date: those that count, and those withdrawn."""

    current: list[PointRow]
    withdrawn: list[PointRow]

    @property
    def entries(self) -> list[ProgressEntry]:
        """The points that count, for the chart."""
        return [row.entry for row in self.current]


def progress_points(goal: Goal, reader: User, *, can_work: bool) -> ProgressPoints:
    """The goal's points for `reader` (one query). `can_work`: the reader works on the goal;
    then they change the points they recorded while the goal is open (the rule
    goals.change_progress_entry, without asking it per row)."""
    current: list[PointRow] = []
    withdrawn: list[PointRow] = []
    entries = goal.progress_entries.select_related("recorded_by", "visit").order_by("date", "pk")
    for entry in entries:
        mine = entry.recorded_by_id == reader.pk
        row = PointRow(
            entry=entry,
            author="you" if mine else person_name(entry.recorded_by),
            can_change=can_work and goal.is_open and mine,
        )
        (withdrawn if entry.is_withdrawn else current).append(row)
    return ProgressPoints(current=current, withdrawn=withdrawn)
