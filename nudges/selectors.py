"""What waits for whom: the reads behind the scheduled nudges and the weekly digests.

Each function reads many people at once in a fixed number of queries, however many
relationships, visits, goals or steps there are; the jobs (nudges/services.py) call them for
everyone, and an email's `write` calls the same function for its one recipient when it is sent,
so the email says what is true then. Flags and deadlines come from the dashboard's rule
(relationships/flags.py). Everything here is logistics: names, dates, counts and goal titles,
never the words of a log, a reflection, a note or an action step.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from core import clock
from core.names import person_name
from cycles.selectors import current_stages_of, flag_overdue_stages
from goals.models import OPEN_GOAL_STATUSES, ActionStep, Goal
from goals.required import flag_missing_required
from programs.invitations import undelivered_invitations_in
from programs.models import Program
from relationships.flags import FLAGS, Row, flagged_rows
from relationships.models import ClassroomTeam, SupportRelationship, Visit
from relationships.waiting import waiting_for_match, waiting_rows

# Open and not paused: a paused relationship expects no visits and no steps.
WORKING_STATUSES = (SupportRelationship.Status.PROPOSED, SupportRelationship.Status.ACTIVE)
# What a digest lists in full under one heading; beyond it, "and N more" and the page.
LIST_LIMIT = 10
# The steps a mentor's digest counts: overdue ones and those due in the week ahead.
STEPS_AHEAD_DAYS = 7
# A relationship is "newly overdue" in a coordinator's digest when its first visit or first
# goal fell due within the last week, since the last digest.
NEWLY_OVERDUE_DAYS = 7


def _programs_of(relationships: QuerySet[SupportRelationship]) -> dict[int | None, Program | None]:
    """The programs of these relationships, by id, for their dosage (one query)."""
    found: dict[int | None, Program | None] = {None: None}
    for program in Program.objects.filter(pk__in=relationships.values("program_id")):
        found[program.pk] = program
    return found


# First deadlines -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """A relationship's first visit or first goal, due soon and not met."""

    relationship_id: int
    mentor_id: int
    what: str  # "visit" or "goal"
    due: datetime.date


def first_deadlines(
    *, today: datetime.date, ahead: int, relationships: QuerySet | None = None
) -> list[Deadline]:
    """The first visits and first goals of active relationships that fall due from `today`
    to `ahead` days later and have not happened (six queries). The dashboard flags them once
    the day has passed; this is the notice before."""
    base = SupportRelationship.objects.filter(status=SupportRelationship.Status.ACTIVE)
    if relationships is not None:
        base = base.filter(pk__in=relationships.values("pk"))
    # Only relationships young enough for a deadline still to come, and still missing their
    # first visit or goal: the rule itself is applied to these few below.
    longest = base.aggregate(
        visit=Max(Coalesce("days_to_first_visit", "program__days_to_first_visit")),
        goal=Max(Coalesce("days_to_first_goal", "program__days_to_first_goal")),
    )
    horizon = max((days for days in longest.values() if days is not None), default=None)
    if horizon is None:
        return []
    logged = Visit.objects.filter(relationship=OuterRef("pk"), status=Visit.Status.LOGGED)
    goals = Goal.objects.filter(relationship=OuterRef("pk"))
    candidates = base.filter(starts_on__gte=today - datetime.timedelta(days=horizon)).filter(
        ~Exists(logged) | ~Exists(goals)
    )
    last_day = today + datetime.timedelta(days=ahead)
    found = []
    for row in flagged_rows(candidates, programs=_programs_of(candidates), today=today):
        for what, due in (("visit", row.first_visit_due), ("goal", row.first_goal_due)):
            if due is not None and today <= due <= last_day and row.mentor_id is not None:
                found.append(Deadline(row.pk, row.mentor_id, what, due))
    return found


# Action steps due ----------------------------------------------------------------------------


def step_owners(
    steps: Iterable[tuple[int, str, int, int | None, int | None]],
) -> dict[int, list[int]]:
    """The steps each person owns, by user id, from rows of (step id, who, mentor id, protégé
    id, team id): the mentor's, the protégé's (each member's, for a team), or both (one query
    for the teams' members, none without teams)."""
    steps = list(steps)
    team_ids = {team_id for *_, team_id in steps if team_id}
    members: dict[int, list[int]] = defaultdict(list)
    if team_ids:
        through = ClassroomTeam.members.through.objects.filter(classroomteam_id__in=team_ids)
        for team, user_id in through.values_list("classroomteam_id", "user_id"):
            members[team].append(user_id)
    owned: dict[int, list[int]] = defaultdict(list)
    for step_id, who, mentor_id, protege_id, team_id in steps:
        people: set[int] = set()
        if who != ActionStep.Who.PROTEGE:
            people.add(mentor_id)
        if who != ActionStep.Who.MENTOR:
            if team_id:
                people.update(members[team_id])
            elif protege_id:
                people.add(protege_id)
        for person in people:
            owned[person].append(step_id)
    return dict(owned)


