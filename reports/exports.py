"""CSV exports of a program's relationships, visits and goals, for the dashboard's filters.

Logistics only (dates, durations, activities, statuses, goal titles), unless the program lets
coordinators read shared logs: then the log sections and goal details are added, for the
rows the person may read in that tier (never a supervised protégé's; only what was written since
the program began sharing logs). Private notes and private reflections are never exported.

Each exporter yields rows of cells (the header first); `programs.views.access.csv_download`
writes them through `core.spreadsheet`, which keeps text from being read as a formula.

Rows are streamed, as values rather than model instances: memory stays flat however large the
program, and the queries are a fixed few, plus two per thousand rows for the names of the
relationships those rows have not met yet. The relationships export reads the dashboard's kept
rows and, kept with them, each relationship's own columns (reports/kept_rows.py): a query for
the version, one for the people's names, one for the teams' sizes.
"""

import datetime
import itertools
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple
from uuid import UUID

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import pgettext, pgettext_lazy

from core import clock
from core.access import Read
from core.names import names_by_id
from core.querytools import any_of
from goals.models import Goal
from programs.models import Program
from relationships.figures import team_sizes
from relationships.flags import DOSAGE_FIELDS, FLAGS
from relationships.models import SupportRelationship, Visit, expected_dosage
from reports.dashboard import Filters, filtered_relationships, relationship_rows
from reports.kept_rows import Keep
from reports.kept_rows import flag_names as kept_flag_names

KINDS = ("relationships", "visits", "goals")
ROW_CHUNK = 1000  # visits or goals read at a time


