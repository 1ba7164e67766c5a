"""The state-wide world that `manage.py seed_scale` builds, for load tests and query plans.

At scale 1.0: 300 programs, 15,000 mentors and coaches, 40,000 protégés, 60,000 support
relationships, 600,000 visits and 150,000 goals, with classroom teams, enrollments (some left),
acknowledgements, action steps and progress entries. `scale` multiplies every count: the
number of programs, not their size. `Counts.program_size` grows one program (the first, the
bench's: 2,000 relationships where the others have 200) and `Counts.caseload` bench-mentor's
caseload (80 where 40 is usual), so that the bench can time each page at two sizes.

It is deterministic: one seeded `random.Random` decides everything, and dates are relative to
the day it runs (the dashboards count "this month"), so two runs on the same day build the same
world. Rows are written in bulk with ids assigned here (so foreign keys need no round trip):
PostgreSQL's COPY when the database is PostgreSQL, `bulk_create` in batches elsewhere
(`seed/bulk.py`). Nothing goes through the services (they write one row at a time and send
emails), so this module keeps every model constraint itself: the check constraints, the "one
open relationship per protégé (or team), program and kind" rule, the kinds a program offers, and
the supervisor firewall (supervisors are never mentors, coaches or coordinators here).
Simple-history keeps no history for bulk inserts; that is intended.

Known people for the benchmark, with no usable password (the benchmark logs them in
in-process; `manage.py changepassword bench-mentor` to look around by hand):

- bench-coordinator coordinates the first five programs (program 1 is a typical-size one,
  unless `program_size` makes it bigger: then program 2 is the typical one);
- bench-mentor mentors 40 protégés in program 1 (a full caseload page and then some), or
  `caseload`;
- bench-protege has a mentor (bench-mentor) and a coach (bench-coach), 25 visits with each;
- bench-admin is a superuser, for the Django admin changelists.
"""

import datetime
import random
import time
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction

from core import clock
from goals.models import ActionStep, Goal, GoalTemplate, ProgressEntry
from programs.models import (
    AgeGroup,
    Enrollment,
    MentorProfile,
    Organization,
    Program,
    ProtegeProfile,
    role_for_kind,
)
from relationships import summary_refresh
from relationships.models import (
    Acknowledgement,
    Activity,
    ClassroomTeam,
    SupportMonth,
    SupportMonthActivity,
    SupportRelationship,
    Visit,
)
from seed.bulk import Progress, Writer, new

MARKER_ORGANIZATION = "State Office of Early Learning (scale data)"
BENCH_USERNAMES = (
    "bench-coordinator",
    "bench-mentor",
    "bench-coach",
    "bench-protege",
    "bench-admin",
)
BENCH_CASELOAD = 40
BENCH_VISITS = 25
BENCH_GOALS = 5
BENCH_PROGRAMS = 5
# An unusable password (Django treats any hash starting with "!" as unusable).
UNUSABLE_PASSWORD = "!scale-seed-no-password"

BASE = {
    "programs": 300,
    "mentors": 15_000,
    "proteges": 40_000,
    "relationships": 60_000,
    "visits": 600_000,
    "goals": 150_000,
}
TEAM_SHARE = 0.03  # of protégés taught in a classroom team supported as a team
TEAM_SIZE = 3
LEFT_SHARE = 0.08  # protégés who left their program

FIRST_NAMES = (
    "Ava Maya Liam Noah Emma Olivia Sofia Lucas Mia Amara Diego Priya Grace Kenji Leila Omar "
    "Hannah Mateo Zoe Aaliyah Ethan Nora Samuel Chloe Isaiah Ruth Elena Marcus Fatima Jonah"
).split()
LAST_NAMES = (
    "Garcia Smith Johnson Nguyen Patel Brown Davis Martinez Lee Walker Hall Young King Wright "
    "Lopez Hill Scott Green Adams Baker Nelson Carter Mitchell Perez Roberts Turner Phillips "
    "Campbell Parker Evans Edwards Collins Stewart Sanchez Morris Rogers Reed Cook Morgan Bell"
).split()
CITIES = (
    "Riverbend Lakeshore Maple Falls Cedar Grove Oak Harbor Pine Ridge Elm Springs Brookside "
    "Fairview Greenfield Hillcrest Kingsport Milford Northfield Westbrook"
).split()
FOCUS_AREAS = (
    "Early literacy",
    "Classroom management",
    "Transitions",
    "Family engagement",
    "Math talk",
    "Social-emotional learning",
    "Language development",
)
CANCEL_REASONS = ("Protégé out sick", "Snow day", "Mentor had a conflict", "Staff training day")
WORKING = (
    "Circle time ran smoothly and the children were engaged.",
    "Clear routines for hand-washing and clean-up.",
    "Warm, responsive conversations during free play.",
    "The visual schedule is helping transitions.",
)
CHALLENGES = (
    "Transitions to outdoor play take too long.",
    "Keeping small groups going while others wait.",
    "Extending children's talk during read-alouds.",
    "Planning for a child who needs extra support.",
)
NEXT_STEPS = (
    "Try a transition song and count how long clean-up takes.",
    "Plan two open-ended questions for each read-aloud.",
    "Set up a quiet corner and introduce it at circle time.",
    "Share the weekly newsletter with families on Friday.",
)
FEEDBACK = (
    "You gave the children time to answer before stepping in; keep doing that.",
    "The song cut the transition time almost in half.",
    "Your questions during the story got three children talking who rarely do.",
)


