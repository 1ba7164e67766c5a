"""The roll-up kept between readers: a leader's page reads a stored count instead of counting
a state's year again (seconds at full scale: docs/benchmarks.md, "Full scale, roll-up").

A count is kept under a key (`key_of`): the scope (its organizations and programs, the
viewer's supervisees, the programs the viewer coordinates), the filters but their sort (the
programs table is sorted when read), the day, the language and the small-cell minimum. Two
leaders of the same organizations share a count; a supervisor's differs, as it must. With the
count is kept the sum of its programs' versions (`RollupVersion`) taken before it began.

A write the roll-up counts bumps its program's version once it commits (`connect_signals`,
once per transaction): visits, pauses, relationships, goals, goal templates, observations,
enrollments, classroom teams and programs; what every program's figures read (organizations,
profiles, observation tools) bumps version 0, which every scope adds in. The monthly summaries
are recounted after a write to a visit, a pause or a relationship, by the task worker
(relationships/summary_refresh.py), which sends `months_counted` when it is done: that bumps
again, so a count made between the write and the recount is not read for long. Versions only
grow, so an unchanged sum means nothing counted has changed since. The coordinator
dashboard's kept rows (reports/kept_rows.py) read a program's own version the same way.

`read`, for the page and the downloads:
- a kept count with an unchanged sum, younger than ROLLUP_STORED_MAX_AGE_MINUTES (which
  catches bulk writes that send no signal): read as it is;
- a kept count that is out of date: shown, saying when it was counted, while the task worker
  counts again (`reports.tasks.rollup_recount`, asked at most once per
  ROLLUP_RECOUNT_RETRY_MINUTES);
- none: counted now, kept and shown.
`recount` counts afresh and keeps: the task, and the funder's PDF, which is always exact.
With ROLLUP_STORED off (the tests, but for their own), `read` counts every time.
"""

import dataclasses
import datetime
import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Sum
from django.db.models.signals import post_delete, post_save
from django.utils import translation

from core import clock
from goals.models import Goal, GoalTemplate
from observations.models import Observation, ObservationDomain, ObservationTool
from programs.models import Enrollment, MentorProfile, Organization, Program, ProtegeProfile
from relationships.models import ClassroomTeam, Pause, SupportRelationship, Visit
from relationships.summary_refresh import months_counted
from reports.models import RollupVersion, StoredRollup
from reports.rollup.figures import Rollup, build_rollup, sort_order
from reports.rollup.filters import Filters, RollupForm
from reports.rollup.scope import Scope, leader_scope
from reports.rollup.suppression import minimum
from reports.rollup.tables import Cell, Table

EVERYTHING = 0  # the version every scope adds in
FORMAT = 1  # bump when what is stored changes shape: older counts are then never read
KEEP_DAYS = 2  # counts older than this are deleted when another is kept


@dataclass(frozen=True)
class Counted:
    """The roll-up as a leader reads it: when it was counted, and whether a newer count is
    on its way."""

    rollup: Rollup
    counted_at: datetime.datetime
    recounting: bool = False
    code: str = ""  # the kept count's (a new one at every count); "" when nothing is kept


# Keys and versions --------------------------------------------------------------------------


def key_of(scope: Scope, filters: Filters, today: datetime.date) -> str:
    what = {
        "format": FORMAT,
        "organizations": sorted(scope.organization_ids),
        "programs": sorted(scope.programs),
        "shielded": sorted(scope.shielded_ids),
        "coordinated": sorted(scope.coordinated_program_ids),
        "filters": {k: v for k, v in filters.as_query().items() if k != "sort"},
        "today": today.isoformat(),
        "language": _language(),
        "minimum": minimum(),
    }
    return hashlib.sha256(json.dumps(what, sort_keys=True).encode()).hexdigest()


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def program_version(program_id: int) -> int:
    """One program's version (one query; 0 for a program never written to since)."""
    found = RollupVersion.objects.filter(program_id=program_id).values_list("version", flat=True)
    return next(iter(found), 0)


def version_of(scope: Scope) -> int:
    """The sum of the versions of the scope's programs and of version 0 (one query)."""
    found = RollupVersion.objects.filter(program_id__in=[EVERYTHING, *scope.programs]).aggregate(
        total=Sum("version")
    )
    return found["total"] or 0


# Reading and counting ---------------------------------------------------------------------