def labels(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """Choices' labels by value, translated once for the whole export: a lazy label is
    translated again each time it is written, and a big program's export wrote some 8,000."""
    return {value: str(label) for value, label in choices}


def _date(value) -> str:
    return value.isoformat() if value else ""


def shares_logs(program: Program, user: User) -> bool:
    """Whether this person reads the shared tier in this program as its coordinator."""
    return (
        program.coordinators_read_shared_logs and program.coordinators.filter(pk=user.pk).exists()
    )


def relationship_csv(program: Program, filters: Filters, user: User) -> Iterator[list]:
    yield [
        pgettext("CSV column", "relationship"),
        pgettext("CSV column", "kind"),
        pgettext("CSV column", "format"),
        pgettext("CSV column", "mentor or coach"),
        pgettext("CSV column", "protégé or team"),
        pgettext("CSV column", "people"),
        pgettext("CSV column", "status"),
        pgettext("CSV column", "starts on"),
        pgettext("CSV column", "planned end"),
        pgettext("CSV column", "ended on"),
        pgettext("CSV column", "last visit"),
        pgettext("CSV column", "visits this month"),
        pgettext("CSV column", "visits expected per month"),
        pgettext("CSV column", "minutes this month"),
        pgettext("CSV column", "minutes expected per month"),
        pgettext("CSV column", "goals"),
        pgettext("CSV column", "flags"),
    ]
    formats = labels(SupportRelationship.Format.choices)
    statuses = labels(SupportRelationship.Status.choices)
    kinds = labels(SupportRelationship.Kind.choices)
    flags = labels(FLAGS.items())
    # The dashboard's kept rows and, kept with them, each relationship's own columns: what
    # the program's version covers (reports/kept_rows.py). The people's names can change
    # without it, so they are read for each export (one query).
    keep = Keep(program, clock.today())
    rows = relationship_rows(program, filters, today=keep.today, keep=keep)
    details = keep.get("export-details", lambda: _program_details(program))
    people = names_by_id(
        {pk for row in rows.kept for pk in (row.mentor_id, details[row.pk].protege_id) if pk}
    )
    sizes = team_sizes({row.team_id for row in rows.kept if row.team_id})
    visits_expected, minutes_expected = (
        DOSAGE_FIELDS.index("visits_per_month"),
        DOSAGE_FIELDS.index("minutes_per_month"),
    )
    for row in rows.kept:
        own = details[row.pk]
        visits = row.visits
        expected_visits = expected_dosage(row.dosage[visits_expected], program, "visits_per_month")
        expected_minutes = expected_dosage(
            row.dosage[minutes_expected], program, "minutes_per_month"
        )
        yield [
            own.code,
            kinds[row.kind],
            formats[own.format],
            people[row.mentor_id].name if row.mentor_id else "",
            people[own.protege_id].name if own.protege_id else own.team_name,
            sizes.get(row.team_id, 0) if row.team_id else 1,
            statuses[row.status],
            _date(row.starts_on),
            _date(own.planned_end_on),
            _date(own.ended_on),
            _date(visits.last_visit_on),
            visits.visits_this_month,
            expected_visits or "",
            visits.minutes_this_month,
            expected_minutes or "",
            row.goals.goal_count,
            "; ".join(flags[name] for name in kept_flag_names(row, rows.stages)),
        ]


class Details(NamedTuple):
    """A relationship's own columns in the relationships export (no names)."""

    code: UUID
    format: str
    planned_end_on: datetime.date | None
    ended_on: datetime.date | None
    protege_id: int | None
    team_name: str


def _program_details(program: Program) -> dict[int, Details]:
    """`Details` of every relationship of the program, by id (one query)."""
    columns = ("pk", "code", "format", "planned_end_on", "ended_on", "protege_id", "team__name")
    return {
        pk: Details(code, fmt, planned, ended, protege_id, team_name or "")
        for pk, code, fmt, planned, ended, protege_id, team_name in (
            SupportRelationship.objects.filter(program=program).values_list(*columns)
        )
    }


def _relationship_details(pks: list[int]) -> dict[int, dict]:
    """The columns of the relationships export, by relationship id, with the names of the
    people as "mentor" and "protege" (two queries; values, not model instances: an export can
    hold thousands of rows)."""
    columns = (
        "pk",
        "code",
        "kind",
        "format",
        "status",
        "starts_on",
        "planned_end_on",
        "ended_on",
        "team__name",
        "mentor_id",
        "protege_id",
    )
    rows = list(SupportRelationship.objects.filter(any_of("pk", pks)).values(*columns))
    people = names_by_id(
        pk for row in rows for pk in (row["mentor_id"], row["protege_id"]) if pk is not None
    )
    kinds = labels(SupportRelationship.Kind.choices)
    for row in rows:
        row["mentor"] = people[row["mentor_id"]].name
        row["protege"] = people[row["protege_id"]].name if row["protege_id"] else ""
        row["supported"] = row["protege"] or row["team__name"]
        row["kind_label"] = kinds[row["kind"]]
    return {row["pk"]: row for row in rows}


def _with_relationships(rows: Iterable[dict]) -> Iterator[tuple[dict, dict]]:
    """Each visit or goal row with its relationship's details (`_relationship_details`),
    fetched once per relationship, for a chunk of rows at a time."""
    known: dict[int, dict] = {}
    for chunk in itertools.batched(rows, ROW_CHUNK):
        missing = {row["relationship_id"] for row in chunk} - known.keys()
        if missing:
            known.update(_relationship_details(list(missing)))
        for row in chunk:
            yield row, known[row["relationship_id"]]


def _readable(model, user: User) -> Exists:
    """Whether `user` may read the shared tier of a visit or goal row: never a supervised
    protégé's, and for a coordinator only what was written since the program began sharing
    logs (`conversation_visible_to`)."""
    return Exists(model.objects.conversation_visible_to(user).filter(pk=OuterRef("pk")))


def _filtered_relationships(program: Program, filters: Filters) -> QuerySet | list[int]:
    """The relationships the dashboard shows for these filters: a subquery, or a list of ids
    when a flag filter (worked out in Python) is on."""
    if filters.flag:
        return relationship_rows(program, filters).pks
    return filtered_relationships(program, filters).values("pk")


SHARED_VISIT_FIELDS = (
    ("whats_working", pgettext_lazy("CSV column", "what's working")),
    ("focus_challenges", pgettext_lazy("CSV column", "current focus / challenges")),
    ("feedback", pgettext_lazy("CSV column", "feedback")),
    ("protege_next_steps", pgettext_lazy("CSV column", "protégé's next steps")),
    ("mentor_next_steps", pgettext_lazy("CSV column", "mentor's next steps")),
    ("next_meeting_focus", pgettext_lazy("CSV column", "next meeting focus")),
)


def visit_csv(program: Program, filters: Filters, user: User) -> Iterator[list]:
    shared = shares_logs(program, user)
    header = [
        pgettext("CSV column", "visit"),
        pgettext("CSV column", "relationship"),
        pgettext("CSV column", "kind"),
        pgettext("CSV column", "mentor or coach"),
        pgettext("CSV column", "protégé or team"),
        pgettext("CSV column", "status"),
        pgettext("CSV column", "date"),
        pgettext("CSV column", "duration (minutes)"),
        pgettext("CSV column", "activities"),
        pgettext("CSV column", "next meeting"),
        pgettext("CSV column", "cancel reason"),
    ]
    if shared:
        header += [str(label) for _, label in SHARED_VISIT_FIELDS]
    yield header
    # Only the columns written: private notes are never even read.
    fields = [
        "relationship_id",
        "code",
        "status",
        "date",
        "duration_minutes",
        "activities",
        "next_meeting_on",
        "cancel_reason",
    ]
    visits = Visit.objects.filter(
        relationship__in=_filtered_relationships(program, filters)
    ).order_by("-date", "-pk")
    if shared:
        visits = visits.annotate(readable=_readable(Visit, user))
        fields += ["readable", *(name for name, _ in SHARED_VISIT_FIELDS)]
    statuses = labels(Visit.Status.choices)
    activity_labels = Visit._meta.get_field("activities").labels
    for visit, rel in _with_relationships(visits.values(*fields).iterator(ROW_CHUNK)):
        row = [
            visit["code"],
            rel["code"],
            rel["kind_label"],
            rel["mentor"],
            rel["supported"],
            statuses[visit["status"]],
            _date(visit["date"]),
            visit["duration_minutes"] or "",
            "; ".join(activity_labels(visit["activities"])),
            _date(visit["next_meeting_on"]),
            visit["cancel_reason"],
        ]
        if shared:
            row += [visit[name] if visit["readable"] else "" for name, _ in SHARED_VISIT_FIELDS]
        yield row


SHARED_GOAL_FIELDS = (
    ("statement", pgettext_lazy("CSV column", "goal statement")),
    ("focus_area", pgettext_lazy("CSV column", "focus area")),
    ("measure_description", pgettext_lazy("CSV column", "how progress is measured")),
    ("baseline", pgettext_lazy("CSV column", "baseline")),
    ("target", pgettext_lazy("CSV column", "target")),
    ("unit", pgettext_lazy("CSV column", "unit")),
    ("target_date", pgettext_lazy("CSV column", "target date")),
)


def goal_csv(program: Program, filters: Filters, user: User) -> Iterator[list]:
    shared = shares_logs(program, user)
    header = [
        pgettext("CSV column", "goal"),
        pgettext("CSV column", "relationship"),
        pgettext("CSV column", "mentor or coach"),
        pgettext("CSV column", "protégé or team"),
        pgettext("CSV column", "title"),
        pgettext("CSV column", "origin"),
        pgettext("CSV column", "status"),
        pgettext("CSV column", "proposed on"),
        pgettext("CSV column", "agreed on"),
        pgettext("CSV column", "closed on"),
    ]
    if shared:
        header += [str(label) for _, label in SHARED_GOAL_FIELDS]
    yield header
    fields = ["relationship_id", "code", "title", "origin", "status"]
    fields += ["created_at", "agreed_at", "closed_at"]
    goals = Goal.objects.filter(
        relationship__in=_filtered_relationships(program, filters)
    ).order_by("-created_at", "-pk")
    if shared:
        goals = goals.annotate(readable=_readable(Goal, user))
        fields += ["readable", *(name for name, _ in SHARED_GOAL_FIELDS)]
    origins, statuses = labels(Goal.Origin.choices), labels(Goal.Status.choices)
    for goal, rel in _with_relationships(goals.values(*fields).iterator(ROW_CHUNK)):
        row = [
            goal["code"],
            rel["code"],
            rel["mentor"],
            rel["supported"],
            goal["title"],
            origins[goal["origin"]],
            statuses[goal["status"]],
            _date(clock.local_date(goal["created_at"])),
            _date(clock.local_date(goal["agreed_at"]) if goal["agreed_at"] else None),
            _date(clock.local_date(goal["closed_at"]) if goal["closed_at"] else None),
        ]
        if shared:
            row += [_cell(goal[name]) if goal["readable"] else "" for name, _ in SHARED_GOAL_FIELDS]
        yield row


def _cell(value):
    """A goal's detail as a cell: dates as ISO text, numbers (a baseline, a target) as they are."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


EXPORTERS = {"relationships": relationship_csv, "visits": visit_csv, "goals": goal_csv}


def export_reads(program: Program, filters: Filters, user: User, what: str) -> list[Read]:
    """What an export shows, for the access log: the download itself, and each relationship
    outside the person's own whose shared text it holds (one query for those)."""
    filename = f"{what}.csv"
    reads = [Read(kind="export", what=f"Downloaded {filename}", program_id=program.pk)]
    if what in ("visits", "goals") and shares_logs(program, user):
        model = Visit if what == "visits" else Goal
        own = SupportRelationship.objects.for_participant(user).values("pk")
        relationship_ids = (
            model.objects.conversation_visible_to(user)
            .filter(relationship__in=_filtered_relationships(program, filters))
            .exclude(relationship__in=own)
            .values_list("relationship_id", flat=True)
            .distinct()
        )
        reads += [
            Read(
                kind="export",
                what=f"Downloaded {filename}, with the shared {what}",
                relationship_id=pk,
                program_id=program.pk,
            )
            for pk in relationship_ids
        ]
    return reads