@dataclass
class Counts:
    programs: int
    mentors: int
    proteges: int
    relationships: int
    visits: int
    goals: int
    # The size of one program and one caseload, apart from their number: the first program
    # (the bench's) holds about `program_size` relationships (0: a share like every other's),
    # and bench-mentor has `caseload` open relationships in it.
    program_size: int = 0
    caseload: int = BENCH_CASELOAD

    def homes(self, people: int, *, first: int = 0) -> list[int]:
        """The home program (an index) of each of `people`, round robin; with a program size,
        the first program takes its share of them (at least `first`), the others the rest."""
        if not self.program_size or self.programs < 2:
            return [0 if i < first else i % self.programs for i in range(people)]
        share = min(0.9, self.program_size / max(self.relationships, 1))
        in_first = max(first, round(people * share))
        return [0 if i < in_first else 1 + i % (self.programs - 1) for i in range(people)]

    @classmethod
    def for_scale(
        cls, scale: float, *, program_size: int = 0, caseload: int = BENCH_CASELOAD
    ) -> "Counts":
        n = {name: round(value * scale) for name, value in BASE.items()}
        programs = max(2, n["programs"])
        return cls(
            programs=programs,
            mentors=max(4 * programs, n["mentors"]),
            proteges=max(10 * programs, n["proteges"]),
            relationships=max(12 * programs, n["relationships"]),
            visits=n["visits"],
            goals=n["goals"],
            program_size=program_size,
            caseload=caseload,
        )


def existing_scale_data(using: str = "default") -> str:
    """What shows that scale data is already in the database, or ''."""
    if Organization.objects.using(using).filter(name=MARKER_ORGANIZATION).exists():
        return f"the organization {MARKER_ORGANIZATION!r}"
    taken = sorted(
        User.objects.using(using)
        .filter(username__in=BENCH_USERNAMES)
        .values_list("username", flat=True)
    )
    if taken:
        return ("the users " if len(taken) > 1 else "the user ") + ", ".join(taken)
    return ""


# The world ------------------------------------------------------------------------------------


END_REASONS = {
    "completed": "Completed the program year",
    "ended_early": "The protégé left the program",
    "paused": "On leave until next month",
}


def _blank_log() -> dict:
    """The record of a visit not logged (scheduled or cancelled)."""
    return {
        "adults_present": None,
        "children_present": None,
        "activities": [],
        "whats_working": "",
        "focus_challenges": "",
        "protege_next_steps": "",
        "mentor_next_steps": "",
        "feedback": "",
        "next_meeting_on": None,
        "next_meeting_focus": "",
        "private_notes": "",
    }


@dataclass
class Rel:
    id: int
    program: int  # index into programs
    kind: str
    mentor: int
    protege: int | None
    team: int | None
    members: list[int]
    status: str
    starts_on: datetime.date
    ended_on: datetime.date | None
    visits: int = 0
    goals: int = 0
    goal_ids: list = field(default_factory=list)
    goal_created: list = field(default_factory=list)
    logged_visits: list = field(default_factory=list)


