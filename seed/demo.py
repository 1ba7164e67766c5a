"""The demo world that `manage.py seed_demo` builds, from the story in `seed/demo_story.py`.

One school district with two sites, a child care center and a college; three programs that
show the seeds' range (a state induction program for resident teachers, an early-literacy
coaching program with prescribed goals and a classroom team, a student-teaching placement);
an informal peer relationship; and a named account for every role. Dates are relative to
today, so the world always looks current.

Everything people do in it goes through the services in `relationships.services` and
`goals.services`, so the demo obeys the same rules as the app. Only timestamps are moved
afterwards (a log written "three weeks ago" should say so), with plain updates.

It lives in the `seed` app, the top floor: it builds on all the apps, and none of them
imports it.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import models, transaction
from django.test.utils import override_settings
from django.utils import timezone

from core import clock
from goals.models import Goal, GoalTemplate
from goals.services import (
    action_step_add,
    action_step_mark_done,
    goal_agree,
    goal_assign_prescribed,
    goal_close,
    goal_propose,
    goal_template_save,
    progress_record,
)
from programs.models import (
    Enrollment,
    EnrollmentRequest,
    MentorProfile,
    Organization,
    OrganizationLeader,
    Program,
    ProtegeProfile,
)
from programs.profiles_services import mentor_profile_save, protege_profile_save
from programs.services import track_sharing
from relationships.models import ClassroomTeam, InformalInvitation, SupportRelationship, Visit
from relationships.services import (
    person_language_set,
    relationship_create,
    relationship_end,
    team_save,
    visit_acknowledge,
    visit_cancel,
    visit_log,
    visit_schedule,
)
from seed.demo_cycles import build_cycles
from seed.demo_evidence import add_demo_evidence
from seed.demo_observations import build_observations
from seed.demo_story import (
    COACHING,
    DEMO_PASSWORD,
    DEMO_USERNAMES,
    DISTRICT,
    ENROLLMENT_REQUESTS,
    ENROLLMENTS,
    GOAL_TEMPLATES,
    INDUCTION,
    INFORMAL_INVITATIONS,
    LEAVING_NOTE,
    LEAVING_REASON,
    MENTOR_PROFILES,
    ORGANIZATIONS,
    PEOPLE,
    PLACEMENT,
    PREPARATION,
    PROGRAM_NAMES,
    PROGRAMS,
    PROTEGE_PROFILES,
    SPANISH_SPEAKERS,
    STORY,
    TEAM,
    GoalStory,
    Log,
    Planned,
    Point,
    Step,
    SupportStory,
    TeamStory,
)
from seed.demo_years import build_last_year

# The story's names that callers (the tests) read here, beside the builder.
__all__ = [
    "COACHING",
    "DEMO_PASSWORD",
    "DEMO_USERNAMES",
    "INDUCTION",
    "PLACEMENT",
    "TEAM",
    "build_demo_world",
    "clashes",
    "demo_world_exists",
    "logins_table",
]


def demo_world_exists() -> bool:
    return Program.objects.filter(name=INDUCTION, coordinators__username="coordinator").exists()


def clashes() -> list[str]:
    """Demo names already taken by something that is not the demo world."""
    taken = [
        f"user {username!r}"
        for username in User.objects.filter(username__in=DEMO_USERNAMES)
        .order_by("username")
        .values_list("username", flat=True)
    ]
    taken += [
        f"program {name!r}"
        for name in Program.objects.filter(name__in=PROGRAM_NAMES)
        .order_by("name")
        .values_list("name", flat=True)
    ]
    return taken


def logins_table() -> str:
    """One login per role, as an aligned plain-text table."""
    header = ("Role", "Username", "Name", "What to look at")
    rows = [(p.role, p.username, p.full_name, p.try_this) for p in PEOPLE if p.role]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]

    def line(row) -> str:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        return "  ".join([*cells, row[3]]).rstrip()

    rule = "  ".join("-" * width for width in [*widths, len(header[3])])
    cast = [(p.username, p.full_name, p.try_this) for p in PEOPLE if not p.role]
    cast_width = max(len(username) for username, _, _ in cast)
    return "\n".join(
        [
            line(header),
            rule,
            *(line(row) for row in rows),
            "",
            f"Password for every account: {DEMO_PASSWORD}",
            "",
            "Also in the demo, with the same password:",
            *(f"  {u.ljust(cast_width)}  {name}: {what}" for u, name, what in cast),
        ]
    )


# The builder ----------------------------------------------------------------------------------


@dataclass
class _Builder:
    today: datetime.date
    users: dict[str, User] = field(default_factory=dict)
    orgs: dict[str, Organization] = field(default_factory=dict)
    programs: dict[str, Program] = field(default_factory=dict)
    teams: dict[str, ClassroomTeam] = field(default_factory=dict)
    goals: dict[str, Goal] = field(default_factory=dict)
    visits: dict[tuple[int, int], Visit] = field(default_factory=dict)

    # dates and timestamps

    def day(self, offset: int) -> datetime.date:
        return self.today + datetime.timedelta(days=offset)

    def school_day(self, offset: int) -> datetime.date:
        """`day(offset)` off the weekend, where visits happen: back to the Friday for a day gone
        by, on to the Monday for one to come (today stays today)."""
        day = self.day(offset)
        if offset == 0 or day.weekday() < 5:
            return day
        if offset < 0:
            return day - datetime.timedelta(days=day.weekday() - 4)
        return day + datetime.timedelta(days=7 - day.weekday())

    def at(self, offset: int, hour: int = 16, minute: int = 0) -> datetime.datetime:
        """An aware moment `offset` days from today, never in the future."""
        moment = timezone.make_aware(
            datetime.datetime.combine(self.day(offset), datetime.time(hour, minute))
        )
        return min(moment, clock.now())

    @staticmethod
    def backdate(obj: models.Model, **values) -> None:
        type(obj)._default_manager.filter(pk=obj.pk).update(**values)
        for name, value in values.items():
            setattr(obj, name, value)

    # the world

    def build(self) -> None:
        self.organizations()
        self.people()
        self.program_list()
        self.enrollments()
        for chapter in STORY:
            if isinstance(chapter, TeamStory):
                self.team(chapter)
            else:
                self.support(chapter)
        build_cycles(
            program=self.programs[COACHING],
            coach=self.users["coach"],
            resident=self.users["resident"],
            team=self.teams[TEAM],
            today=self.today,
        )
        build_observations(
            coaching=self.programs[COACHING],
            induction=self.programs[INDUCTION],
            users=self.users,
            today=self.today,
        )
        build_last_year(current=self.programs[INDUCTION], users=self.users, day_of=self.today)
        add_demo_evidence(users=self.users)
        OrganizationLeader.objects.create(
            organization=self.orgs[DISTRICT],
            user=self.users["leader"],
            granted_by=self.users["admin"],
            granted_at=self.at(-60, 9),
        )

    def organizations(self) -> None:
        for name, kind, city, part_of in ORGANIZATIONS:
            org = Organization.objects.filter(name=name).first()
            if org is None:
                parent = self.orgs[part_of] if part_of else None
                org = Organization(name=name, kind=kind, city=city, state="Ohio", parent=parent)
                org.full_clean()
                org.save()
            self.orgs[name] = org

    def people(self) -> None:
        password = make_password(DEMO_PASSWORD)  # hashed once for every account
        for person in PEOPLE:
            user = User(
                username=person.username,
                first_name=person.first_name,
                last_name=person.last_name,
                email=f"{person.username}@demo.example.org",
                password=password,
                is_staff=person.username == "admin",
                is_superuser=person.username == "admin",
            )
            user.full_clean()
            user.save()
            self.backdate(user, date_joined=self.at(-120, 8))
            self.users[person.username] = user
        for mentor in MENTOR_PROFILES:
            mentor_profile_save(
                profile=MentorProfile(
                    user=self.users[mentor.username],
                    organization=self.orgs[mentor.organization],
                    currently_teaching=mentor.currently_teaching,
                    years_teaching=mentor.years_teaching,
                    age_groups=mentor.age_groups,
                    credentials=mentor.credentials,
                    caseload_limit=mentor.caseload_limit,
                    **{f"prep_{name}": name in mentor.preparation for name in PREPARATION},
                )
            )
        for username in SPANISH_SPEAKERS:
            person_language_set(user=self.users[username], language="es")
        for protege in PROTEGE_PROFILES:
            protege_profile_save(
                profile=ProtegeProfile(
                    user=self.users[protege.username],
                    organization=self.orgs[protege.organization],
                    position=protege.position,
                    career_stage=protege.career_stage,
                    age_group_taught=protege.age_group_taught,
                    supervisor=self.users[protege.supervisor] if protege.supervisor else None,
                ),
                by=None,
            )

    def program_list(self) -> None:
        for story in PROGRAMS:
            dates = {}
            if story.starts_day is not None:
                dates["starts_on"] = self.day(story.starts_day)
            if story.ends_day is not None:
                dates["ends_on"] = self.day(story.ends_day)
            program = Program(
                name=story.name, sponsor=self.orgs[story.sponsor], **dates, **story.settings
            )
            track_sharing(program)
            program.full_clean()
            program.save()
            program.coordinators.add(self.users["coordinator"])
            stamps = {"created_at": self.at(story.created_day, 10)}
            if program.coordinators_read_shared_logs:  # shared from the start
                stamps["shared_logs_since"] = stamps["created_at"]
            self.backdate(program, **stamps)
            self.programs[program.name] = program

        for title, description, focus_area, measure in GOAL_TEMPLATES:
            goal_template_save(
                template=GoalTemplate(
                    program=self.programs[COACHING],
                    title=title,
                    description=description,
                    focus_area=focus_area,
                    suggested_measure=measure,
                )
            )

    def enrollments(self) -> None:
        for program, username, role, reason, joined, left in ENROLLMENTS:
            enrollment = Enrollment(
                program=self.programs[program],
                person=self.users[username],
                role=role,
                reason=reason,
                joined_on=self.day(joined),
            )
            if left is not None:
                enrollment.left_on = self.day(left)
                enrollment.leaving_reason = LEAVING_REASON
                enrollment.leaving_note = LEAVING_NOTE
            enrollment.full_clean()
            enrollment.save()
        for asked in ENROLLMENT_REQUESTS:
            request = EnrollmentRequest(
                program=self.programs[asked.program],
                person=self.users[asked.username],
                role=asked.role,
                reason=asked.reason,
                asked_by=self.users[asked.asked_by],
                asked_at=self.at(asked.asked_day, 10),
            )
            request.full_clean()
            request.save()
        for inviter, invitee, kind, inviter_role, day in INFORMAL_INVITATIONS:
            invitation = InformalInvitation(
                inviter=self.users[inviter],
                invitee=self.users[invitee],
                kind=kind,
                inviter_role=inviter_role,
                created_at=self.at(day, 18),
            )
            invitation.full_clean()
            invitation.save()

    # relationships

    def team(self, story: TeamStory) -> None:
        self.teams[story.name] = team_save(
            team=ClassroomTeam(
                name=story.name,
                program=self.programs[story.program],
                site=self.orgs[story.site],
                age_group=story.age_group,
            ),
            members=[self.users[username] for username in story.members],
        )

    def support(self, story: SupportStory) -> None:
        """A relationship and its story: goals and their steps, visits, progress, the end."""
        relationship = self.relationship(
            program=story.program,
            mentor=story.mentor,
            protege=story.protege,
            team=self.teams[story.team] if story.team else None,
            kind=story.kind,
            starts=story.starts,
            planned_end=story.planned_end,
            arrangement=story.arrangement,
        )
        goals = [self.goal(relationship, goal) for goal in story.goals]
        if story.logs or story.planned:
            self.visits_for(
                relationship, location=story.location, logs=story.logs, planned=story.planned
            )
        for goal, told in zip(goals, story.goals, strict=True):
            self.progress(goal, told.progress)
            if told.closed:
                closing = told.closed
                goal_close(goal=goal, by=self.users[closing.by], status=closing.status)
                self.backdate(goal, closed_at=self.at(closing.day, closing.hour, closing.minute))
        if story.ended:
            relationship_end(
                relationship=relationship,
                reason=story.ended.reason,
                completed=story.ended.completed,
                ended_on=self.day(story.ended.day),
            )

    def goal(self, relationship: SupportRelationship, story: GoalStory) -> Goal:
        fields = dict(story.fields)
        if story.target_day is not None:
            fields["target_date"] = self.day(story.target_day)
        if story.template:
            goal = self.assign(
                story.key, relationship, template=story.template, day=story.day, **fields
            )
        else:
            goal = self.propose(
                story.key,
                relationship,
                by=story.by,
                agreed_by=story.agreed_by or None,
                day=story.day,
                **fields,
            )
        self.steps(goal, story.steps)
        return goal

    def relationship(
        self,
        *,
        mentor: str,
        kind: str,
        starts: int,
        program: str | None = None,
        protege: str | None = None,
        team: ClassroomTeam | None = None,
        planned_end: int | None = None,
        arrangement: str = SupportRelationship.MeetingArrangement.MENTOR_VISITS,
    ) -> SupportRelationship:
        relationship = relationship_create(
            mentor=self.users[mentor],
            kind=kind,
            program=self.programs[program] if program else None,
            protege=self.users[protege] if protege else None,
            team=team,
            meeting_arrangement=arrangement,
            starts_on=self.day(starts),
            planned_end_on=self.day(planned_end) if planned_end is not None else None,
        )
        self.backdate(relationship, created_at=self.at(starts - 2, 11))
        return relationship

    def visits_for(
        self,
        relationship: SupportRelationship,
        *,
        location: str,
        logs: tuple[Log, ...],
        planned: tuple[Planned, ...] = (),
    ) -> None:
        """Log the visits, schedule (or cancel) the planned ones, record acknowledgements."""
        mentor = relationship.mentor
        meeting_days = sorted(
            [log.day for log in logs] + [p.day for p in planned if not p.cancel_reason]
        )
        for log in logs:
            later = [d for d in meeting_days if d > log.day]
            visit = visit_log(
                relationship=relationship,
                by=mentor,
                goals=[self.goals[key] for key in log.goals],
                date=self.school_day(log.day),
                start_time=log.start,
                duration_minutes=log.minutes,
                location=location,
                adults_present=log.adults_present,
                children_present=log.children_present,
                activities=list(log.activities),
                whats_working=log.whats_working,
                focus_challenges=log.focus_challenges,
                protege_next_steps=log.protege_next_steps,
                mentor_next_steps=log.mentor_next_steps,
                feedback=log.feedback,
                next_meeting_on=self.school_day(later[0]) if later else None,
                next_meeting_focus=log.next_meeting_focus,
                private_notes=log.private_notes,
            )
            self.backdate(
                visit,
                created_at=self.at(log.day, 17),
                logged_at=self.at(log.day, 17, 30),
            )
            self.visits[(relationship.pk, log.day)] = visit
            for ack in log.acks:
                acknowledgement = visit_acknowledge(
                    visit=visit,
                    by=self.users[ack.by],
                    reflection=ack.reflection,
                    private_reflection=ack.private_reflection,
                )
                self.backdate(
                    acknowledgement, acknowledged_at=self.at(log.day + ack.after_days, 20)
                )
        for plan in planned:
            date = self.school_day(plan.day)
            visit = visit_schedule(
                relationship=relationship,
                by=mentor,
                date=max(date, clock.today()),  # a day gone by was scheduled before it came
                start_time=plan.start,
                duration_minutes=plan.minutes,
                location=location,
                next_meeting_focus=plan.focus,
            )
            self.backdate(visit, date=date, created_at=self.at(min(plan.day, 0) - 7, 12))
            if plan.cancel_reason:
                visit_cancel(visit=visit, by=mentor, reason=plan.cancel_reason)

    def propose(
        self,
        key: str,
        relationship: SupportRelationship,
        *,
        by: str,
        day: int,
        agreed_by: str | None = None,
        **fields,
    ) -> Goal:
        goal = goal_propose(relationship=relationship, by=self.users[by], **fields)
        proposed, agreed = self.at(day, 16), self.at(day, 17)
        stamps = {"created_at": proposed, self.agreement_field(goal, by): proposed}
        if agreed_by:
            goal = goal_agree(goal=goal, by=self.users[agreed_by])
            stamps |= {"agreed_at": agreed, self.agreement_field(goal, agreed_by): agreed}
        self.backdate(goal, **stamps)
        self.goals[key] = goal
        return goal

    def assign(
        self, key: str, relationship: SupportRelationship, *, template: str, day: int, **fields
    ) -> Goal:
        goal = goal_assign_prescribed(
            relationship=relationship,
            by=relationship.mentor,
            template=GoalTemplate.objects.get(program=relationship.program, title=template),
            **fields,
        )
        moment = self.at(day, 16)
        self.backdate(goal, created_at=moment, mentor_agreed_at=moment, agreed_at=moment)
        self.goals[key] = goal
        return goal

    @staticmethod
    def agreement_field(goal: Goal, username: str) -> str:
        """Where `username`'s agreement to `goal` is stamped."""
        if username == goal.relationship.mentor.username:
            return "mentor_agreed_at"
        return "protege_agreed_at"

    def steps(self, goal: Goal, steps: tuple[Step, ...]) -> None:
        for who, what, due, done_by in steps:
            step = action_step_add(
                goal=goal,
                by=goal.relationship.mentor,
                who=who,
                what=what,
                due_on=self.day(due),
            )
            if done_by:
                step = action_step_mark_done(step=step, by=self.users[done_by])
                self.backdate(step, done_at=self.at(min(due, 0) - 1, 18))

    def progress(self, goal: Goal, entries: tuple[Point, ...]) -> None:
        for day, value, by, note in entries:
            visit = self.visits.get((goal.relationship_id, day))
            entry = progress_record(
                goal=goal,
                by=self.users[by],
                value=value,
                date=visit.date if visit else self.day(day),
                note=note,
                visit=visit,
            )
            self.backdate(entry, created_at=self.at(day, 18))


# The demo's visits and goals are history, not news. The services queue emails to protégés
# (a log to acknowledge, a goal to agree) for when the transaction commits; nobody should get
# them, so while the world is built mail goes nowhere.
NO_MAIL = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}


def build_demo_world(*, today: datetime.date | None = None) -> None:
    """Build the whole demo world in one transaction (callers check it is not there yet)."""
    with override_settings(MAILERS=NO_MAIL), transaction.atomic():
        _Builder(today=today or clock.today()).build()