def open_steps() -> QuerySet[ActionStep]:
    """Steps not done, of open goals in relationships that are neither paused nor ended."""
    return ActionStep.objects.filter(
        done_at__isnull=True,
        goal__status__in=OPEN_GOAL_STATUSES,
        goal__relationship__status__in=WORKING_STATUSES,
    )


def steps_due(*, day: datetime.date) -> dict[int, list[int]]:
    """The open steps due on `day`, by the user id of each owner (two queries at most)."""
    rows = (
        open_steps()
        .filter(due_on=day)
        .order_by("pk")
        .values_list(
            "pk",
            "who",
            "goal__relationship__mentor_id",
            "goal__relationship__protege_id",
            "goal__relationship__team_id",
        )
    )
    return step_owners(rows)


# A mentor's or coach's week ------------------------------------------------------------------


@dataclass
class Waiting:
    """What waits for a mentor or coach in one relationship."""

    relationship: SupportRelationship
    logs_to_write: int = 0  # scheduled visits gone by, to log or cancel
    goals_to_agree: int = 0  # goals a protégé proposed, waiting for the mentor's agreement
    steps_due: int = 0  # their action steps due in the week ahead, overdue ones included
    steps_overdue: int = 0
    behind: bool = False  # behind the program's pace (the dashboard's "Behind dosage")


def mentor_waiting(
    mentors: QuerySet[User] | list[int], *, today: datetime.date
) -> dict[int, list[Waiting]]:
    """What waits for each of `mentors` in their open relationships, by user id; people and
    relationships with nothing waiting are left out (seven queries)."""
    relationships = SupportRelationship.objects.open().filter(mentor__in=mentors)
    rows = flagged_rows(relationships, programs=_programs_of(relationships), today=today)
    steps = (
        open_steps()
        .filter(
            goal__relationship__in=relationships,
            who__in=[ActionStep.Who.MENTOR, ActionStep.Who.BOTH],
            due_on__lt=today + datetime.timedelta(days=STEPS_AHEAD_DAYS),
        )
        .order_by()
        .values("goal__relationship_id")
        .annotate(due=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    )
    steps_by_relationship = {
        row["goal__relationship_id"]: (row["due"], row["overdue"]) for row in steps
    }
    counts: dict[int, dict] = {}
    for row in rows:
        due, overdue = steps_by_relationship.get(row.pk, (0, 0))
        counted = {
            "logs_to_write": row.visits.overdue_scheduled,
            "goals_to_agree": row.goals.goals_awaiting_mentor,
            "steps_due": due,
            "steps_overdue": overdue,
            "behind": "flag_behind" in row.flag_names,
        }
        if any(counted.values()):
            counts[row.pk] = counted
    whole = SupportRelationship.objects.select_related("program", "protege", "team").in_bulk(
        list(counts)
    )
    found: dict[int, list[Waiting]] = defaultdict(list)
    for relationship in sorted(whole.values(), key=_relationship_order):
        found[relationship.mentor_id].append(Waiting(relationship, **counts[relationship.pk]))
    return dict(found)


def _relationship_order(relationship: SupportRelationship) -> tuple:
    program = relationship.program.name if relationship.program else ""
    return (program, relationship.supported_name.lower(), relationship.pk)


# A coordinator's week ------------------------------------------------------------------------


@dataclass(frozen=True)
class Overdue:
    """A relationship whose first visit or first goal fell due in the last week."""

    relationship: SupportRelationship
    what: str  # "visit" or "goal"
    due: datetime.date


@dataclass(frozen=True)
class WaitingProtege:
    """A protégé enrolled in the program with no open relationship in it."""

    name: str
    since: datetime.date  # enrolled, or their last relationship in the program ended
    days: int


@dataclass(frozen=True)
class FailedInvitation:
    name: str
    tried_on: datetime.date


@dataclass
class ProgramWeek:
    """What a coordinator's digest says about one program."""

    program: Program
    flags: list[tuple[str, str, int]] = field(default_factory=list)  # (filter, label, count)
    newly_overdue: list[Overdue] = field(default_factory=list)
    waiting: list[WaitingProtege] = field(default_factory=list)
    failed_invitations: list[FailedInvitation] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.flags or self.newly_overdue or self.waiting or self.failed_invitations)