def read(scope: Scope, filters: Filters, today: datetime.date) -> Counted:
    """The roll-up for these filters: kept, or counted now (see the module's rules)."""
    if not settings.ROLLUP_STORED:
        return Counted(build_rollup(scope, filters, today=today), clock.now())
    key = key_of(scope, filters, today)
    version = version_of(scope)
    kept = StoredRollup.objects.filter(key=key).first()
    if kept is None:
        return recount(scope, filters, today, version=version)
    now = clock.now()
    if _fresh(kept, version):
        return _counted(kept, filters, today)
    retry = datetime.timedelta(minutes=settings.ROLLUP_RECOUNT_RETRY_MINUTES)
    if kept.recount_asked_at is None or kept.recount_asked_at <= now - retry:
        _ask_for_recount(kept, scope, filters, today)
        # The immediate task backend has counted already; the worker will later.
        kept = StoredRollup.objects.filter(key=key).first() or kept
        if kept.version == version and kept.recount_asked_at is None:
            return _counted(kept, filters, today)
    return replace(_counted(kept, filters, today), recounting=True)


def _fresh(kept: StoredRollup, version: int) -> bool:
    """Nothing counted has changed since, and the count is not too old to trust."""
    max_age = datetime.timedelta(minutes=settings.ROLLUP_STORED_MAX_AGE_MINUTES)
    return kept.version == version and kept.counted_at > clock.now() - max_age


def recount(
    scope: Scope, filters: Filters, today: datetime.date, *, version: int | None = None
) -> Counted:
    """Count afresh, keep the count, and return it (sorted as `filters` ask)."""
    if version is None:
        version = version_of(scope)
    counted_at = clock.now()
    code = uuid.uuid4()
    rollup = build_rollup(scope, replace(filters, sort=""), today=today)
    StoredRollup.objects.bulk_create(
        [
            StoredRollup(
                key=key_of(scope, filters, today),
                code=code,
                version=version,
                counted_at=counted_at,
                recount_asked_at=None,
                tables=[dataclasses.asdict(table) for table in rollup.tables],
                asked_by_id=scope.user_id,
                query={k: v for k, v in filters.as_query().items() if k != "sort"},
                language=_language(),
            )
        ],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=[
            "code",
            "version",
            "counted_at",
            "recount_asked_at",
            "tables",
            "asked_by",
            "query",
            "language",
        ],
    )
    StoredRollup.objects.filter(
        counted_at__lt=counted_at - datetime.timedelta(days=KEEP_DAYS)
    ).delete()
    return Counted(_sorted(rollup.tables, filters, today), counted_at, code=str(code))


def fresh(scope: Scope, filters: Filters, today: datetime.date) -> Rollup:
    """Counted now, whatever is kept (the funder's PDF); kept too when counts are kept."""
    if not settings.ROLLUP_STORED:
        return build_rollup(scope, filters, today=today)
    return recount(scope, filters, today).rollup