class Builder:
    def __init__(
        self,
        scale: float = 1.0,
        *,
        seed: int = 2026,
        using: str = "default",
        out=None,
        counts: Counts | None = None,
    ):
        self.scale = scale
        self.counts = counts or Counts.for_scale(scale)
        self.rng = random.Random(seed)
        self.using = using
        self.writer = Writer(using)
        self.progress = Progress(out)
        self.today = clock.today()
        self.now = clock.now()
        self.tz = datetime.UTC
        self.ids: dict[type[models.Model], int] = {}

    # helpers ------------------------------------------------------------------------------
    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def next_ids(self, model: type[models.Model], n: int) -> int:
        """The first of `n` fresh ids for `model` (above whatever the table holds)."""
        if model not in self.ids:
            top = (
                model._default_manager.using(self.using)
                .order_by("-pk")
                .values_list("pk", flat=True)
            )
            self.ids[model] = (top.first() or 0) + 1
        first = self.ids[model]
        self.ids[model] += n
        return first

    def at(self, day: datetime.date, hour: int = 16) -> datetime.datetime:
        moment = datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=self.tz)
        return min(moment, self.now)

    def days_ago(self, low: int, high: int) -> datetime.date:
        return self.today - datetime.timedelta(days=self.rng.randint(low, high))

    def name(self) -> tuple[str, str]:
        return self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)

    # build --------------------------------------------------------------------------------
    def build(self) -> dict:
        started = time.monotonic()
        with transaction.atomic(using=self.using):
            self.organizations()
            self.people()
            self.programs()
            self.enrollments()
            self.relationships()
            self.goals()
            self.visits()
            self.steps_and_progress()
            self.writer.flush()
            self.reset_sequences()
            self.summaries()
        self.analyze()
        written = {model._meta.label: n for model, n in self.writer.written.items()}
        written["seconds"] = round(time.monotonic() - started, 1)
        return written

    def organizations(self) -> None:
        c = self.counts
        n_sites = max(4, c.programs * 2)
        first = self.next_ids(Organization, n_sites + 1)
        self.sponsor_ids: list[int] = []
        self.site_ids: list[int] = []
        self.writer.add(
            new(
                Organization,
                id=first,
                code=self.uuid(),
                name=MARKER_ORGANIZATION,
                kind=Organization.Kind.STATE_AGENCY,
                city="Capital City",
                state="State",
            )
        )
        self.state_id = first
        for i in range(n_sites):
            kind = self.rng.choice(
                [
                    Organization.Kind.SCHOOL,
                    Organization.Kind.CHILD_CARE_CENTER,
                    Organization.Kind.HEAD_START,
                    Organization.Kind.DISTRICT,
                ]
            )
            city = self.rng.choice(CITIES)
            org_id = first + 1 + i
            self.writer.add(
                new(
                    Organization,
                    id=org_id,
                    code=self.uuid(),
                    name=f"{city} {Organization.Kind(kind).label} {i + 1}",
                    kind=kind,
                    city=city,
                    state="State",
                )
            )
            (self.sponsor_ids if kind == Organization.Kind.DISTRICT else self.site_ids).append(
                org_id
            )
        if not self.sponsor_ids:
            self.sponsor_ids.append(self.state_id)
        if not self.site_ids:
            self.site_ids.append(self.state_id)
        self.writer.flush()

    def _user(self, user_id: int, username: str, *, staff: bool = False) -> None:
        first, last = self.name()
        self.writer.add(
            new(
                User,
                id=user_id,
                username=username,
                password=UNUSABLE_PASSWORD,
                first_name=first,
                last_name=last,
                email=f"{username}@scale.example.org",
                is_staff=staff,
                is_superuser=staff,
                is_active=True,
                date_joined=self.at(self.today - datetime.timedelta(days=800)),
            )
        )

    def people(self) -> None:
        c = self.counts
        self.n_coordinators = c.programs
        self.n_supervisors = max(1, c.proteges // 40)
        # The bench mentor, coach and protégé are among the mentors and protégés.
        total = self.n_coordinators + c.mentors + c.proteges + self.n_supervisors + 2
        step = self.progress.step("people", total)
        first = self.next_ids(User, total)
        ids = iter(range(first, first + total))
        # Bench people first, then everyone else.
        self.bench = {name: next(ids) for name in BENCH_USERNAMES}
        for username, user_id in self.bench.items():
            self._user(user_id, username, staff=username == "bench-admin")
        self.coordinator_ids = []
        for i in range(self.n_coordinators):
            self.coordinator_ids.append(next(ids))
            self._user(self.coordinator_ids[-1], f"scale-coordinator-{i + 1:04d}")
        step.advance(self.n_coordinators + 5)
        # Mentors: bench-mentor and bench-coach are mentors of program 0.
        self.mentor_ids = [self.bench["bench-mentor"], self.bench["bench-coach"]]
        for i in range(c.mentors - 2):
            self.mentor_ids.append(next(ids))
            self._user(self.mentor_ids[-1], f"scale-mentor-{i + 1:05d}")
            step.advance()
        self.protege_ids = [self.bench["bench-protege"]]
        for i in range(c.proteges - 1):
            self.protege_ids.append(next(ids))
            self._user(self.protege_ids[-1], f"scale-protege-{i + 1:05d}")
            step.advance()
        self.supervisor_ids = []
        for i in range(self.n_supervisors):
            self.supervisor_ids.append(next(ids))
            self._user(self.supervisor_ids[-1], f"scale-supervisor-{i + 1:04d}")
            step.advance()
        self.writer.flush()
        step.close()

        step = self.progress.step("profiles", c.mentors + c.proteges)
        first = self.next_ids(MentorProfile, c.mentors)
        for i, user_id in enumerate(self.mentor_ids):
            self.writer.add(
                new(
                    MentorProfile,
                    id=first + i,
                    user_id=user_id,
                    organization_id=self.rng.choice(self.site_ids),
                    currently_teaching=self.rng.random() < 0.4,
                    years_teaching=self.rng.randint(4, 30),
                    age_groups=self.rng.sample(AgeGroup.values, 2),
                    prep_child_development=True,
                    prep_adult_learning=self.rng.random() < 0.7,
                    prep_reflective_practice=self.rng.random() < 0.5,
                    caseload_limit=self.counts.caseload + 5
                    if user_id == self.bench["bench-mentor"]
                    else 12,
                )
            )
            step.advance()
        first = self.next_ids(ProtegeProfile, c.proteges)
        stages = ProtegeProfile.CareerStage.values
        for i, user_id in enumerate(self.protege_ids):
            supervised = self.rng.random() < 0.7
            self.writer.add(
                new(
                    ProtegeProfile,
                    id=first + i,
                    user_id=user_id,
                    organization_id=self.rng.choice(self.site_ids),
                    position=self.rng.choice(["Lead teacher", "Assistant teacher", "Teacher"]),
                    career_stage=self.rng.choice(stages),
                    age_group_taught=self.rng.choice(AgeGroup.values),
                    supervisor_id=self.rng.choice(self.supervisor_ids) if supervised else None,
                )
            )
            step.advance()
        self.writer.flush()
        step.close()

    def programs(self) -> None:
        c = self.counts
        first = self.next_ids(Program, c.programs)
        self.program_ids = list(range(first, first + c.programs))
        self.program_kinds = []
        self.program_prescribes = []
        self.program_policy = []
        models = [Program.SupportModel.MENTORING, Program.SupportModel.COACHING]
        models += [Program.SupportModel.BOTH]
        policies = Program.GoalPolicy.values
        starts = self.today - datetime.timedelta(days=730)
        through = Program.coordinators.through
        for i, program_id in enumerate(self.program_ids):
            support = Program.SupportModel.BOTH if i == 0 else self.rng.choice(models)
            policy = Program.GoalPolicy.BOTH if i == 0 else self.rng.choice(policies)
            kinds = ["mentoring", "coaching"] if support == "both" else [support]
            self.program_kinds.append(kinds)
            self.program_prescribes.append(policy != Program.GoalPolicy.COLLABORATIVE)
            self.program_policy.append(policy)
            region = i + 1
            label = {"mentoring": "Mentoring", "coaching": "Coaching", "both": "Induction"}
            self.writer.add(
                new(
                    Program,
                    id=program_id,
                    code=self.uuid(),
                    sponsor_id=self.rng.choice(self.sponsor_ids),
                    name=f"Region {region:03d} {label[support]} Program",
                    description="A regional program of the state-wide initiative.",
                    support_model=support,
                    purposes=self.rng.sample(
                        [p for p in Program.Purpose.values if p != "other"], 2
                    ),
                    outcomes=["practices"],
                    goal_policy=policy,
                    goal_scope=Program.GoalScope.FOCUSED,
                    focus_areas="\n".join(self.rng.sample(FOCUS_AREAS, 3)),
                    age_groups=self.rng.sample(AgeGroup.values, 3),
                    starts_on=starts,
                    typical_duration_weeks=36,
                    visits_per_month=self.rng.choice([2, 3, 4]),
                    minutes_per_month=self.rng.choice([120, 180, 240]),
                    days_to_first_visit=14,
                    days_to_first_goal=30,
                    # Drawn here, in the order the random stream has always been read.
                    coordinators_read_shared_logs=(sharing := i == 0 or self.rng.random() < 0.3),
                    shared_logs_since=self.at(starts) if sharing else None,
                    created_at=self.at(starts),
                )
            )
            self.writer.add(new(through, program_id=program_id, user_id=self.coordinator_ids[i]))
            if i < BENCH_PROGRAMS:
                self.writer.add(
                    new(through, program_id=program_id, user_id=self.bench["bench-coordinator"])
                )
        self.writer.flush()
        # Three goal templates for every program that prescribes goals.
        self.templates: dict[int, list[int]] = {}
        n = 3 * sum(self.program_prescribes)
        first = self.next_ids(GoalTemplate, n)
        next_id = first
        for i, program_id in enumerate(self.program_ids):
            if not self.program_prescribes[i]:
                continue
            self.templates[i] = []
            for area in self.rng.sample(FOCUS_AREAS, 3):
                self.writer.add(
                    new(
                        GoalTemplate,
                        id=next_id,
                        code=self.uuid(),
                        program_id=program_id,
                        title=f"{area}: a measurable classroom practice",
                        description=f"Every protégé sets a goal for {area.lower()}.",
                        focus_area=area,
                        suggested_measure="Share of observed opportunities, in %",
                        required=False,
                    )
                )
                self.templates[i].append(next_id)
                next_id += 1
        self.writer.flush()

    def enrollments(self) -> None:
        c = self.counts
        n_programs = c.programs
        # Home program of every mentor and protégé: round robin, bench people in program 0.
        self.mentor_program = c.homes(c.mentors, first=2)
        self.protege_program = c.homes(c.proteges)
        self.pool: list[list[int]] = [[] for _ in range(n_programs)]
        for index, p in enumerate(self.mentor_program):
            self.pool[p].append(index)
        self.left: set[int] = set()
        for index in range(1, c.proteges):
            if self.rng.random() < LEFT_SHARE:
                self.left.add(index)
        self.left_on: dict[int, datetime.date] = {}
        step = self.progress.step("enrollments", c.mentors + c.proteges)
        first = self.next_ids(Enrollment, c.mentors + c.proteges)
        joined = self.today - datetime.timedelta(days=720)
        reasons = Enrollment.Reason.values
        leaving = [r for r in Enrollment.LeavingReason.values if r != "other"]
        next_id = first
        for index, user_id in enumerate(self.mentor_ids):
            self.writer.add(
                new(
                    Enrollment,
                    id=next_id,
                    code=self.uuid(),
                    program_id=self.program_ids[self.mentor_program[index]],
                    person_id=user_id,
                    # The role of the program's first kind (bench data: in a program that
                    # offers both, these mentors also hold coaching relationships).
                    role=role_for_kind(self.program_kinds[self.mentor_program[index]][0]),
                    reason=Enrollment.Reason.CHOICE,
                    joined_on=joined,
                )
            )
            next_id += 1
            step.advance()
        for index, user_id in enumerate(self.protege_ids):
            left_on = None
            if index in self.left:
                left_on = self.days_ago(5, 200)
                self.left_on[index] = left_on
            self.writer.add(
                new(
                    Enrollment,
                    id=next_id,
                    code=self.uuid(),
                    program_id=self.program_ids[self.protege_program[index]],
                    person_id=user_id,
                    role=Enrollment.Role.PROTEGE,
                    reason=self.rng.choice(reasons),
                    joined_on=joined,
                    left_on=left_on,
                    leaving_reason=self.rng.choice(leaving) if left_on else "",
                )
            )
            next_id += 1
            step.advance()
        self.writer.flush()
        step.close()

    # relationships ------------------------------------------------------------------------
    def _status(self, protege_index: int | None, *, force_open: bool = False):
        """(status, starts_on, ended_on) for a new relationship."""
        starts = self.days_ago(20, 540)
        if force_open:
            return SupportRelationship.Status.ACTIVE, self.days_ago(120, 300), None
        left = self.left_on.get(protege_index) if protege_index is not None else None
        roll = self.rng.random()
        if left or roll < 0.12:
            end_by = left or self.today
            starts = min(starts, end_by - datetime.timedelta(days=30))
            span = (end_by - starts).days
            ended = starts + datetime.timedelta(days=self.rng.randint(30, max(30, span)))
            status = "completed" if self.rng.random() < 0.6 else "ended_early"
            return status, starts, min(ended, end_by)
        if roll < 0.17:
            return SupportRelationship.Status.PAUSED, starts, None
        if roll < 0.21:
            return SupportRelationship.Status.PROPOSED, self.days_ago(0, 15), None
        return SupportRelationship.Status.ACTIVE, starts, None

    def relationships(self) -> None:
        self.rels: list[Rel] = []
        self._open_keys: set = set()
        self._turn = [0] * self.counts.programs
        in_team = self._form_teams()
        first_mentor = self._bench_relationships(in_team)
        self._first_pass(first_mentor, in_team)
        self._second_pass(first_mentor, in_team)
        first = self.next_ids(SupportRelationship, len(self.rels))
        for offset, rel in enumerate(self.rels):
            rel.id = first + offset
        self._allocate()
        self._write_teams()
        self._write_relationships()

    def _pick_mentor(self, program: int, avoid=()) -> int:
        """The program's next mentor in turn, never the bench mentor nor one in `avoid`."""
        pool = self.pool[program]
        for _ in range(len(pool)):
            index = pool[self._turn[program] % len(pool)]
            self._turn[program] += 1
            if index not in avoid and self.mentor_ids[index] != self.bench["bench-mentor"]:
                return index
        return pool[0]

    def _add(
        self, program, kind, mentor, protege=None, team=None, members=(), force_open=False
    ) -> Rel | None:
        """A new relationship, or None where an open one would clash: one open relationship
        of a kind for a protégé or team in a program, whoever the mentor."""
        status, starts, ended = self._status(protege, force_open=force_open)
        key = (protege, team, program, kind)
        if status in ("proposed", "active", "paused"):
            if key in self._open_keys:
                return None
            self._open_keys.add(key)
        rel = Rel(
            id=0,
            program=program,
            kind=kind,
            mentor=mentor,
            protege=protege,
            team=team,
            members=list(members) or [protege],
            status=status,
            starts_on=starts,
            ended_on=ended,
        )
        self.rels.append(rel)
        return rel

    def _form_teams(self) -> set[int]:
        """Classroom teams: consecutive protégés of one program, still enrolled. Returns the
        protégés in a team."""
        c = self.counts
        self.teams: list[tuple[int, list[int]]] = []  # (program, member protégé indexes)
        in_team: set[int] = set()
        by_program: list[list[int]] = [[] for _ in range(c.programs)]
        for index in range(1, c.proteges):
            if index not in self.left:
                by_program[self.protege_program[index]].append(index)
        n_teams = round(c.proteges * TEAM_SHARE / TEAM_SIZE)
        for t in range(n_teams):
            program = t % c.programs
            candidates = [i for i in by_program[program][-TEAM_SIZE * 4 :] if i not in in_team]
            if len(candidates) < TEAM_SIZE:
                continue
            members = candidates[:TEAM_SIZE]
            in_team.update(members)
            by_program[program] = [i for i in by_program[program] if i not in in_team]
            self.teams.append((program, members))
        return in_team

    def _bench_relationships(self, in_team: set[int]) -> dict[int, int]:
        """The bench mentor's caseload (the first protégés of program 0) and the bench coach's
        protégé. Returns each protégé's first mentor so far."""
        bench_mentor = self.mentor_ids.index(self.bench["bench-mentor"])
        bench_coach = self.mentor_ids.index(self.bench["bench-coach"])
        program0 = [i for i in range(self.counts.proteges) if self.protege_program[i] == 0]
        bench_caseload = [i for i in program0 if i not in self.left and i not in in_team]
        bench_caseload = bench_caseload[: self.counts.caseload]
        if len(bench_caseload) < self.counts.caseload != BENCH_CASELOAD:
            # A caseload asked for (--caseload) must be there; the default takes what the
            # program has (a small world's may hold fewer).
            raise ValueError(
                f"The first program has {len(bench_caseload)} protégés for bench-mentor's "
                f"caseload of {self.counts.caseload}: raise --program-size or --scale."
            )
        first_mentor: dict[int, int] = {}
        for index in bench_caseload:
            first_mentor[index] = bench_mentor
            self._add(0, "mentoring", bench_mentor, protege=index, force_open=True)
        self.bench_relationships = [self.rels[0]]
        rel = self._add(0, "coaching", bench_coach, protege=0, force_open=True)
        if rel is None:  # bench-coach has no relationship yet, so nothing can clash
            raise RuntimeError("bench-coach's relationship with bench-protege clashed.")
        self.bench_relationships.append(rel)
        return first_mentor

    def _first_pass(self, first_mentor: dict[int, int], in_team: set[int]) -> None:
        """One relationship per protégé (teams count once)."""
        for team_index, (program, members) in enumerate(self.teams):
            kinds = self.program_kinds[program]
            kind = "coaching" if "coaching" in kinds else kinds[0]
            self._add(program, kind, self._pick_mentor(program), team=team_index, members=members)
        for index in range(self.counts.proteges):
            if index in first_mentor or index in in_team:
                continue
            program = self.protege_program[index]
            mentor = self._pick_mentor(program)
            first_mentor[index] = mentor
            self._add(program, self.program_kinds[program][0], mentor, protege=index)

    def _second_pass(self, first_mentor: dict[int, int], in_team: set[int]) -> None:
        """A second relationship (the other kind, or an earlier, ended one) until the target
        count is reached."""
        c, rng = self.counts, self.rng
        candidates = [i for i in range(1, c.proteges) if i not in in_team]
        rng.shuffle(candidates)
        position = 0
        while len(self.rels) < c.relationships and candidates:
            index = candidates[position % len(candidates)]
            position += 1
            program = self.protege_program[index]
            kinds = self.program_kinds[program]
            kind = kinds[-1] if len(kinds) > 1 and rng.random() < 0.6 else kinds[0]
            mentor = self._pick_mentor(program, avoid={first_mentor.get(index)})
            self._add(program, kind, mentor, protege=index)
            if position > 10 * c.relationships:
                break

    def _write_relationships(self) -> None:
        rng = self.rng
        step = self.progress.step("relationships", len(self.rels))
        arrangements = SupportRelationship.MeetingArrangement.values
        for rel in self.rels:
            self.writer.add(
                new(
                    SupportRelationship,
                    id=rel.id,
                    code=self.uuid(),
                    program_id=self.program_ids[rel.program],
                    kind=rel.kind,
                    format="team" if rel.team is not None else "individual",
                    protege_id=self.protege_ids[rel.protege] if rel.protege is not None else None,
                    team_id=self.team_ids[rel.team] if rel.team is not None else None,
                    mentor_id=self.mentor_ids[rel.mentor],
                    meeting_arrangement=rng.choice(arrangements),
                    status=rel.status,
                    starts_on=rel.starts_on,
                    planned_end_on=rel.starts_on + datetime.timedelta(days=365),
                    ended_on=rel.ended_on,
                    end_reason=END_REASONS.get(rel.status, ""),
                    visits_per_month=4 if rng.random() < 0.05 else None,
                    created_at=self.at(rel.starts_on, 9),
                )
            )
            step.advance()
        self.writer.flush()
        step.close()

    def _write_teams(self) -> None:
        first = self.next_ids(ClassroomTeam, len(self.teams))
        self.team_ids = []
        through = ClassroomTeam.members.through
        for offset, (program, members) in enumerate(self.teams):
            team_id = first + offset
            self.team_ids.append(team_id)
            self.writer.add(
                new(
                    ClassroomTeam,
                    id=team_id,
                    code=self.uuid(),
                    name=f"Room {offset + 1} team",
                    program_id=self.program_ids[program],
                    site_id=self.rng.choice(self.site_ids),
                    age_group=self.rng.choice(AgeGroup.values),
                )
            )
            for index in members:
                self.writer.add(
                    new(through, classroomteam_id=team_id, user_id=self.protege_ids[index])
                )
        self.writer.flush()

    def _allocate(self) -> None:
        """Share the visit and goal totals out over the relationships, by how long each has run
        (proposed ones get none; the bench relationships get fixed, realistic numbers)."""
        c = self.counts
        bench = {id(rel) for rel in self.bench_relationships}
        weights = []
        for rel in self.rels:
            if rel.status == "proposed" or id(rel) in bench:
                weights.append(0.0)
                continue
            end = rel.ended_on or self.today
            weights.append(max((end - rel.starts_on).days, 7) * (0.5 + self.rng.random()))
        for rel in self.bench_relationships:
            rel.visits = BENCH_VISITS
            rel.goals = BENCH_GOALS
        for attr, total in (("visits", c.visits), ("goals", c.goals)):
            remaining = max(total - sum(getattr(rel, attr) for rel in self.bench_relationships), 0)
            weight_sum = sum(weights) or 1.0
            assigned = 0
            for rel, weight in zip(self.rels, weights, strict=True):
                if weight:
                    n = int(remaining * weight / weight_sum)
                    setattr(rel, attr, n)
                    assigned += n
            # Hand out what rounding left, one each, to random relationships with a weight.
            weighted = [rel for rel, weight in zip(self.rels, weights, strict=True) if weight]
            for rel in self.rng.choices(weighted, k=remaining - assigned) if weighted else []:
                setattr(rel, attr, getattr(rel, attr) + 1)

    # goals --------------------------------------------------------------------------------
    def goals(self) -> None:
        rng = self.rng
        total = sum(rel.goals for rel in self.rels)
        first = self.next_ids(Goal, total)
        next_id = first
        step = self.progress.step("goals", total)
        self.goal_rows: list[tuple] = []  # (goal id, rel, status, created_on)
        for rel in self.rels:
            if not rel.goals:
                continue
            end = rel.ended_on or self.today
            span = max((end - rel.starts_on).days, 1)
            templates = self.templates.get(rel.program, [])
            share = {"prescribed": 1.0, "both": 0.4}.get(self.program_policy[rel.program], 0.0)
            mentor_id = self.mentor_ids[rel.mentor]
            for g in range(rel.goals):
                created = rel.starts_on + datetime.timedelta(
                    days=rng.randint(0, span - 1) if span > 1 else 0
                )
                created = min(created, self.today)
                if rel.ended_on:
                    status = rng.choice(["met", "met", "not_met", "closed"])
                else:
                    status = rng.choices(
                        ["proposed", "agreed", "in_progress", "met", "not_met", "closed"],
                        weights=[10, 10, 55, 15, 5, 5],
                    )[0]
                prescribed = bool(templates) and rng.random() < share
                template = rng.choice(templates) if prescribed else None
                area = rng.choice(FOCUS_AREAS)
                agreed = status != "proposed"
                agreed_at = self.at(min(created + datetime.timedelta(days=2), self.today), 15)
                closed_at = None
                if status in ("met", "not_met", "closed"):
                    closed_on = min(
                        created + datetime.timedelta(days=rng.randint(20, 120)),
                        rel.ended_on or self.today,
                    )
                    closed_at = max(self.at(closed_on, 17), agreed_at)
                self.writer.add(
                    new(
                        Goal,
                        id=next_id,
                        code=self.uuid(),
                        relationship_id=rel.id,
                        origin="prescribed" if template else "collaborative",
                        template_id=template,
                        title=f"{area}: goal {g + 1}",
                        statement=(
                            f"By the target date, I will use one new {area.lower()} strategy "
                            "every day, and the children will respond to it."
                        ),
                        focus_area=area,
                        student_focused=rng.random() < 0.5,
                        measure_description="Share of observed opportunities, in %",
                        baseline=Decimal(rng.randint(5, 40)),
                        target=Decimal(rng.randint(60, 95)),
                        unit="%",
                        target_date=created + datetime.timedelta(days=120),
                        status=status,
                        close_reason="Priorities changed" if status == "closed" else "",
                        mentor_agreed_at=self.at(created, 14),
                        protege_agreed_at=agreed_at if agreed else None,
                        agreed_at=agreed_at if agreed else None,
                        created_by_id=mentor_id,
                        created_at=self.at(created, 14),
                        closed_at=closed_at,
                    )
                )
                rel.goal_ids.append(next_id)
                rel.goal_created.append(created)
                self.goal_rows.append((next_id, rel, status, created))
                next_id += 1
                step.advance()
        self.writer.flush()
        step.close()

    # visits -------------------------------------------------------------------------------
    def visits(self) -> None:
        total = sum(rel.visits for rel in self.rels)
        self._visit_id = self.next_ids(Visit, total)
        ack_first = self.next_ids(Acknowledgement, 0)
        self._ack_id = ack_first
        step = self.progress.step("visits", total)
        horizon = self.today + datetime.timedelta(days=28)
        for rel in self.rels:
            if rel.visits:
                self._visits_of(rel, horizon, step)
        self.next_ids(Acknowledgement, self._ack_id - ack_first)
        self.writer.flush()
        step.close()

    def _visit_dates(self, rel: Rel, horizon: datetime.date) -> list[datetime.date]:
        """`rel.visits` dates spread over the relationship's time, up to `horizon` (four weeks
        ahead) for an active one."""
        start = rel.starts_on + datetime.timedelta(days=3)
        end = rel.ended_on or (horizon if rel.status == "active" else self.today)
        end = max(end, start)
        spacing = (end - start).days / rel.visits
        return sorted(
            start + datetime.timedelta(days=int(k * spacing + self.rng.random() * spacing))
            for k in range(rel.visits)
        )

    def _visits_of(self, rel: Rel, horizon: datetime.date, step) -> None:
        dates = self._visit_dates(rel, horizon)
        members = [self.protege_ids[i] for i in rel.members]
        for k, day in enumerate(dates):
            visit_id = self._visit_id
            following = dates[k + 1] if k + 1 < len(dates) else None
            logged_at = self._visit(rel, visit_id, day, following)
            if logged_at:
                rel.logged_visits.append((visit_id, day))
                self._acknowledgements(visit_id, members, logged_at)
                self._goal_link(rel, visit_id, day)
            self._visit_id += 1
            step.advance()

    def _visit_status(self, rel: Rel, day: datetime.date) -> tuple[str, float]:
        """The visit's status, and the roll that decided it."""
        roll = self.rng.random()
        if day > self.today:
            return "scheduled", roll
        if roll < 0.08:
            return "cancelled", roll
        if roll < 0.10 and not rel.ended_on and rel.status != "paused":
            return "scheduled", roll  # in the past: overdue, to log or cancel
        return "logged", roll

    def _visit(
        self,
        rel: Rel,
        visit_id: int,
        day: datetime.date,
        following: datetime.date | None,
    ) -> datetime.datetime | None:
        """Write one visit; returns when it was logged (None when it was not)."""
        rng = self.rng
        status, roll = self._visit_status(rel, day)
        logged = status == "logged"
        observing = logged and rng.random() < 0.6
        acts = rng.sample(Activity.values, rng.randint(1, 3))
        if observing and "observing" not in acts:
            acts.insert(0, "observing")
        logged_at = self.at(day + datetime.timedelta(days=1), 17) if logged else None
        no_feedback = logged and rng.random() < 0.05
        code = self.uuid()
        start_time = datetime.time(rng.choice([8, 9, 10, 13, 14]), 0)
        duration = rng.choice([30, 45, 60, 90]) if logged else None
        location = rng.choice(["Classroom", "Room 4", "Virtual", ""])
        log = self._log(acts, following, roll, no_feedback) if logged else _blank_log()
        self.writer.add(
            new(
                Visit,
                id=visit_id,
                code=code,
                relationship_id=rel.id,
                status=status,
                date=day,
                start_time=start_time,
                duration_minutes=duration,
                location=location,
                **log,
                cancel_reason=rng.choice(CANCEL_REASONS) if status == "cancelled" else "",
                created_by_id=self.mentor_ids[rel.mentor],
                created_at=self.at(max(day - datetime.timedelta(days=7), rel.starts_on), 12),
                logged_at=logged_at,
            )
        )
        return logged_at

    def _log(
        self, acts: list[str], following: datetime.date | None, roll: float, no_feedback: bool
    ) -> dict:
        """A logged visit's record (drawn in this order)."""
        rng = self.rng
        return {
            "adults_present": rng.randint(1, 3),
            "children_present": rng.randint(8, 20),
            "activities": acts,
            "whats_working": rng.choice(WORKING),
            "focus_challenges": rng.choice(CHALLENGES),
            "protege_next_steps": rng.choice(NEXT_STEPS),
            "mentor_next_steps": "Bring the transition timer.",
            "feedback": "" if no_feedback else rng.choice(FEEDBACK),
            "next_meeting_on": following,
            "next_meeting_focus": "Follow up on the new routine",
            "private_notes": "Check in about workload." if roll > 0.8 else "",
        }

    def _acknowledgements(
        self, visit_id: int, members: list[int], logged_at: datetime.datetime
    ) -> None:
        """Most protégés acknowledge a logged visit the day after; half write a reflection."""
        for member in members:
            if self.rng.random() < 0.7:
                self.writer.add(
                    new(
                        Acknowledgement,
                        id=self._ack_id,
                        visit_id=visit_id,
                        protege_id=member,
                        acknowledged_at=min(logged_at + datetime.timedelta(days=1), self.now),
                        reflection="Thank you, the song idea worked."
                        if self.rng.random() < 0.5
                        else "",
                    )
                )
                self._ack_id += 1

    def _goal_link(self, rel: Rel, visit_id: int, day: datetime.date) -> None:
        """Three logged visits in ten work on one of the goals set by then."""
        if not rel.goal_ids or self.rng.random() >= 0.3:
            return
        earlier = [
            goal
            for goal, created in zip(rel.goal_ids, rel.goal_created, strict=True)
            if created <= day
        ]
        if earlier:
            self.writer.add(
                new(Goal.visits.through, visit_id=visit_id, goal_id=self.rng.choice(earlier))
            )

    def steps_and_progress(self) -> None:
        rng = self.rng
        n_steps = 2 * len(self.goal_rows)
        step_first = self.next_ids(ActionStep, n_steps)
        step = self.progress.step("steps and progress", len(self.goal_rows))
        progress_first = self.next_ids(ProgressEntry, 0)
        progress_id = progress_first
        who = ActionStep.Who.values
        for offset, (goal_id, rel, status, created) in enumerate(self.goal_rows):
            mentor_id = self.mentor_ids[rel.mentor]
            protege_id = self.protege_ids[rel.members[0]]
            for s in range(2):
                done = status in ("met", "not_met", "closed") or (
                    status == "in_progress" and rng.random() < 0.5
                )
                due = created + datetime.timedelta(days=14 * (s + 1))
                self.writer.add(
                    new(
                        ActionStep,
                        id=step_first + 2 * offset + s,
                        goal_id=goal_id,
                        who=rng.choice(who),
                        what=rng.choice(NEXT_STEPS),
                        due_on=due,
                        done_at=self.at(min(due, self.today), 18) if done else None,
                        done_by_id=(protege_id if rng.random() < 0.5 else mentor_id)
                        if done
                        else None,
                    )
                )
            if status in ("in_progress", "met", "not_met"):
                visits = [v for v, day in rel.logged_visits if day >= created]
                for p in range(2):
                    day = min(created + datetime.timedelta(days=21 * (p + 1)), self.today)
                    self.writer.add(
                        new(
                            ProgressEntry,
                            id=progress_id,
                            code=self.uuid(),
                            goal_id=goal_id,
                            date=day,
                            value=Decimal(rng.randint(10, 90)),
                            note="Counted during the morning block.",
                            recorded_by_id=mentor_id,
                            visit_id=rng.choice(visits) if visits and rng.random() < 0.5 else None,
                            created_at=self.at(day, 18),
                        )
                    )
                    progress_id += 1
            step.advance()
        self.next_ids(ProgressEntry, progress_id - progress_first)
        self.writer.flush()
        step.close()

    # database upkeep ----------------------------------------------------------------------
    def reset_sequences(self) -> None:
        """Ids were assigned here: move each table's sequence past them (PostgreSQL)."""
        connection = connections[self.using]
        models = list(self.writer.written)
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)

    def summaries(self) -> None:
        """The monthly summary rows of every relationship (bulk writes skip the signals that
        keep them: relationships/summary_refresh.py)."""
        if self.using != DEFAULT_DB_ALIAS:
            return  # counted on the default database only; run rebuild_summaries there
        step = self.progress.step("monthly summaries", 1)
        self.writer.written[SupportMonth] = summary_refresh.rebuild(today=self.today)
        self.writer.written[SupportMonthActivity] = SupportMonthActivity.objects.count()
        step.advance()
        step.close()

    def analyze(self) -> None:
        """Fresh planner statistics for the tables just filled (PostgreSQL)."""
        connection = connections[self.using]
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for model in self.writer.written:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def build(
    scale: float = 1.0,
    *,
    seed: int = 2026,
    using: str = "default",
    out=None,
    counts: Counts | None = None,
) -> dict:
    """Build the world; `counts` replaces the scaled counts (a different shape, e.g. many
    small programs for a query-plan test)."""
    return Builder(scale, seed=seed, using=using, out=out, counts=counts).build()