def coordinator_weeks(
    coordinators: QuerySet[User] | list[int], *, today: datetime.date
) -> dict[int, list[ProgramWeek]]:
    """For each of `coordinators` (by user id), their active programs that have something to
    report, by name (ten queries at most)."""
    links = (
        Program.coordinators.through.objects.filter(
            user__in=coordinators, program__archived_at__isnull=True
        )
        .order_by()
        .values_list("user_id", "program_id")
    )
    programs_of: dict[int, list[int]] = defaultdict(list)
    for user_id, program_id in links:
        programs_of[user_id].append(program_id)
    program_ids = sorted({pk for ids in programs_of.values() for pk in ids})
    if not program_ids:
        return {}
    programs = Program.objects.in_bulk(program_ids)
    weeks = {pk: ProgramWeek(program=program) for pk, program in programs.items()}
    _add_flags(weeks, today=today)
    _add_waiting(weeks, today=today)
    _add_failed_invitations(weeks)
    found: dict[int, list[ProgramWeek]] = {}
    for user_id, ids in programs_of.items():
        news = [weeks[pk] for pk in ids if not weeks[pk].is_empty]
        if news:
            found[user_id] = sorted(news, key=lambda week: (week.program.name, week.program.pk))
    return found


def _add_flags(weeks: dict[int, ProgramWeek], *, today: datetime.date) -> None:
    """The dashboard's flag counts over each program's open relationships (its default
    view), and the relationships that became overdue in the last week (four queries; two more
    for the required goals when a program prescribes goals, one for the cycle stages when a
    program names them, and one more when any relationship became overdue)."""
    programs: dict[int | None, Program | None] = {pk: week.program for pk, week in weeks.items()}
    relationships = SupportRelationship.objects.open().filter(program__in=list(weeks))
    rows = flagged_rows(relationships, programs=programs, today=today)
    flag_missing_required(rows, relationships)
    flag_overdue_stages(rows, current_stages_of(programs.values(), today=today))
    counts: dict[int, Counter] = defaultdict(Counter)
    overdue: list[tuple[Row, str, datetime.date]] = []
    since = today - datetime.timedelta(days=NEWLY_OVERDUE_DAYS)
    for row in rows:
        assert row.program is not None
        counts[row.program.pk].update(row.flag_names)
        for name, what, due in (
            ("flag_first_visit", "visit", row.first_visit_due),
            ("flag_no_goal", "goal", row.first_goal_due),
        ):
            if name in row.flag_names and due is not None and due >= since:
                overdue.append((row, what, due))
    for pk, counted in counts.items():
        weeks[pk].flags = [
            (name.removeprefix("flag_"), str(label), counted[name])
            for name, label in FLAGS.items()
            if counted[name]
        ]
    if not overdue:
        return
    whole = SupportRelationship.objects.select_related("mentor", "protege", "team").in_bulk(
        [row.pk for row, _, _ in overdue]
    )
    for row, what, due in sorted(overdue, key=lambda item: (item[2], item[0].pk)):
        assert row.program is not None
        weeks[row.program.pk].newly_overdue.append(Overdue(whole[row.pk], what, due))


def _add_waiting(weeks: dict[int, ProgramWeek], *, today: datetime.date) -> None:
    """The protégés enrolled in each program with no open relationship in it, alone or in a
    team, the longest waiting first (one query: relationships/waiting.py)."""
    for row in waiting_rows(waiting_for_match(list(weeks)), today=today):
        weeks[row.enrollment.program_id].waiting.append(
            WaitingProtege(row.name, row.since, row.days)
        )


def _add_failed_invitations(weeks: dict[int, ProgramWeek]) -> None:
    """People taking part in each program whose latest invitation could not be delivered and
    who have not logged in since: the participants page's list (two queries)."""
    for program_id, undelivered in undelivered_invitations_in(list(weeks)).items():
        seen = set()
        for item in undelivered:
            if item.enrollment.person_id in seen:  # enrolled in two roles
                continue
            seen.add(item.enrollment.person_id)
            weeks[program_id].failed_invitations.append(
                FailedInvitation(
                    person_name(item.enrollment.person), clock.local_date(item.tried_at)
                )
            )
