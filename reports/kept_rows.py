"""The coordinator dashboard's rows and program-wide figures, kept between requests.

Working out a program's rows (reports/dashboard.py, `count_rows`: every relationship's visit
figures, goals, pauses and required goals, then the flags of relationships/flags.py) costs
about 0.04 ms a relationship: 90 ms for a program of 2,500, each time the dashboard, a page of
it, a filter or an export is asked for; its program-wide figures (visits by month, goals by
status, retention: `ProgramFigures`) 30 ms more. What comes out changes only when something
they read is written, or when the day changes. So each process keeps them, for the programs
it served last, under the program's version and the day (`Keep`); the rows as plain tuples in
the dashboard's order:

- the version is the roll-up's (reports/rollup/stored.py): bumped once the transaction of a
  write to the program's relationships, visits, pauses, goals, goal templates or enrollments,
  or to the program itself, commits; a request reads it (one query) and keeps nothing read
  under an older one. A count made while a write commits is kept under the version before
  the write's bump, so it is not read after it;
- the day is the program's wall-clock day (core/clock.py): flags such as "First visit
  overdue" come due with the date, not with a write;
- what is kept is counted again after DASHBOARD_KEPT_MAX_AGE_MINUTES all the same, for the
  writes in bulk that send no signal;
- a cycle stage comes due with the day as well, but the page reads every current stage anyway
  (cycles/selectors.py, one query), so its flag is added as the rows are read, not kept.

A process keeps DASHBOARD_KEPT_PROGRAMS programs at most, the least recently read going
first. With DASHBOARD_KEPT_ROWS off (the tests, but for their own: they write without
committing), everything is counted for every request, through the same tuples.

Everything kept is logistics (dates, counts, flags, ids, status labels), as on the dashboard
itself; a value holding words is kept per language by its caller.
"""

import datetime
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple, overload
from uuid import UUID

from django.conf import settings

from core import clock
from cycles.selectors import CurrentStage
from programs.models import Program
from relationships.figures import GoalFigures, VisitFigures
from relationships.flags import DOSAGE_FIELDS, Row, order_key
from reports.rollup.stored import program_version

CYCLE_FLAG = "flag_cycle_stage"


class Kept(NamedTuple):
    """One relationship's row as kept: what a `Row` is built from, without the program, the
    day and the cycle stage, which the request brings."""

    pk: int
    status: str
    kind: str
    mentor_id: int | None
    starts_on: datetime.date
    team_id: int | None
    dosage: tuple
    visits: VisitFigures  # frozen: shared by every request that reads the row
    goals: GoalFigures  # frozen too
    flag_names: tuple[str, ...]
    mentor_left_enrollment: UUID | None
    missing_required: tuple[int, ...]

    @property
    def last_visit_on(self) -> datetime.date | None:
        return self.visits.last_visit_on

    @classmethod
    def of(cls, row: Row) -> "Kept":
        return cls(
            pk=row.pk,
            status=row.status,
            kind=row.kind,
            mentor_id=row.mentor_id,
            starts_on=row.starts_on,
            team_id=row.team_id,
            dosage=tuple(row.dosage[name] for name in DOSAGE_FIELDS),
            visits=row.visits,
            goals=row.goals,
            flag_names=tuple(name for name in row.flag_names if name != CYCLE_FLAG),
            mentor_left_enrollment=row.mentor_left_enrollment,
            missing_required=tuple(row.missing_required),
        )


@dataclass(frozen=True)
class Stored:
    values: dict[str, object]  # by name: "rows", "figures" (never changed once kept)
    kept_at: datetime.datetime


_kept: OrderedDict[tuple[int, int, datetime.date], Stored] = OrderedDict()
_lock = threading.Lock()


def forget() -> None:
    """Drop everything kept by this process (the tests, between worlds)."""
    with _lock:
        _kept.clear()


