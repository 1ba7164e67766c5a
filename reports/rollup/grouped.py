"""The roll-up's figures grouped in the database: each table's cells come back as a few dozen
rows (a month, an activity, a program, a band of hours...) with their sums and how many
distinct people each describes, instead of a row per relationship to be combined in Python.

The statements share a head of common table expressions, built from the same querysets as
the per-relationship reference (figures.py): `rel`, the relationships counted (the filters'
queryset, compiled); `rp`, the people each describes (the protégé, or each member of the
team; `lead` marks one row per relationship, so that sums over `rp` count a team's visits
once); `rm`, each relationship's logged visits and minutes by month in the period (whole
months from the monthly summary rows, the days of a month the period cuts in two from the
visits); `pm`, its judged months (the pace rule of figures.pace_of, on the summary rows).

A cell's people are a `Headcount`: how many distinct people, and who they are only when they
are few (fewer than the small-cell minimum, or than the viewer's supervisees plus one). That
is all the small-cell rule (suppression.py) asks of them: whether a cell is small, whether it
describes only the viewer's supervisees, and whether hidden cells together describe N people.
PostgreSQL collects each cell's people once (`ARRAY_AGG(DISTINCT ...)`), and sends the ids only
for the few; SQLite (the tests) counts and lists them apart.
"""

import contextlib
import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db import connection, transaction

# PostgreSQL's memory for each sort and hash of the roll-up's statements (`SET LOCAL`, for
# their transaction only). The default 4 MB sends the hash aggregates of a state's year
# (hundreds of thousands of relationship-months) to disk in batches.
WORK_MEM = "64MB"

# A cell's people -------------------------------------------------------------------------


@dataclass(frozen=True)
class Headcount:
    """How many distinct people a figure describes; their ids when they are few (None when
    `count` reached the threshold the query was given)."""

    count: int
    ids: frozenset[int] | None = None

    def __len__(self) -> int:
        return self.count

    def __bool__(self) -> bool:
        return self.count > 0

    def __le__(self, other: frozenset[int]) -> bool:
        """Whether everyone described is in `other` (a set smaller than the threshold)."""
        if self.ids is None:
            return False
        return self.ids <= other


def known_ids(people) -> frozenset[int] | None:
    """The ids behind a cell's people, when known (a plain set, or a small Headcount)."""
    if isinstance(people, Headcount):
        return people.ids
    return frozenset(people)


# SQL pieces, by database -------------------------------------------------------------------


def postgres() -> bool:
    return connection.vendor == "postgresql"


@contextlib.contextmanager
def working_memory() -> Iterator[None]:
    """The roll-up's statements in one read-only transaction, with room to group in memory
    (PostgreSQL; elsewhere as they are)."""
    if not postgres():
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        yield


def date_param() -> str:
    return "CAST(%s AS date)" if postgres() else "%s"


def days_between(later: str, earlier: str) -> str:
    """Whole days from `earlier` to `later` (two date expressions)."""
    if postgres():
        return f"(({later}) - ({earlier}))"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def month_of(day: str) -> str:
    if postgres():
        return f"CAST(date_trunc('month', {day}) AS date)"
    return f"strftime('%%Y-%%m-01', {day})"


def year_of(day: str) -> str:
    if postgres():
        return f"CAST(EXTRACT(YEAR FROM {day}) AS integer)"
    return f"CAST(strftime('%%Y', {day}) AS integer)"


def activity_shares(visit: str) -> str:
    """FROM items listing, for each visit `visit` (an alias of relationships_visit), each of
    its activities (`listed.activity`) and its share of the minutes (`listed.minutes`), as
    `split_minutes` shares them."""
    if postgres():
        return f"""
        CROSS JOIN LATERAL (SELECT jsonb_array_length({visit}.activities) AS n) AS listed_n
        CROSS JOIN LATERAL (
            SELECT a.value AS activity,
                COALESCE({visit}.duration_minutes, 0) / listed_n.n
                + CASE WHEN a.position - 1 < COALESCE({visit}.duration_minutes, 0) %% listed_n.n
                    THEN 1 ELSE 0 END AS minutes
            FROM jsonb_array_elements_text(
                CASE WHEN jsonb_typeof({visit}.activities) = 'array'
                    THEN {visit}.activities ELSE '[]'::jsonb END
            ) WITH ORDINALITY AS a(value, position)
        ) AS listed"""
    return f"""
        JOIN (
            SELECT v2.id AS visit_id, a.value AS activity,
                COALESCE(v2.duration_minutes, 0) / json_array_length(v2.activities)
                + CASE WHEN a.key < COALESCE(v2.duration_minutes, 0)
                    %% json_array_length(v2.activities) THEN 1 ELSE 0 END AS minutes
            FROM relationships_visit v2, json_each(v2.activities) AS a
            WHERE json_type(v2.activities) = 'array'
        ) AS listed ON listed.visit_id = {visit}.id"""


class People:
    """The people columns of one statement. The statements first group to one row per cell
    and person (a hash aggregate: no sorting for DISTINCT), then count those rows: `count`
    is the aggregate of that second level, `outer` its two columns (count, ids when few)."""

    def __init__(self, threshold: int):
        self.threshold = threshold

    def count(self, name: str, where: str = "", person: str = "person") -> str:
        condition = f"{person} IS NOT NULL" + (f" AND ({where})" if where else "")
        if postgres():
            return (
                f"COUNT({person}) FILTER (WHERE {condition}) AS {name}_n, "
                f"ARRAY_AGG({person}) FILTER (WHERE {condition}) AS {name}_a"
            )
        return (
            f"COUNT({person}) FILTER (WHERE {condition}) AS {name}_n, "
            f"GROUP_CONCAT({person}) FILTER (WHERE {condition}) AS {name}_a"
        )

    def outer(self, name: str) -> str:
        """The two columns (count, ids when few) of the outer query."""
        t = int(self.threshold)
        ids = f"array_to_string({name}_a, ',')" if postgres() else f"{name}_a"
        return f"{name}_n, CASE WHEN {name}_n < {t} THEN {ids} END"


def headcount(count: int | None, ids: str | None) -> Headcount:
    if not count:
        return Headcount(0, frozenset())
    known = None if ids is None else frozenset(int(pk) for pk in str(ids).split(",") if pk)
    return Headcount(int(count), known)


def people_of(row: Sequence, start: int, columns: int) -> list[Headcount]:
    """`columns` Headcounts from a row, from its `start`th column (pairs of count, ids)."""
    return [headcount(row[start + 2 * i], row[start + 2 * i + 1]) for i in range(columns)]


def fetch(sql: str, params: Iterable) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return list(cursor.fetchall())


@dataclass
class Head:
    """A WITH clause and its parameters, shared by the statements of one roll-up."""

    sql: str
    params: list

    def statement(self, body: str, params: Iterable = ()) -> tuple[str, list]:
        return f"WITH {self.sql} {body}", [*self.params, *params]


def iso(day: datetime.date) -> str:
    return day.isoformat()
