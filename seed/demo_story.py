"""The demo world's story, as data: its places, people, programs, enrollments, and what the
people do together (relationships, goals with their steps and progress, visit logs with their
acknowledgements, visits to come). `seed/demo.py` builds it through the services.

Days are offsets from the day the world is built (-3 is three days ago), so the world always
looks current.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from goals.models import ActionStep, Goal
from programs.models import (
    AgeGroup,
    CareerStage,
    Enrollment,
    Organization,
    Program,
    ProtegeProfile,
)
from relationships.models import Activity, SupportRelationship

# Names and people ----------------------------------------------------------------------------

DEMO_PASSWORD = "mentoring-demo-2026"

DISTRICT = "Riverbend Unified School District"
CHILD_CARE_CENTER = "Sunrise Early Learning Center"
COLLEGE = "Lakeshore State University"
ELEMENTARY = "Maple Street Elementary School"
EARLY_CHILDHOOD_CENTER = "Riverbend Early Childhood Center"

INDUCTION = "Resident Educator Induction"
COACHING = "Early Literacy Instructional Coaching"
PLACEMENT = "Student Teaching Placement"
PROGRAM_NAMES = (INDUCTION, COACHING, PLACEMENT)

TEAM = "Sunflower Room team"


@dataclass(frozen=True)
class Person:
    username: str
    first_name: str
    last_name: str
    role: str  # the row in the logins table; blank for the supporting cast
    try_this: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


PEOPLE = (
    Person(
        "coordinator",
        "Angela",
        "Moreno",
        "Program coordinator",
        "coordinates all three programs: dashboard, matching, reports",
    ),
    Person(
        "mentor",
        "David",
        "Kim",
        "Mentor",
        "induction mentor: a caseload of residents, logs, goals",
    ),
    Person(
        "coach",
        "Rachel",
        "Greene",
        "Instructional coach",
        "coaches Maya Thompson and the Sunflower Room team",
    ),
    Person(
        "resident",
        "Maya",
        "Thompson",
        "Protégé with two supports",
        "a mentor and a coach; a log to acknowledge, a goal to agree",
    ),
    Person(
        "teamlead",
        "Luis",
        "Ortega",
        "Classroom team member",
        "lead teacher in the coached Sunflower Room team",
    ),
    Person(
        "student",
        "Emily",
        "Novak",
        "Student teacher",
        "pre-service placement with a cooperating teacher",
    ),
    Person(
        "supervisor",
        "Denise",
        "Caldwell",
        "Supervisor",
        "site director of Maya and the team: sees no mentoring records",
    ),
    Person(
        "peer",
        "Helen",
        "Park",
        "Informal peer mentor",
        "mentors Keisha Williams outside any program; asked to join the placement program",
    ),
    Person(
        "leader",
        "Marcus",
        "Bell",
        "Program leader",
        "leads the district: the roll-up across its programs, small groups protected",
    ),
    Person("admin", "Sam", "Patel", "Admin", "everything, through Django admin"),
    # The supporting cast: same password, listed under the table.
    Person("teammate", "Keisha", "Williams", "", "the team's assistant teacher; Helen mentors her"),
    Person("mentor2", "Grace", "Adeyemi", "", "cooperating teacher of the student teacher"),
    Person("resident1", "Omar", "Haddad", "", "resident matched last week, first visit due soon"),
    Person("leaver", "Brianna", "Scott", "", "resident who left teaching (retention)"),
    Person("newhire", "Luis", "Ortega", "", "resident enrolled last week, waiting for a match"),
    # Who work in Spanish: their pages and emails are in Spanish (SPANISH_SPEAKERS).
    Person(
        "mentora",
        "Lucía",
        "Fernández",
        "Mentor (Spanish)",
        "mentors Sofía Ramírez in Spanish: every page and email in Spanish",
    ),
    Person(
        "docente",
        "Sofía",
        "Ramírez",
        "Protégé (Spanish)",
        "mentored by Lucía Fernández in Spanish; a log to acknowledge, a goal to agree",
    ),
)
# The language each of these people chose on their settings page (everyone else: none, so
# the browser's).
SPANISH_SPEAKERS = ("mentora", "docente")
DEMO_USERNAMES = tuple(person.username for person in PEOPLE)

# Places ---------------------------------------------------------------------------------------

# (name, kind, city, part of); every one is in Ohio. An organization of that name is reused.
# The district runs the two schools: its instructional coach counts as from the same
# organization as their teachers; the two schools are different organizations.
ORGANIZATIONS = (
    (DISTRICT, Organization.Kind.DISTRICT, "Riverbend", None),
    (ELEMENTARY, Organization.Kind.SCHOOL, "Riverbend", DISTRICT),
    (EARLY_CHILDHOOD_CENTER, Organization.Kind.SCHOOL, "Riverbend", DISTRICT),
    (CHILD_CARE_CENTER, Organization.Kind.CHILD_CARE_CENTER, "Riverbend", None),
    (COLLEGE, Organization.Kind.COLLEGE, "Lakeshore", None),
)


# Profiles -------------------------------------------------------------------------------------

# What a mentor's preparation covers: each is a `prep_<name>` field of the mentor profile.
PREPARATION = (
    "child_development",
    "adult_learning",
    "culture",
    "teacher_development",
    "reflective_practice",
)


class MentorStory(NamedTuple):
    username: str
    organization: str
    currently_teaching: bool
    years_teaching: int
    age_groups: list[str]
    credentials: str
    caseload_limit: int
    preparation: tuple[str, ...]  # of PREPARATION


MENTOR_PROFILES = (
    MentorStory(
        "mentor",
        ELEMENTARY,
        True,
        17,
        [AgeGroup.KINDERGARTEN, AgeGroup.GRADES_1_3],
        "M.Ed. Curriculum and Instruction; state resident educator mentor training.",
        4,
        ("child_development", "adult_learning", "teacher_development", "reflective_practice"),
    ),
    MentorStory(
        "coach",
        DISTRICT,
        False,
        14,
        [AgeGroup.PRESCHOOL, AgeGroup.KINDERGARTEN, AgeGroup.GRADES_1_3],
        "Reading specialist endorsement; Practice-Based Coaching training.",
        12,
        PREPARATION,
    ),
    MentorStory(
        "mentor2",
        CHILD_CARE_CENTER,
        True,
        11,
        [AgeGroup.PRESCHOOL],
        "B.S. Early Childhood Education; CDA; cooperating teacher since 2021.",
        2,
        ("child_development", "reflective_practice"),
    ),
    MentorStory(
        "mentora",
        CHILD_CARE_CENTER,
        True,
        15,
        [AgeGroup.TODDLERS, AgeGroup.PRESCHOOL],
        "Licenciatura en Educación Inicial; formación en mentoría reflexiva.",
        3,
        ("child_development", "adult_learning", "culture", "reflective_practice"),
    ),
    MentorStory(
        "peer",
        EARLY_CHILDHOOD_CENTER,
        True,
        22,
        [AgeGroup.TODDLERS, AgeGroup.PRESCHOOL],
        "Lead preschool teacher.",
        2,
        ("child_development", "culture"),
    ),
)


class ProtegeStory(NamedTuple):
    username: str
    organization: str
    position: str
    career_stage: str
    age_group_taught: str
    supervisor: str | None


STAGE = ProtegeProfile.CareerStage
PROTEGE_PROFILES = (
    ProtegeStory(
        "resident",
        EARLY_CHILDHOOD_CENTER,
        "Kindergarten teacher",
        STAGE.RESIDENT_2,
        AgeGroup.KINDERGARTEN,
        "supervisor",
    ),
    ProtegeStory(
        "teamlead",
        EARLY_CHILDHOOD_CENTER,
        "Lead teacher, Sunflower Room",
        STAGE.EXPERIENCED,
        AgeGroup.PRESCHOOL,
        "supervisor",
    ),
    ProtegeStory(
        "teammate",
        EARLY_CHILDHOOD_CENTER,
        "Assistant teacher, Sunflower Room",
        STAGE.NEW,
        AgeGroup.PRESCHOOL,
        "supervisor",
    ),
    ProtegeStory(
        "student",
        CHILD_CARE_CENTER,
        "Student teacher (Lakeshore State University)",
        STAGE.PRE_SERVICE,
        AgeGroup.PRESCHOOL,
        None,
    ),
    ProtegeStory(
        "docente",
        CHILD_CARE_CENTER,
        "Maestra de preescolar, Sala Girasol",
        STAGE.NEW,
        AgeGroup.PRESCHOOL,
        None,
    ),
    ProtegeStory(
        "resident1",
        ELEMENTARY,
        "Second-grade teacher",
        STAGE.RESIDENT_1,
        AgeGroup.GRADES_1_3,
        None,
    ),
    ProtegeStory(
        "leaver",
        ELEMENTARY,
        "First-grade teacher",
        STAGE.RESIDENT_1,
        AgeGroup.GRADES_1_3,
        None,
    ),
    ProtegeStory(
        "newhire",
        ELEMENTARY,
        "Kindergarten teacher",
        STAGE.RESIDENT_1,
        AgeGroup.KINDERGARTEN,
        None,
    ),
)


# Programs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgramStory:
    name: str
    sponsor: str  # an organization's name
    created_day: int
    settings: Mapping[str, object]  # the rest of the Program's fields
    starts_day: int | None = None
    ends_day: int | None = None


PURPOSE, OUTCOME, CAREER = Program.Purpose, Program.Outcome, CareerStage
PROGRAMS = (
    ProgramStory(
        name=INDUCTION,
        sponsor=DISTRICT,
        created_day=-400,
        settings=dict(
            description=(
                "The state's induction program for resident teachers in their first three "
                "years. Each resident is matched with a trained mentor teacher from the "
                "district, who visits twice a month and sets goals together with them."
            ),
            support_model=Program.SupportModel.MENTORING,
            career_stages=[CAREER.RESIDENT_1, CAREER.RESIDENT_2, CAREER.RESIDENT_3],
            purposes=[PURPOSE.NEW_TO_FIELD, PURPOSE.RETENTION],
            outcomes=[OUTCOME.PRACTICES],
            outcome_details=(
                "Residents complete the induction years and stay in teaching; growth on "
                "the goals they set with their mentor."
            ),
            mentor_organization=Program.MentorOrganization.SAME,
            mentors_currently_teaching=True,
            goal_policy=Program.GoalPolicy.COLLABORATIVE,
            goal_scope=Program.GoalScope.WIDE,
            age_groups=[AgeGroup.KINDERGARTEN, AgeGroup.GRADES_1_3],
            typical_duration_weeks=108,
            director_involvement=Program.DirectorInvolvement.NONE,
            visits_per_month=2,
            minutes_per_month=120,
            days_to_first_visit=14,
            days_to_first_goal=30,
            mentor_role_description=(
                "A resident educator mentor is an experienced classroom teacher who "
                "supports one resident's growth over the year. Mentor and resident agree "
                "their goals together. The mentor visits the resident's classroom twice a "
                "month, listens, shares stories and resources, observes and gives "
                "feedback, and helps with the everyday 'have-tos' of a new teacher. The "
                "mentor has no part in the resident's evaluation: what they discuss stays "
                "between them."
            ),
        ),
    ),
    ProgramStory(
        name=COACHING,
        sponsor=DISTRICT,
        created_day=-95,
        starts_day=-90,
        ends_day=180,
        settings=dict(
            description=(
                "District instructional coaches work with pre-K and kindergarten "
                "teachers, one to one and with classroom teams, on three early-literacy "
                "practices chosen by the initiative."
            ),
            support_model=Program.SupportModel.COACHING,
            career_stages=[
                CAREER.NEW,
                CAREER.RESIDENT_1,
                CAREER.RESIDENT_2,
                CAREER.RESIDENT_3,
                CAREER.EXPERIENCED,
            ],
            purposes=[PURPOSE.QUALITY, PURPOSE.CURRICULUM],
            outcomes=[
                OUTCOME.PRACTICES,
                OUTCOME.CHILD_OUTCOMES,
                OUTCOME.QUALITY_RATINGS,
            ],
            outcome_details=(
                "More interactive read-alouds and vocabulary-rich conversation; growth on "
                "the spring language screener; higher Instructional Support scores on the "
                "classroom observation."
            ),
            mentor_organization=Program.MentorOrganization.SAME,
            mentors_currently_teaching=False,
            goal_policy=Program.GoalPolicy.PRESCRIBED,
            goal_scope=Program.GoalScope.FOCUSED,
            focus_areas=(
                "Interactive read-alouds\nOral language and vocabulary\nPhonological awareness"
            ),
            age_groups=[AgeGroup.PRESCHOOL, AgeGroup.KINDERGARTEN],
            typical_duration_weeks=24,
            director_involvement=Program.DirectorInvolvement.EXPECTED,
            visits_per_month=2,
            minutes_per_month=120,
            days_to_first_visit=10,
            days_to_first_goal=21,
            coordinators_read_shared_logs=True,
            coach_role_description=(
                "An instructional coach partners with teachers, one to one or as a "
                "classroom team, to set student-focused goals from the initiative's "
                "early-literacy practices. The coach explains, models and adapts those "
                "practices, observes and gives feedback, and tracks progress data with the "
                "teachers. Coaching conversations are intentional: driven by the teacher, "
                "aimed at a goal. Coaches do not evaluate teachers. In this program the "
                "coordinators may read shared logs; private notes stay private."
            ),
        ),
    ),
    ProgramStory(
        name=PLACEMENT,
        sponsor=COLLEGE,
        created_day=-65,
        starts_day=-60,
        ends_day=45,
        settings=dict(
            description=(
                "Lakeshore State University's early-childhood student teachers spend a "
                "semester in a cooperating teacher's classroom, turning coursework into "
                "daily practice."
            ),
            support_model=Program.SupportModel.MENTORING,
            career_stages=[CAREER.PRE_SERVICE],
            purposes=[PURPOSE.HIGHER_ED, PURPOSE.THEORY_TO_PRACTICE],
            outcomes=[OUTCOME.PRACTICES],
            outcome_details="Student teachers meet the program's placement standards.",
            mentor_organization=Program.MentorOrganization.DIFFERENT,
            mentors_currently_teaching=True,
            goal_policy=Program.GoalPolicy.COLLABORATIVE,
            goal_scope=Program.GoalScope.WIDE,
            age_groups=[AgeGroup.PRESCHOOL, AgeGroup.KINDERGARTEN],
            typical_duration_weeks=15,
            director_involvement=Program.DirectorInvolvement.EXPECTED,
            visits_per_month=2,
            minutes_per_month=90,
            days_to_first_visit=7,
            days_to_first_goal=21,
            mentor_role_description=(
                "The cooperating teacher hosts the student teacher in their own "
                "classroom, models daily practice, hands over responsibility step by "
                "step, and meets every other week to set goals and give feedback."
            ),
        ),
    ),
)
# The coaching program's goal templates: (title, description, focus area, suggested measure).
GOAL_TEMPLATES = (
    (
        "Interactive read-alouds",
        "Read aloud every day with open-ended questions that invite children to "
        "predict, explain and connect the story to their lives; recast and extend "
        "their answers.",
        "Interactive read-alouds",
        "Open-ended questions per read-aloud (observed, 10 to 15 minute book)",
    ),
    (
        "Vocabulary-rich conversations",
        "Hold back-and-forth conversations with children during play and meals, "
        "introducing and explaining new words.",
        "Oral language and vocabulary",
        "Conversations of five or more turns in a 20-minute observation",
    ),
    (
        "Phonological awareness in small groups",
        "Teach rhyming, syllables and sound segmenting in short, playful small "
        "groups four days a week.",
        "Phonological awareness",
        "Share of children meeting the weekly phonological-awareness check",
    ),
)

# Enrollments ----------------------------------------------------------------------------------

ROLE, REASON = Enrollment.Role, Enrollment.Reason
# (program, username, role, reason, joined day, left day or None)
ENROLLMENTS = (
    (INDUCTION, "mentor", ROLE.MENTOR, REASON.CHOICE, -400, None),
    (INDUCTION, "resident", ROLE.PROTEGE, REASON.JOB, -430, None),
    (INDUCTION, "resident1", ROLE.PROTEGE, REASON.JOB, -12, None),
    (INDUCTION, "leaver", ROLE.PROTEGE, REASON.JOB, -200, -40),
    # Not matched yet: the dashboard lists him as waiting for a match.
    (INDUCTION, "newhire", ROLE.PROTEGE, REASON.JOB, -8, None),
    (COACHING, "coach", ROLE.COACH, REASON.JOB, -90, None),
    (COACHING, "resident", ROLE.PROTEGE, REASON.CHOICE, -75, None),
    (COACHING, "teamlead", ROLE.PROTEGE, REASON.QUALITY_MANDATE, -80, None),
    (COACHING, "teammate", ROLE.PROTEGE, REASON.QUALITY_MANDATE, -80, None),
    (PLACEMENT, "mentor2", ROLE.MENTOR, REASON.CHOICE, -60, None),
    (PLACEMENT, "student", ROLE.PROTEGE, REASON.DEGREE_REQUIRED, -60, None),
)
# Why and how the one who left, left.
LEAVING_REASON = Enrollment.LeavingReason.LEFT_FIELD
LEAVING_NOTE = "Took a position in corporate training."


class RequestStory(NamedTuple):
    program: str
    username: str
    role: str
    reason: str
    asked_by: str
    asked_day: int


# Helen Park mentors outside any program: the placement program asks her to take part, and she
# accepts or declines from her home page.
ENROLLMENT_REQUESTS = (
    RequestStory(PLACEMENT, "peer", ROLE.MENTOR, REASON.CHOICE, "coordinator", -2),
)

# Maya asks Helen Park, whom she trusts, to mentor her informally too: the invitation waits on
# Helen's home page (inviter, invitee, kind, what the inviter will be, day invited).
INFORMAL_INVITATIONS = (("resident", "peer", "mentoring", "protege", -1),)


# Visit logs, as data --------------------------------------------------------------------------


@dataclass(frozen=True)
class Ack:
    by: str
    after_days: int
    reflection: str
    private_reflection: str = ""


@dataclass(frozen=True)
class Log:
    day: int  # relative to today
    minutes: int
    activities: tuple[str, ...]
    whats_working: str
    focus_challenges: str
    protege_next_steps: str
    mentor_next_steps: str
    feedback: str
    next_meeting_focus: str
    private_notes: str = ""
    goals: tuple[str, ...] = ()
    acks: tuple[Ack, ...] = ()
    start: datetime.time = datetime.time(9, 0)
    children_present: int | None = None
    adults_present: int | None = None


@dataclass(frozen=True)
class Planned:
    day: int
    focus: str
    minutes: int = 60
    start: datetime.time = datetime.time(9, 0)
    cancel_reason: str = ""


A = Activity

INDUCTION_LOGS = (
    Log(
        day=-80,
        minutes=60,
        start=datetime.time(15, 30),
        activities=(A.GOAL_SETTING, A.REFLECTIVE_CONVERSATION, A.RESOURCES),
        whats_working=(
            "Maya has warm relationships with her kindergartners: children greet her by name "
            "at the door and she knows every family."
        ),
        focus_challenges=(
            "Mornings feel rushed. Arrival, breakfast and attendance run together and the "
            "first lesson starts 20 to 25 minutes after the bell."
        ),
        protege_next_steps=(
            "Post a picture schedule at the children's eye level and time arrival-to-first-"
            "lesson every day this week."
        ),
        mentor_next_steps=(
            "Share the arrival-song playlist and the picture-schedule cards from my room."
        ),
        feedback=(
            "You already have the most important piece: children feel safe with you. A "
            "visible routine will let them run the morning themselves."
        ),
        next_meeting_focus="Look at the arrival timings together",
        private_notes=(
            "First meeting of year two. Maya mentioned she nearly left after year one; keep "
            "an eye on her workload."
        ),
        goals=("routine",),
        acks=(
            Ack(
                "resident",
                1,
                "Thank you for the schedule cards. I'll time our mornings this week and "
                "bring the numbers.",
            ),
        ),
    ),
    Log(
        day=-66,
        minutes=75,
        start=datetime.time(8, 15),
        activities=(A.OBSERVING, A.FEEDBACK, A.REFLECTIVE_CONVERSATION),
        children_present=19,
        adults_present=2,
        whats_working=(
            "The picture schedule is up and children point to it. Arrival to first lesson "
            "is down to 18 minutes."
        ),
        focus_challenges=(
            "Breakfast clean-up is where the time goes: children wait while one adult checks "
            "every table."
        ),
        protege_next_steps=(
            "Give two table helpers the clean-up job and teach it with a quick role-play."
        ),
        mentor_next_steps=(
            "Send Maya the table-helper job cards and a one-page guide to teaching a routine."
        ),
        feedback=(
            "When you sang the clean-up song, 17 of 19 children were moving within a minute. "
            "Use the song every day, so the routine does the reminding."
        ),
        next_meeting_focus="Clean-up jobs and the start of the first lesson",
        goals=("routine",),
        acks=(Ack("resident", 2, "The song works! Table helpers start on Monday."),),
    ),
    Log(
        day=-52,
        minutes=60,
        start=datetime.time(8, 15),
        activities=(A.CO_TEACHING, A.PLANNING, A.FEEDBACK, A.GOAL_SETTING),
        whats_working=(
            "Mornings now take 13 minutes. Children start the calendar routine without being asked."
        ),
        focus_challenges=(
            "In whole-group lessons the same five children answer every question; the others drift."
        ),
        protege_next_steps=(
            "Teach the turn-and-talk routine with an anchor chart and a hand signal."
        ),
        mentor_next_steps=(
            "Model a turn-and-talk in a read-aloud at the next visit; bring the partner-chart "
            "template."
        ),
        feedback=(
            "In the phonics warm-up we co-taught, more hands went up each time you paused "
            "after a question. Proposing the turn-and-talk goal yourself shows real ownership."
        ),
        next_meeting_focus="David models turn-and-talk in the read-aloud",
        private_notes=(
            "Maya seemed more relaxed today. Ask about the family night she is worried about."
        ),
        goals=("routine", "talk"),
        acks=(
            Ack(
                "resident",
                1,
                "I'm excited about turn-and-talk. I wrote the goal the way I'd explain it to "
                "the children.",
            ),
        ),
    ),
    Log(
        day=-38,
        minutes=90,
        start=datetime.time(9, 30),
        activities=(
            A.OBSERVING,
            A.MODELING,
            A.FEEDBACK,
            A.STUDENT_WORK,
            A.REFLECTIVE_CONVERSATION,
        ),
        children_present=20,
        adults_present=2,
        whats_working=(
            "Arrival to first lesson took 9 minutes on all three days Maya timed: the "
            "routine goal is met. During my model read-aloud children turned to partners "
            "quickly."
        ),
        focus_challenges=(
            "In Maya's own turn-and-talk about half the pairs talked; some sat silent because "
            "they weren't sure whose turn it was."
        ),
        protege_next_steps=(
            "Introduce 'Partner A talks first' with the hand signal; tally who talks in two "
            "lessons a week."
        ),
        mentor_next_steps=(
            "Make the tally sheet; find a short video of partner talk in a kindergarten."
        ),
        feedback=(
            "Celebrate the morning routine: you took it from 25 minutes to 9. For "
            "turn-and-talk, give one sentence starter ('I think ... because ...') and name "
            "who speaks first."
        ),
        next_meeting_focus="Partner roles and sentence starters",
        goals=("routine", "talk"),
        acks=(
            Ack(
                "resident",
                2,
                "It felt good to close our first goal. The sentence starter is a great idea.",
                private_reflection=(
                    "I was nervous with David watching the whole lesson. I need to stop "
                    "apologising to the class when something goes wrong."
                ),
            ),
        ),
    ),
    Log(
        day=-24,
        minutes=60,
        start=datetime.time(15, 30),
        activities=(A.MODELING, A.REFLECTIVE_CONVERSATION, A.PLANNING),
        whats_working=(
            "Partner A/B roles are posted; 60% of children talked in the tallied lessons, up "
            "from 35%."
        ),
        focus_challenges="English learners often listen but don't speak in their pairs.",
        protege_next_steps=(
            "Pair each English learner with a patient partner and add picture cues to the "
            "sentence starters."
        ),
        mentor_next_steps=(
            "Bring the district's picture-supported sentence frames; ask the ESL teacher "
            "about pairing."
        ),
        feedback=(
            "Your tally shows real growth. Notice how you used think time: three seconds of "
            "silence made the difference."
        ),
        next_meeting_focus="Video review of a turn-and-talk",
        goals=("talk",),
        acks=(
            Ack(
                "resident",
                1,
                "The tallies make the progress feel real. Trying the picture frames this week.",
            ),
        ),
    ),
    Log(
        day=-10,
        minutes=75,
        start=datetime.time(15, 30),
        activities=(A.VIDEO_REVIEW, A.FEEDBACK, A.GOAL_SETTING),
        whats_working=(
            "In the video every English learner at the front table answered with a sentence "
            "frame. Participation is at 66%."
        ),
        focus_challenges=(
            "The back table still drifts during turn-and-talk in the afternoon lessons."
        ),
        protege_next_steps=(
            "Assign talk partners for the afternoon and post the partner chart by next Friday."
        ),
        mentor_next_steps=(
            "Share the partner-chart template; observe an afternoon lesson next visit."
        ),
        feedback=(
            "Watching yourself, you noticed something I would not have pointed out: you "
            "answer your own question when the pause feels long."
        ),
        next_meeting_focus="Afternoon turn-and-talk; talking with families",
        goals=("talk",),
        acks=(
            Ack(
                "resident",
                2,
                "Hard to watch myself, but useful. The partner chart is coming.",
            ),
        ),
    ),
    # The latest log: Maya has not acknowledged it yet.
    Log(
        day=-3,
        minutes=45,
        start=datetime.time(13, 0),
        activities=(A.OBSERVING, A.FEEDBACK, A.FAMILIES),
        children_present=18,
        adults_present=1,
        whats_working=(
            "In the afternoon lesson 71% of children talked with their partner, and the back "
            "table joined in once Maya moved closer."
        ),
        focus_challenges=(
            "Maya wants families to know more about what the children are learning but is "
            "unsure how to start."
        ),
        protege_next_steps=(
            "Read the family-communication goal David drafted, agree or change it, and send "
            "one two-line update home this week."
        ),
        mentor_next_steps=(
            "Send two sample weekly updates from my class and bring the family-conversation "
            "planner."
        ),
        feedback=(
            "Moving closer to the back table worked without a word of correction. For "
            "families, start small: one photo and one sentence about the week."
        ),
        next_meeting_focus="A plan for talking with families",
        private_notes=(
            "Evaluation season is starting at Maya's site. Keep our conversations about "
            "growth, never ratings."
        ),
        goals=("talk", "families"),
    ),
)
INDUCTION_PLANNED = (
    Planned(
        -45,
        "Partner roles",
        cancel_reason="Maya was out sick; we met the following week instead.",
    ),
    Planned(11, "A plan for talking with families", start=datetime.time(15, 30)),
    Planned(25, "Turn-and-talk in the math mini-lesson", start=datetime.time(8, 15)),
)

LEAVER_LOGS = (
    Log(
        day=-140,
        minutes=60,
        start=datetime.time(15, 15),
        activities=(A.GOAL_SETTING, A.REFLECTIVE_CONVERSATION),
        whats_working="Brianna plans her reading groups carefully and knows her content.",
        focus_challenges=(
            "Behaviour during independent work time; she is worn out by the end of the day."
        ),
        protege_next_steps="Try a three-step independent-work routine and a quiet signal.",
        mentor_next_steps="Share my independent-work rotation chart.",
        feedback=(
            "Your reading groups are well planned; the rest of the class needs a job they can "
            "do without you."
        ),
        next_meeting_focus="Independent work routine",
        acks=(Ack("leaver", 1, "Thanks, I'll try the rotation chart."),),
    ),
    Log(
        day=-120,
        minutes=60,
        start=datetime.time(10, 0),
        activities=(A.OBSERVING, A.FEEDBACK),
        whats_working="Independent work time is calmer; children know where to go.",
        focus_challenges="Brianna says she is questioning whether teaching is right for her.",
        protege_next_steps="Write down three moments this week that felt good in class.",
        mentor_next_steps=(
            "Point Brianna to the district's wellness resources; check in mid-week."
        ),
        feedback=(
            "The rotation chart worked: 20 minutes of independent work with two interruptions."
        ),
        next_meeting_focus="Workload and wellbeing",
        private_notes="Brianna is thinking of leaving teaching. Listen first; don't push.",
        acks=(Ack("leaver", 3, "Thank you for listening today."),),
    ),
    Log(
        day=-70,
        minutes=45,
        start=datetime.time(15, 15),
        activities=(A.REFLECTIVE_CONVERSATION, A.RESOURCES),
        whats_working="Brianna finished her unit plan early and her room is organised.",
        focus_challenges="She has been offered a position outside education.",
        protege_next_steps="Talk with human resources about timelines before deciding.",
        mentor_next_steps="Stay available; share the program's retention resources.",
        feedback="Whatever you decide, you have grown a great deal as a planner this year.",
        next_meeting_focus="Check in after her decision",
    ),
)

COACHING_LOGS = (
    Log(
        day=-63,
        minutes=60,
        start=datetime.time(10, 30),
        activities=(A.OBSERVING, A.FEEDBACK, A.GOAL_SETTING),
        children_present=19,
        adults_present=1,
        whats_working=(
            "Small-group rotations are set up and children know their groups by colour."
        ),
        focus_challenges=(
            "On the fall screener 40% of children can produce a rhyme; the yellow group is "
            "furthest behind."
        ),
        protege_next_steps=(
            "Play the 10-minute rhyming game with the yellow group four days a week."
        ),
        mentor_next_steps="Model the sound-segmenting routine with the blue group.",
        feedback=(
            "Your small-group table is well organised. The rhyming game will go further if "
            "every child says the word, rather than pointing."
        ),
        next_meeting_focus="Rachel models segmenting",
        goals=("phonological",),
        acks=(
            Ack(
                "resident",
                1,
                "Ready to start the rhyming game. I like having one clear practice to focus on.",
            ),
        ),
    ),
    Log(
        day=-49,
        minutes=45,
        start=datetime.time(10, 30),
        activities=(A.MODELING, A.SIDE_BY_SIDE),
        whats_working="The yellow group played the rhyming game four days out of four.",
        focus_challenges=(
            "Segmenting three-sound words is hard for children who still mix up first sounds."
        ),
        protege_next_steps="Use Elkonin boxes with counters in the blue group.",
        mentor_next_steps="Bring a second set of Elkonin boxes and picture cards.",
        feedback=(
            "When I modeled, children pushed one counter per sound; you picked it up at once "
            "with the second group."
        ),
        next_meeting_focus="Maya leads segmenting",
        goals=("phonological",),
        acks=(Ack("resident", 1, "The counters make sounds visible. Love it."),),
    ),
    Log(
        day=-35,
        minutes=60,
        start=datetime.time(10, 30),
        activities=(A.OBSERVING, A.FEEDBACK, A.STUDENT_WORK),
        whats_working="55% of children met the weekly check, up from 40%.",
        focus_challenges=(
            "A few children guess from the picture instead of listening to the sounds."
        ),
        protege_next_steps="Cover the picture after the first say-it, so children listen.",
        mentor_next_steps="Look at the weekly check results together next time.",
        feedback=(
            "Your pacing was brisk and every child had at least three turns. Covering the "
            "picture is the next small step."
        ),
        next_meeting_focus="Planning the next phonological skill",
        goals=("phonological",),
        acks=(
            Ack(
                "resident",
                2,
                "Covering the picture is so simple. Trying it tomorrow.",
                private_reflection=(
                    "Relieved the numbers are going up. I was worried Rachel thinks I'm "
                    "behind the other kindergarten teachers."
                ),
            ),
        ),
    ),
    Log(
        day=-21,
        minutes=45,
        start=datetime.time(15, 30),
        activities=(A.PLANNING, A.RESOURCES, A.REFLECTIVE_CONVERSATION),
        whats_working="Maya planned the next two weeks of small groups on her own.",
        focus_challenges="Fitting small groups around the new assessment window.",
        protege_next_steps=(
            "Keep groups to 10 minutes during the assessment window; drop the Friday group."
        ),
        mentor_next_steps="Share the district's phonological-awareness sequence.",
        feedback=(
            "Your plan is realistic: four short groups you can protect beat five you squeeze."
        ),
        next_meeting_focus="Side-by-side support in small groups",
        goals=("phonological",),
        acks=(Ack("resident", 1, "Thanks for helping me drop something."),),
    ),
    Log(
        day=-7,
        minutes=60,
        start=datetime.time(10, 30),
        activities=(A.SIDE_BY_SIDE, A.FEEDBACK, A.VIDEO_REVIEW),
        whats_working=(
            "64% of children met the weekly check. Children blend and segment with counters "
            "on their own."
        ),
        focus_challenges=(
            "The blue group is ready for four-sound words; the yellow group needs more rhyming."
        ),
        protege_next_steps=(
            "Split the blue group's practice between three- and four-sound words; record the "
            "weekly check on the class tracker."
        ),
        mentor_next_steps="Bring four-sound picture cards.",
        feedback=(
            "In the clip you noticed that you give the answer when a child hesitates; waiting "
            "two more seconds let Jaylen get it himself."
        ),
        next_meeting_focus="Four-sound words and the tracker",
        goals=("phonological",),
        acks=(Ack("resident", 1, "Waiting is harder than it sounds! Tracker updated."),),
    ),
)
COACHING_PLANNED = (Planned(7, "Four-sound words and the tracker", 60),)

TEAM_LOGS = (
    Log(
        day=-70,
        minutes=90,
        start=datetime.time(9, 30),
        activities=(A.OBSERVING, A.GOAL_SETTING, A.REFLECTIVE_CONVERSATION),
        children_present=16,
        adults_present=2,
        whats_working=(
            "Luis and Keisha share the room smoothly; children love story time and ask for "
            "their favourite books."
        ),
        focus_challenges=(
            "Most read-aloud questions are yes/no or 'what colour is...': we counted 2 "
            "open-ended questions in a 12-minute book."
        ),
        protege_next_steps=(
            "Pick four books for the month and write three open-ended questions for each."
        ),
        mentor_next_steps=(
            "Model a dialogic read-aloud next visit; bring the question-stem bookmarks."
        ),
        feedback=(
            "Story time is a joyful part of your day. The team goal builds on it: more "
            "questions that invite children to explain and predict."
        ),
        next_meeting_focus="Rachel models a dialogic read-aloud",
        goals=("readalouds",),
        acks=(
            Ack("teamlead", 1, "Good to have a clear goal we both own."),
            Ack("teammate", 2, "I'll write the questions for two of the books."),
        ),
    ),
    Log(
        day=-56,
        minutes=60,
        start=datetime.time(9, 30),
        activities=(A.MODELING, A.FEEDBACK),
        children_present=17,
        adults_present=2,
        whats_working=(
            "Sticky-note questions were in all four books. Children answered 'why do you "
            "think...' questions at length."
        ),
        focus_challenges=(
            "Keisha doesn't lead read-alouds yet; she would like to but feels unsure."
        ),
        protege_next_steps="Keisha leads the Wednesday read-aloud, with Luis as second adult.",
        mentor_next_steps="Send the team the video of my model read-aloud.",
        feedback=(
            "You asked 3 open-ended questions today, up from 2. Recasting children's answers "
            "('You think the bear is lonely because...') is your next move."
        ),
        next_meeting_focus="Keisha leads; recasting answers",
        goals=("readalouds",),
        acks=(Ack("teamlead", 1, "Recasting feels natural once you hear it."),),
    ),
    Log(
        day=-42,
        minutes=75,
        start=datetime.time(9, 30),
        activities=(A.CO_TEACHING, A.FEEDBACK, A.PLANNING),
        children_present=15,
        adults_present=2,
        whats_working="Keisha led the read-aloud with confidence: 4 open-ended questions.",
        focus_challenges=(
            "The transition into story time takes five minutes and eats read-aloud time."
        ),
        protege_next_steps=(
            "Start story time with a transition song and have the book ready on the easel."
        ),
        mentor_next_steps="Co-plan next month's book set with the team.",
        feedback=(
            "Both of you now plan questions before reading. Keisha, your pause after each "
            "question gave children time to think."
        ),
        next_meeting_focus="Observation with the read-aloud tally",
        goals=("readalouds",),
        acks=(
            Ack("teamlead", 2, "Planning together on Fridays really helps."),
            Ack(
                "teammate",
                1,
                "First time leading with Rachel watching. It went better than I expected.",
                private_reflection=(
                    "I still feel like the assistant, not a teacher. Want to talk to Helen "
                    "about this."
                ),
            ),
        ),
    ),
    # An observation logged without feedback: the app flags it incomplete.
    Log(
        day=-28,
        minutes=60,
        start=datetime.time(9, 30),
        activities=(A.OBSERVING,),
        children_present=16,
        adults_present=2,
        whats_working=(
            "5 open-ended questions in a 15-minute read-aloud; children answered in full sentences."
        ),
        focus_challenges="A few children sit at the edge of the rug and rarely answer.",
        protege_next_steps="Invite quieter children to tell a partner first, then the group.",
        mentor_next_steps="Write up feedback after Friday planning with Luis.",
        feedback="",
        next_meeting_focus="Including quieter children",
        goals=("readalouds",),
        acks=(Ack("teamlead", 3, "Looking forward to talking it through on Friday."),),
    ),
    Log(
        day=-14,
        minutes=60,
        start=datetime.time(13, 30),
        activities=(A.VIDEO_REVIEW, A.FEEDBACK, A.REFLECTIVE_CONVERSATION),
        whats_working=(
            "The video showed 6 open-ended questions, and children building on each other's "
            "answers."
        ),
        focus_challenges=(
            "Quieter children still answer less, though partner talk helped two of them."
        ),
        protege_next_steps="Video one read-aloud a week and bring a clip to the debrief.",
        mentor_next_steps="Bring a short clip from another preschool team to compare.",
        feedback=(
            "You are three quarters of the way to the target of 8. Keep the partner-first "
            "move for quieter children."
        ),
        next_meeting_focus="Video debrief",
        goals=("readalouds",),
    ),
)
TEAM_PLANNED = (
    Planned(2, "Video debrief", 60, datetime.time(13, 30)),
    Planned(16, "Observation with the read-aloud tally", 75, datetime.time(9, 30)),
)

PLACEMENT_LOGS = (
    Log(
        day=-50,
        minutes=45,
        start=datetime.time(13, 0),
        activities=(A.GOAL_SETTING, A.PLANNING, A.REFLECTIVE_CONVERSATION),
        whats_working=(
            "Emily builds warm relationships; children already ask for 'Miss Emily' at the "
            "art table."
        ),
        focus_challenges=(
            "When Emily leads clean-up and line-up, children wait up to nine minutes."
        ),
        protege_next_steps="Learn three transition songs and use one every day.",
        mentor_next_steps="Hand Emily clean-up and line-up every day from next week.",
        feedback=(
            "You chose a goal that matters in every preschool room, and linked it to your "
            "course's guidance unit."
        ),
        next_meeting_focus="Observe Emily leading clean-up",
        goals=("transitions",),
        acks=(Ack("student", 1, "I'm connecting this to my EDU 340 guidance assignment."),),
    ),
    Log(
        day=-36,
        minutes=60,
        start=datetime.time(11, 0),
        activities=(A.OBSERVING, A.FEEDBACK, A.REFLECTIVE_CONVERSATION),
        children_present=14,
        adults_present=3,
        whats_working="The clean-up song is used every day; waiting is down to 7 minutes.",
        focus_challenges="At line-up children crowd the door because nobody has a place.",
        protege_next_steps="Try line-up spots on the floor and a line-leader job.",
        mentor_next_steps="Show Emily how I use the job chart.",
        feedback=(
            "Your clean-up song was confident and children joined in. Give directions one at "
            "a time."
        ),
        next_meeting_focus="Line-up and the job chart",
        goals=("transitions",),
        acks=(Ack("student", 1, "One direction at a time. Noted!"),),
    ),
    Log(
        day=-22,
        minutes=45,
        start=datetime.time(13, 0),
        activities=(A.CO_TEACHING, A.FEEDBACK),
        whats_working="Line-up spots work; waiting is down to 5 minutes.",
        focus_challenges="The transition to nap is still long on Mondays.",
        protege_next_steps="Plan a calm transition to nap with a recorded story.",
        mentor_next_steps="Sign Emily's mid-placement observation form for the university.",
        feedback="Children followed your countdown. Keep your voice low and slow at nap time.",
        next_meeting_focus="Planning the full-day takeover",
        private_notes="The university supervisor visits next week and Emily is anxious about it.",
        goals=("transitions",),
        acks=(Ack("student", 2, "The mid-placement form is in. Thank you!"),),
    ),
    Log(
        day=-8,
        minutes=60,
        start=datetime.time(11, 0),
        activities=(A.OBSERVING, A.FEEDBACK, A.STUDENT_WORK),
        children_present=15,
        adults_present=2,
        whats_working=(
            "Waiting averaged 4 minutes across three transitions; Emily led the whole morning."
        ),
        focus_challenges="Emily needs a plan for children who finish art early.",
        protege_next_steps="Plan the transition jobs chart for the full-day takeover.",
        mentor_next_steps="Review Emily's takeover plan by Friday.",
        feedback=(
            "You led a full morning with confidence. Look at today's artwork with me: which "
            "pieces show children understood the task?"
        ),
        next_meeting_focus="The full-day takeover plan",
        goals=("transitions",),
        acks=(Ack("student", 1, "Takeover plan coming Thursday."),),
    ),
)
PLACEMENT_PLANNED = (Planned(6, "The full-day takeover plan", 45, datetime.time(13, 0)),)

INFORMAL_LOGS = (
    Log(
        day=-33,
        minutes=30,
        start=datetime.time(15, 0),
        activities=(A.REFLECTIVE_CONVERSATION, A.RESOURCES),
        whats_working=(
            "Keisha knows every child's interests and uses them to start conversations."
        ),
        focus_challenges=(
            "She would like to lead small groups but has never planned one on her own."
        ),
        protege_next_steps="Watch Helen's small group on Tuesday; note how it starts and ends.",
        mentor_next_steps="Share my small-group lesson-plan template.",
        feedback=(
            "You already do the hard part: you know the children. A plan template will do the rest."
        ),
        next_meeting_focus="Debrief the small-group observation",
        goals=("smallgroups",),
        acks=(Ack("teammate", 1, "Thanks Helen, see you Tuesday."),),
    ),
    Log(
        day=-12,
        minutes=30,
        start=datetime.time(15, 0),
        activities=(A.MODELING, A.REFLECTIVE_CONVERSATION),
        whats_working=(
            "Keisha observed my small group and wrote down three openers she wants to use."
        ),
        focus_challenges="Finding 15 minutes in the afternoon schedule.",
        protege_next_steps="Plan two small groups with the template; ask Luis for a time slot.",
        mentor_next_steps="Lend Keisha the sorting materials for her first group.",
        feedback="Your notes were specific: you noticed how I keep early finishers busy.",
        next_meeting_focus="Keisha's first small group",
        goals=("smallgroups",),
    ),
)
INFORMAL_PLANNED = (Planned(9, "Keisha's first small group", 30, datetime.time(15, 0)),)

# Lucía Fernández mentors Sofía Ramírez in Spanish: all they write is in Spanish.
SPANISH_LOGS = (
    Log(
        day=-30,
        minutes=45,
        start=datetime.time(14, 30),
        activities=(A.GOAL_SETTING, A.REFLECTIVE_CONVERSATION),
        whats_working=(
            "Sofía saluda a cada niño por su nombre y los niños la buscan para contarle sus "
            "novedades."
        ),
        focus_challenges=(
            "La transición del juego libre a la ronda tarda más de diez minutos y varios niños "
            "se quedan sin saber qué hacer."
        ),
        protege_next_steps="Anotar cuánto dura la transición cada día de esta semana.",
        mentor_next_steps="Compartir tres canciones de transición que uso en mi sala.",
        feedback=(
            "Ya tiene lo más importante: los niños confían en usted. Una señal clara para "
            "cambiar de actividad les va a dar seguridad."
        ),
        next_meeting_focus="Revisar juntas los tiempos de la transición",
        goals=("transiciones",),
        acks=(Ack("docente", 1, "Gracias, Lucía. Ya empecé a anotar los tiempos."),),
    ),
    Log(
        day=-16,
        minutes=50,
        start=datetime.time(9, 30),
        activities=(A.OBSERVING, A.FEEDBACK, A.REFLECTIVE_CONVERSATION),
        whats_working=(
            "La canción de ordenar funcionó: la mayoría de los niños guardó los materiales sin "
            "que nadie se lo pidiera."
        ),
        focus_challenges="Dos niños siguen necesitando un aviso personal antes del cambio.",
        protege_next_steps="Avisar a esos dos niños cinco minutos antes, con el reloj de arena.",
        mentor_next_steps="Prestarle a Sofía el reloj de arena grande.",
        feedback=(
            "Se notó la diferencia: la transición bajó a seis minutos y usted mantuvo la calma "
            "todo el tiempo."
        ),
        next_meeting_focus="Observar la ronda de la mañana",
        goals=("transiciones",),
        acks=(Ack("docente", 2, "Me sirvió mucho verlo desde afuera."),),
    ),
    Log(
        day=-2,
        minutes=40,
        start=datetime.time(9, 30),
        activities=(A.MODELING, A.REFLECTIVE_CONVERSATION),
        whats_working="Sofía ya usa el reloj de arena sin mirar sus notas.",
        focus_challenges="Las familias no saben todavía cómo trabajamos las rutinas en la sala.",
        protege_next_steps="Escribir una nota breve a las familias sobre la canción de ordenar.",
        mentor_next_steps="Buscar un modelo de nota para familias en español y en inglés.",
        feedback=("Su manera de anticipar los cambios ya es parte del día: los niños la imitan."),
        next_meeting_focus="Comunicación con las familias",
        goals=("transiciones",),
    ),
)
SPANISH_PLANNED = (Planned(5, "Ronda de la mañana y nota a las familias", 45),)

# What people do together ----------------------------------------------------------------------


class Step(NamedTuple):
    """An action step: who does it, what, the day it is due, and who marked it done (or None)."""

    who: str
    what: str
    due_day: int
    done_by: str | None


class Point(NamedTuple):
    """A progress data point: the day, the value, who recorded it, a note."""

    day: int
    value: Decimal
    by: str
    note: str


class Closing(NamedTuple):
    """A goal closed: by whom, with which status, and when (day, hour, minute)."""

    by: str
    status: str
    day: int
    hour: int
    minute: int


@dataclass(frozen=True)
class GoalStory:
    """A goal: proposed by `by` (and agreed by `agreed_by`), or, with a `template` (the title
    of one of the program's goal templates), assigned by the mentor or coach. `fields` are the
    goal's own; `target_day` its target date."""

    key: str  # how a visit log names it
    day: int
    fields: Mapping[str, object]
    by: str = ""
    agreed_by: str = ""
    template: str = ""
    target_day: int | None = None
    steps: tuple[Step, ...] = ()
    progress: tuple[Point, ...] = ()
    closed: Closing | None = None


@dataclass(frozen=True)
class Ending:
    reason: str
    completed: bool
    day: int


@dataclass(frozen=True)
class TeamStory:
    name: str
    program: str
    site: str
    age_group: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class SupportStory:
    """A support relationship and its story, told in this order: the goals (each with its
    steps), the visits (logged, then planned), each goal's progress (and its closing), the
    end."""

    mentor: str
    kind: str
    starts: int
    program: str | None = None
    protege: str | None = None
    team: str | None = None  # a TeamStory's name
    planned_end: int | None = None
    arrangement: str = SupportRelationship.MeetingArrangement.MENTOR_VISITS
    location: str = ""
    goals: tuple[GoalStory, ...] = ()
    logs: tuple[Log, ...] = ()
    planned: tuple[Planned, ...] = ()
    ended: Ending | None = None


# The story ------------------------------------------------------------------------------------

WHO = ActionStep.Who

# Told in this order (it decides the order of the rows, and so their ids).
STORY: tuple[SupportStory | TeamStory, ...] = (
    # Resident Educator Induction: David Kim mentors Maya Thompson in her second year.
    SupportStory(
        program=INDUCTION,
        mentor="mentor",
        protege="resident",
        kind="mentoring",
        starts=-84,
        planned_end=200,
        location="Room 112, Riverbend Early Childhood Center",
        goals=(
            GoalStory(
                "routine",
                by="mentor",
                agreed_by="resident",
                day=-80,
                fields=dict(
                    title="Establish a predictable morning routine",
                    statement=(
                        "By the end of October the class moves from arrival to the first "
                        "lesson in ten minutes or less, with children following the picture "
                        "schedule on their own."
                    ),
                    focus_area="Classroom routines",
                    student_focused=True,
                    measure_description="Minutes from the bell to the start of the first lesson",
                    baseline=Decimal("25"),
                    target=Decimal("10"),
                    unit="minutes",
                ),
                target_day=-35,
                steps=(
                    Step(
                        WHO.MENTOR,
                        "Share the arrival-song playlist and schedule cards",
                        -76,
                        "mentor",
                    ),
                    Step(
                        WHO.PROTEGE,
                        "Post a picture schedule at children's eye level",
                        -73,
                        "resident",
                    ),
                    Step(
                        WHO.BOTH,
                        "Practise the arrival routine with the class for a week",
                        -60,
                        "resident",
                    ),
                ),
                progress=(
                    Point(-80, Decimal("25"), "mentor", "Timed on the first visit."),
                    Point(-66, Decimal("18"), "resident", "Average of five mornings."),
                    Point(-52, Decimal("13"), "mentor", "With table helpers."),
                    Point(-38, Decimal("9"), "resident", "Three mornings in a row at 9 minutes."),
                ),
                closed=Closing("mentor", Goal.Status.MET, -38, 17, 45),
            ),
            GoalStory(
                "talk",
                by="resident",
                agreed_by="mentor",
                day=-52,
                fields=dict(
                    title="Raise participation with turn-and-talk",
                    statement=(
                        "In whole-group lessons at least 80% of children share an idea with "
                        "their partner in every turn-and-talk."
                    ),
                    focus_area="Student engagement",
                    student_focused=True,
                    measure_description="Children who talk with their partner (observed tally)",
                    baseline=Decimal("35"),
                    target=Decimal("80"),
                    unit="% of children",
                ),
                target_day=45,
                steps=(
                    Step(
                        WHO.PROTEGE,
                        "Teach turn-and-talk with an anchor chart and hand signal",
                        -45,
                        "resident",
                    ),
                    Step(
                        WHO.MENTOR,
                        "Model a turn-and-talk during a read-aloud in Maya's room",
                        -38,
                        "mentor",
                    ),
                    Step(
                        WHO.BOTH,
                        "Watch a clip of a lesson together and tally who talks",
                        -10,
                        "resident",
                    ),
                    Step(WHO.PROTEGE, "Assign talk partners and post the partner chart", 5, None),
                    Step(
                        WHO.PROTEGE,
                        "Use turn-and-talk in the math mini-lesson three times a week",
                        19,
                        None,
                    ),
                ),
                progress=(
                    Point(-38, Decimal("48"), "mentor", "Tally during the science lesson."),
                    Point(-24, Decimal("60"), "resident", "Partner A/B roles introduced."),
                    Point(-10, Decimal("66"), "resident", "From the video."),
                    Point(-3, Decimal("71"), "mentor", "Afternoon lesson."),
                ),
            ),
            GoalStory(
                "families",
                by="mentor",
                day=-3,
                fields=dict(
                    title="Build two-way communication with families",
                    statement=(
                        "Every family hears from me at least once a week, and I hold a two-way "
                        "conversation with each family before the end of the term."
                    ),
                    focus_area="Family partnerships",
                    measure_description="Families reached with a two-way conversation",
                    baseline=Decimal("6"),
                    target=Decimal("22"),
                    unit="families",
                ),
                target_day=60,
            ),
        ),
        logs=INDUCTION_LOGS,
        planned=INDUCTION_PLANNED,
    ),
    # A first-year resident matched last week: no visit yet, so the first one is due soon.
    SupportStory(
        program=INDUCTION,
        mentor="mentor",
        protege="resident1",
        kind="mentoring",
        starts=-9,
        planned_end=270,
    ),
    # A resident who left teaching: the relationship ended early (retention reports).
    SupportStory(
        program=INDUCTION,
        mentor="mentor",
        protege="leaver",
        kind="mentoring",
        starts=-150,
        location="Room 7, Maple Street Elementary School",
        logs=LEAVER_LOGS,
        ended=Ending(
            reason="Brianna left teaching for a position outside education.",
            completed=False,
            day=-40,
        ),
    ),
    # Early Literacy Instructional Coaching: Rachel Greene coaches Maya, and the Sunflower
    # Room team as a team.
    TeamStory(
        name=TEAM,
        program=COACHING,
        site=EARLY_CHILDHOOD_CENTER,
        age_group=AgeGroup.PRESCHOOL,
        members=("teamlead", "teammate"),
    ),
    SupportStory(
        program=COACHING,
        mentor="coach",
        protege="resident",
        kind="coaching",
        starts=-70,
        planned_end=110,
        location="Room 112, Riverbend Early Childhood Center",
        goals=(
            GoalStory(
                "phonological",
                template="Phonological awareness in small groups",
                day=-63,
                fields=dict(
                    student_focused=True,
                    baseline=Decimal("40"),
                    target=Decimal("80"),
                    unit="% of children",
                ),
                target_day=50,
                steps=(
                    Step(
                        WHO.MENTOR, "Model the segmenting routine with the blue group", -49, "coach"
                    ),
                    Step(
                        WHO.PROTEGE,
                        "Rhyming game with the yellow group four days a week",
                        -42,
                        "resident",
                    ),
                    Step(WHO.PROTEGE, "Record the weekly check on the class tracker", 7, None),
                ),
                progress=(
                    Point(-49, Decimal("48"), "coach", "Weekly check, all groups."),
                    Point(-35, Decimal("55"), "resident", "Weekly check."),
                    Point(
                        -7,
                        Decimal("64"),
                        "coach",
                        "Weekly check; blue group ready for four sounds.",
                    ),
                ),
            ),
        ),
        logs=COACHING_LOGS,
        planned=COACHING_PLANNED,
    ),
    SupportStory(
        program=COACHING,
        mentor="coach",
        team=TEAM,
        kind="coaching",
        starts=-75,
        planned_end=105,
        location="Sunflower Room, Riverbend Early Childhood Center",
        goals=(
            GoalStory(
                "readalouds",
                template="Interactive read-alouds",
                day=-70,
                fields=dict(
                    student_focused=True,
                    baseline=Decimal("2"),
                    target=Decimal("8"),
                    unit="open-ended questions per read-aloud",
                ),
                target_day=60,
                steps=(
                    Step(
                        WHO.BOTH,
                        "Choose four books and write three open-ended questions for each",
                        -60,
                        "teamlead",
                    ),
                    Step(
                        WHO.MENTOR, "Model a dialogic read-aloud with the whole group", -56, "coach"
                    ),
                    Step(WHO.PROTEGE, "Video one read-aloud a week for the debrief", 7, None),
                ),
                progress=(
                    Point(
                        -56, Decimal("3"), "coach", "Counted during the model read-aloud follow-up."
                    ),
                    Point(-42, Decimal("4"), "coach", "Keisha's first read-aloud."),
                    Point(-28, Decimal("5"), "teamlead", "Our own count from Friday's book."),
                    Point(-14, Decimal("6"), "coach", "From the video."),
                ),
            ),
        ),
        logs=TEAM_LOGS,
        planned=TEAM_PLANNED,
    ),
    # Student Teaching Placement: Grace Adeyemi hosts Emily Novak in her classroom.
    SupportStory(
        program=PLACEMENT,
        mentor="mentor2",
        protege="student",
        kind="mentoring",
        starts=-56,
        planned_end=42,
        arrangement=SupportRelationship.MeetingArrangement.PROTEGE_VISITS,
        location="Butterfly Room, Sunrise Early Learning Center",
        goals=(
            GoalStory(
                "transitions",
                by="student",
                agreed_by="mentor2",
                day=-50,
                fields=dict(
                    title="Lead smooth transitions between activities",
                    statement=(
                        "When I lead the class, children move between activities with three "
                        "minutes or less of waiting, using songs, countdowns and clear jobs."
                    ),
                    focus_area="Classroom management",
                    student_focused=True,
                    measure_description="Minutes children wait in a transition (average of three)",
                    baseline=Decimal("9"),
                    target=Decimal("3"),
                    unit="minutes",
                ),
                target_day=30,
                steps=(
                    Step(WHO.PROTEGE, "Learn three transition songs", -40, "student"),
                    Step(WHO.MENTOR, "Hand Emily clean-up and line-up every day", -36, "mentor2"),
                    Step(WHO.PROTEGE, "Plan the transition jobs chart for the takeover", 10, None),
                ),
                progress=(
                    Point(-36, Decimal("7"), "mentor2", "Clean-up, line-up, snack."),
                    Point(-22, Decimal("5"), "student", "Line-up spots helped."),
                    Point(-8, Decimal("4"), "mentor2", "Whole morning led by Emily."),
                ),
            ),
        ),
        logs=PLACEMENT_LOGS,
        planned=PLACEMENT_PLANNED,
    ),
    # Helen Park mentors Keisha Williams on her own initiative: no program.
    SupportStory(
        mentor="peer",
        protege="teammate",
        kind="mentoring",
        starts=-40,
        arrangement=SupportRelationship.MeetingArrangement.BOTH,
        location="Rainbow Room, Riverbend Early Childhood Center",
        goals=(
            GoalStory(
                "smallgroups",
                by="teammate",
                agreed_by="peer",
                day=-33,
                fields=dict(
                    title="Feel confident leading small-group time",
                    statement=(
                        "I plan and lead a 15-minute small group on my own twice a week, with "
                        "something ready for early finishers."
                    ),
                    focus_area="Small-group teaching",
                ),
                steps=(
                    Step(WHO.PROTEGE, "Observe Helen's small group on Tuesday", -26, "teammate"),
                    Step(WHO.PROTEGE, "Plan two small groups with the template", 4, None),
                ),
            ),
        ),
        logs=INFORMAL_LOGS,
        planned=INFORMAL_PLANNED,
    ),
    # Lucía Fernández mentors Sofía Ramírez, on their own initiative and in Spanish.
    SupportStory(
        mentor="mentora",
        protege="docente",
        kind="mentoring",
        starts=-35,
        arrangement=SupportRelationship.MeetingArrangement.MENTOR_VISITS,
        location="Sala Girasol, Sunrise Early Learning Center",
        goals=(
            GoalStory(
                "transiciones",
                by="docente",
                agreed_by="mentora",
                day=-30,
                fields=dict(
                    title="Transiciones tranquilas entre actividades",
                    statement=(
                        "Los niños pasan del juego libre a la ronda en cinco minutos o menos, "
                        "con una canción y una señal que conocen."
                    ),
                    focus_area="Rutinas del aula",
                    student_focused=True,
                    measure_description="Minutos que dura la transición (promedio de la semana)",
                    baseline=Decimal("12"),
                    target=Decimal("5"),
                    unit="minutos",
                ),
                target_day=30,
                steps=(
                    Step(WHO.MENTOR, "Compartir tres canciones de transición", -27, "mentora"),
                    Step(WHO.PROTEGE, "Anotar la duración de la transición", -23, "docente"),
                    Step(WHO.PROTEGE, "Usar el reloj de arena con dos niños", 3, None),
                ),
                progress=(
                    Point(-30, Decimal("12"), "mentora", "Medido en la primera visita."),
                    Point(-16, Decimal("6"), "docente", "Promedio de cinco mañanas."),
                ),
            ),
            GoalStory(
                "familias",
                by="mentora",
                day=-2,
                fields=dict(
                    title="Contar a las familias cómo son las rutinas",
                    statement=(
                        "Cada familia recibe una nota sobre las rutinas de la sala y puede "
                        "responder con sus preguntas."
                    ),
                    focus_area="Alianza con las familias",
                ),
                target_day=40,
            ),
        ),
        logs=SPANISH_LOGS,
        planned=SPANISH_PLANNED,
    ),
)