class Keep:
    """What one request keeps and reads of one program: the version is read once (one
    query), when the first value is asked for."""

    def __init__(self, program: Program, today: datetime.date) -> None:
        self.program = program
        self.today = today
        self._key: tuple[int, int, datetime.date] | None = None

    def get[T](self, name: str, count: Callable[[], T]) -> T:
        """The value kept under `name` for the program's version and the day, or `count`ed
        now (and kept). Whatever is kept is shared between requests: never change it."""
        if not settings.DASHBOARD_KEPT_ROWS:
            return count()
        if self._key is None:
            self._key = (self.program.pk, program_version(self.program.pk), self.today)
        key = self._key
        now = clock.now()
        max_age = datetime.timedelta(minutes=settings.DASHBOARD_KEPT_MAX_AGE_MINUTES)
        with _lock:
            stored = _kept.get(key)
            if stored is not None and now - stored.kept_at <= max_age and name in stored.values:
                _kept.move_to_end(key)
                return stored.values[name]  # type: ignore[return-value]
        value = count()
        with _lock:
            current = _kept.get(key)
            if current is None or now - current.kept_at > max_age:
                # An older version or day of the same program is never read again.
                for old in [k for k in _kept if k[0] == key[0]]:
                    del _kept[old]
                current = Stored(values={}, kept_at=now)
                _kept[key] = current
            current.values[name] = value
            while len(_kept) > settings.DASHBOARD_KEPT_PROGRAMS:
                _kept.popitem(last=False)
        return value

    def rows(self, count: Callable[[], list[Row]]) -> tuple["Kept", ...]:
        """The program's rows in the dashboard's order (but for cycle stages)."""
        return self.get("rows", lambda: _in_order(count()))


def _in_order(rows: list[Row]) -> tuple[Kept, ...]:
    rows.sort(key=Row.sort_key)
    return tuple(Kept.of(row) for row in rows)


def in_order(
    rows: Iterable[Kept], *, today: datetime.date, stages: dict[int, CurrentStage]
) -> list[Kept]:
    """Kept rows in the dashboard's order once the overdue cycle stages count as flags (no
    query; kept rows are in order already when no stage is overdue)."""
    rows = list(rows)
    overdue = {pk for pk, current in stages.items() if current.time.is_overdue}
    if not overdue:
        return rows
    return sorted(
        rows,
        key=lambda kept: order_key(
            len(kept.flag_names) + (kept.pk in overdue),
            kept.last_visit_on,
            kept.starts_on,
            kept.pk,
            today=today,
        ),
    )


def flag_names(kept: Kept, stages: dict[int, CurrentStage]) -> tuple[str, ...]:
    """A kept row's flags, the cycle stage's included."""
    current = stages.get(kept.pk)
    if current is not None and current.time.is_overdue:
        return (*kept.flag_names, CYCLE_FLAG)
    return kept.flag_names


class Rows(Sequence[Row]):
    """Kept rows as a sequence of `Row`s, each built when it is read: a page of 25 out of
    2,500 builds 25 (Paginator slices it; an export reads every one)."""

    def __init__(
        self,
        kept: list[Kept],
        *,
        program: Program,
        today: datetime.date,
        stages: dict[int, CurrentStage],
    ) -> None:
        self.kept = kept
        self.program = program
        self.today = today
        self.stages = stages

    def __len__(self) -> int:
        return len(self.kept)

    @overload
    def __getitem__(self, index: int) -> Row: ...

    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...

    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        if isinstance(index, slice):
            return [self.row(kept) for kept in self.kept[index]]
        return self.row(self.kept[index])

    @property
    def pks(self) -> list[int]:
        return [kept.pk for kept in self.kept]

    def row(self, kept: Kept) -> Row:
        return Row(
            pk=kept.pk,
            status=kept.status,
            kind=kept.kind,
            starts_on=kept.starts_on,
            team_id=kept.team_id,
            dosage=dict(zip(DOSAGE_FIELDS, kept.dosage, strict=True)),
            program=self.program,
            visits=kept.visits,
            goals=kept.goals,
            today=self.today,
            flag_names=list(flag_names(kept, self.stages)),
            mentor_id=kept.mentor_id,
            mentor_left_enrollment=kept.mentor_left_enrollment,
            missing_required=list(kept.missing_required),
            cycle_stage=self.stages.get(kept.pk),
        )