def recount_for(user_id: int, query: dict, language: str, today: datetime.date) -> str:
    """The task's work: count a leader's roll-up again, as they asked for it."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    scope = leader_scope(user) if user is not None else None
    if scope is None:
        return "not a leader now"
    with translation.override(language):
        filters = RollupForm(query, scope=scope, today=today).filters()
        counted = recount(scope, filters, today)
    return f"counted at {counted.counted_at.isoformat()}"


def warm(*, today: datetime.date) -> int:
    """Count again, for `today`, each view leaders looked at in the last KEEP_DAYS whose count
    is missing (a new day) or out of date, so that their next look reads a kept count: run by
    the hourly housekeeping. How many were counted."""
    since = clock.now() - datetime.timedelta(days=KEEP_DAYS)
    seen: set[tuple] = set()
    counted = 0
    views = (
        StoredRollup.objects.filter(counted_at__gte=since, asked_by__is_active=True)
        .order_by("-counted_at")
        .values_list("asked_by_id", "query", "language")
    )
    for user_id, query, language in views:
        view = (user_id, json.dumps(query, sort_keys=True), language)
        if view in seen:
            continue
        seen.add(view)
        scope = leader_scope(User.objects.get(pk=user_id))
        if scope is None:
            continue
        with translation.override(language):
            filters = RollupForm(query, scope=scope, today=today).filters()
            version = version_of(scope)
            kept = StoredRollup.objects.filter(key=key_of(scope, filters, today)).first()
            if kept is None or not _fresh(kept, version):
                recount(scope, filters, today, version=version)
                counted += 1
    return counted


def _ask_for_recount(kept: StoredRollup, scope: Scope, filters: Filters, today) -> None:
    from reports.tasks import rollup_recount

    StoredRollup.objects.filter(pk=kept.pk).update(recount_asked_at=clock.now())
    rollup_recount.enqueue(
        scope.user_id,
        filters.as_query(),
        _language(),
        today.isoformat(),
    )


def _counted(kept: StoredRollup, filters: Filters, today: datetime.date) -> Counted:
    return Counted(
        _sorted(_load(kept.tables), filters, today), kept.counted_at, code=str(kept.code)
    )


def _sorted(tables: Iterable[Table], filters: Filters, today: datetime.date) -> Rollup:
    """The tables as kept (programs in name order), the programs table sorted as asked."""
    ordered = []
    for table in tables:
        if table.slug == "programs" and filters.sort:
            order = sort_order(table.rows, filters.sort)
            table = replace(
                table,
                rows=tuple(table.rows[i] for i in order),
                links=tuple(table.links[i] for i in order) if table.links else (),
            )
        ordered.append(table)
    return Rollup(filters=filters, tables=tuple(ordered), today=today)


def _load(data: list[dict]) -> list[Table]:
    def cells(row) -> tuple[Cell, ...]:
        return tuple(Cell(**cell) for cell in row)

    return [
        Table(
            slug=table["slug"],
            title=table["title"],
            columns=tuple(table["columns"]),
            rows=tuple(cells(row) for row in table["rows"]),
            total=cells(table["total"]) if table["total"] is not None else None,
            note=table["note"],
            chart=table["chart"],
            chart_type=table["chart_type"],
            links=tuple(table["links"]),
        )
        for table in data
    ]


# Keeping up with writes ---------------------------------------------------------------------


def bump(program_ids: Iterable[int]) -> None:
    """Bump these programs' versions (0: every program's)."""
    ids = sorted({pk for pk in program_ids if pk is not None})
    if not ids:
        return
    table = RollupVersion._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (program_id, version) VALUES "
            + ", ".join(["(%s, 1)"] * len(ids))
            + f" ON CONFLICT (program_id) DO UPDATE SET version = {table}.version + 1",
            ids,
        )


def bump_relationships(relationship_ids: Iterable[int]) -> None:
    """Bump the programs of these relationships."""
    ids = {pk for pk in relationship_ids if pk}
    if ids:
        bump(
            SupportRelationship.objects.filter(pk__in=ids, program__isnull=False)
            .values_list("program_id", flat=True)
            .distinct()
        )


class Pending:
    """The bumps a transaction's writes ask for, made once when it commits: one callback per
    transaction, however many rows it writes (a roster of 2,000 enrollments bumps once)."""

    def __init__(self) -> None:
        self.programs: set[int] = set()
        self.relationships: set[int] = set()

    def __call__(self) -> None:
        bump(self.programs)
        bump_relationships(self.relationships)


def _later(*, programs: Iterable[int] = (), relationships: Iterable[int] = ()) -> None:
    connection_ = transaction.get_connection()
    pending = getattr(connection_, "rollup_pending", None)
    registered = connection_.in_atomic_block and any(
        callback is pending for __, callback, __ in connection_.run_on_commit
    )
    if not registered:
        pending = Pending()
        connection_.rollup_pending = pending
    assert pending is not None
    pending.programs.update(programs)
    pending.relationships.update(relationships)
    if not registered:
        transaction.on_commit(pending)  # at once outside a transaction


def _by_relationship(sender, instance, **kwargs) -> None:
    if not kwargs.get("raw"):
        _later(relationships=[instance.relationship_id])


def _by_program(sender, instance, **kwargs) -> None:
    if not kwargs.get("raw"):
        _later(programs=[instance.program_id])


def _program(sender, instance, **kwargs) -> None:
    if not kwargs.get("raw"):
        _later(programs=[instance.pk])


def _everything(sender, instance, **kwargs) -> None:
    if not kwargs.get("raw"):
        _later(programs=[EVERYTHING])


def _months_counted(sender, relationship_ids=None, **kwargs) -> None:
    if relationship_ids is None:
        bump([EVERYTHING])
    else:
        bump_relationships(relationship_ids)


WATCHED = (
    ((Visit, Pause, Goal, Observation), _by_relationship),
    ((SupportRelationship, GoalTemplate, Enrollment, ClassroomTeam), _by_program),
    ((Program,), _program),
    (
        (Organization, MentorProfile, ProtegeProfile, ObservationTool, ObservationDomain),
        _everything,
    ),
)


def connect_signals() -> None:
    for models, receiver in WATCHED:
        for model in models:
            uid = f"rollup-{model._meta.label}"
            post_save.connect(receiver, sender=model, dispatch_uid=uid)
            post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-gone")
    months_counted.connect(_months_counted, dispatch_uid="rollup-months")
