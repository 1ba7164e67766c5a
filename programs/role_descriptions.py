"""Role descriptions: what a mentor and a coach do in a program, and how both differ from
supervision. Generated from the program's configuration; a coordinator may edit and save
their own text, which then takes its place.

The two roles are described in their own words, not one text with the noun swapped: a mentor
guides a teacher through the practical basics of the job, in relaxed and personal
conversations; a coach is intentional and strategic, partners with the teacher on goals for
the students, and explains, models and adjusts teaching strategies. Every choice the program
makes about its people (the career stages it serves, where mentors and coaches come from,
whether they teach now, the director's part) shows in each description, told from that role.
"""

from collections.abc import Callable

from programs.models import CareerStage, Program
from programs.served import join_words, stage_groups

Texts = dict[str, str]

INTRO: Texts = {
    "mentoring": (
        "A mentor walks a teacher through the practical basics of the job: how the day and "
        "the school calendar run, which forms are due when, how to set up routines that keep "
        "a room calm, whom to ask for what. Talk is relaxed and personal, often on the fly, "
        "with stories from the mentor's own first years and honest advice about what worked "
        "for them."
    ),
    "coaching": (
        "A coach is intentional and strategic. Coach and teacher agree on goals about what "
        "students should learn or be able to do; then the coach explains a high-impact "
        "strategy, models it with children, observes the teacher try it and adjusts it "
        "together with them until results change. Conversations are driven by the teacher, "
        "yet purposeful: careful listening, precise questions, and advice offered when the "
        "moment (or an invitation) comes."
    ),
}

# What each role means for each career stage a program serves.
STAGE_NOTES: dict[str, Texts] = {
    "mentoring": {
        CareerStage.PRE_SERVICE: "Student teachers are linking coursework to daily life in a "
        "classroom; a mentor opens up their own room and thinking to them.",
        CareerStage.NEW: "Someone new to the field needs a friendly first contact who makes "
        "the unwritten rules plain.",
        "resident": "Residents are finding their feet: expect questions on planning, "
        "paperwork and parents as often as on teaching itself.",
        CareerStage.EXPERIENCED: "With an experienced colleague, mentoring becomes an "
        "exchange between peers.",
    },
    "coaching": {
        CareerStage.PRE_SERVICE: "For candidates in placement, coaching targets the few "
        "practices their certification requires.",
        CareerStage.NEW: "Newcomers get one practice at a time, rehearsed until it holds.",
        "resident": "With residents, each year's coaching cycles build on the last, from "
        "classroom routines towards the finer points of instruction.",
        CareerStage.EXPERIENCED: "Veteran teachers bring sound routines; coaching "
        "refines them and raises ambitious targets.",
    },
}

GOALS: dict[str, Texts] = {
    "mentoring": {
        Program.GoalPolicy.COLLABORATIVE: "Goals grow out of talking things over: mentor "
        "and teacher settle them side by side, and each counts once both have said yes.",
        Program.GoalPolicy.PRESCRIBED: "This program sets its goals in templates; a mentor "
        "helps their teacher see what each one means in their own room.",
        Program.GoalPolicy.BOTH: "Some goals are set by program templates, others mentor "
        "and teacher work out between them.",
    },
    "coaching": {
        Program.GoalPolicy.COLLABORATIVE: "Each cycle opens with a target worked out jointly, "
        "stated as student evidence, and accepted by both before it is tracked.",
        Program.GoalPolicy.PRESCRIBED: "Targets are drawn from prescribed templates; "
        "coaching translates them into measurable student results.",
        Program.GoalPolicy.BOTH: "Prescribed templates supply certain targets; others are "
        "framed jointly around student evidence.",
    },
}

ORGANIZATION: dict[str, Texts] = {
    "mentoring": {
        Program.MentorOrganization.SAME: "Mentors work for the same organization as their "
        "teacher, so they know its people and habits first-hand.",
        Program.MentorOrganization.DIFFERENT: "Mentors come from another organization: an "
        "outside colleague, easy to speak to freely, with a fresh eye.",
        Program.MentorOrganization.EITHER: "Mentors may come from the teacher's own "
        "organization or from elsewhere.",
    },
    "coaching": {
        Program.MentorOrganization.SAME: "Coaches are employed within the teacher's own "
        "district or agency, aligned with its curriculum and priorities.",
        Program.MentorOrganization.DIFFERENT: "Coaches are external specialists, "
        "bringing an independent view of practice.",
        Program.MentorOrganization.EITHER: "Coaches may be internal staff or external specialists.",
    },
}

CURRENTLY_TEACHING: Texts = {
    "mentoring": "Every mentor here still has a class of their own, so the advice is from "
    "this year's classroom, and a teacher may drop in to watch.",
    "coaching": "Coaches are practising classroom teachers too, demonstrating strategies "
    "with real children.",
}

DIRECTOR: dict[str, Texts] = {
    "mentoring": {
        Program.DirectorInvolvement.EXPECTED: "The director takes part: a mentor keeps "
        "them up to date on meeting times and asks them along to planning talks, though never "
        "shares what was said in confidence.",
        Program.DirectorInvolvement.OPTIONAL: "The director may join in if the new teacher "
        "would like that.",
        Program.DirectorInvolvement.NONE: "Directors stay out of it; mentoring is kept "
        "between two people.",
    },
    "coaching": {
        Program.DirectorInvolvement.EXPECTED: "Directors are expected partners: brief "
        "them on targets so leadership backs strategies being tried.",
        Program.DirectorInvolvement.OPTIONAL: "Directors can be invited to review progress "
        "toward targets.",
        Program.DirectorInvolvement.NONE: "Coaching runs without directors.",
    },
}

NOT_SUPERVISION: Texts = {
    "mentoring": (
        "A mentor is not a supervisor. They cannot hire, fire or promote anybody, and what a "
        "teacher tells them is never used against their job; their own supervisor is never "
        "their mentor, nor reads any mentoring record."
    ),
    "coaching": (
        "Coaching is not evaluation. Observations serve growth only and carry no weight "
        "in employment decisions; whoever manages that teacher cannot coach them or see "
        "coaching notes."
    ),
}


def _lower_first(items: list[str]) -> list[str]:
    return [item[:1].lower() + item[1:] for item in items]


def _stage_paragraph(program: Program, kind: str) -> str:
    stages = list(program.career_stages or [])
    if not stages:
        return ""
    groups = join_words(stage_groups(stages))
    opening = {
        "mentoring": f"In {program.name}, mentors guide {groups}.",
        "coaching": f"{program.name} coaches {groups}.",
    }[kind]
    notes = STAGE_NOTES[kind]
    keys: list[str] = []
    for stage in CareerStage.values:
        key = "resident" if stage.startswith("resident") else stage
        if stage in stages and key not in keys:
            keys.append(key)
    return " ".join([opening, *(notes[key] for key in keys)])


def _why_paragraph(program: Program, kind: str) -> str:
    """The mentor reads why the program exists; the coach, which results it must show."""
    if kind == "mentoring":
        if not program.purposes:
            return ""
        return f"Why mentoring here: {join_words(_lower_first(program.purpose_labels()))}."
    parts = []
    if program.outcomes:
        parts.append(f"Results to move: {join_words(_lower_first(program.outcome_labels()))}.")
    if program.outcome_details.strip():
        parts.append(f"Measured by: {program.outcome_details.strip()}")
    return " ".join(parts)


def _goals_paragraph(program: Program, kind: str) -> str:
    text = GOALS[kind][program.goal_policy]
    areas = program.focus_area_list()
    if program.goal_scope == Program.GoalScope.FOCUSED and areas:
        text += (
            f" Conversations keep returning to {join_words(areas)}."
            if kind == "mentoring"
            else f" Priority areas: {join_words(areas)}."
        )
    return text


def _dosage_paragraph(program: Program, kind: str) -> str:
    if kind == "mentoring":
        parts = []
        if program.visits_per_month:
            parts.append(f"at least {program.visits_per_month} visits a month")
        if program.minutes_per_month:
            parts.append(f"about {program.minutes_per_month} minutes together each month")
        if program.days_to_first_visit:
            parts.append(f"a first meeting within {program.days_to_first_visit} days")
        return f"Plan on {join_words(parts)}." if parts else ""
    parts = []
    if program.visits_per_month:
        parts.append(f"{program.visits_per_month} classroom sessions monthly")
    if program.minutes_per_month:
        parts.append(f"{program.minutes_per_month} minutes of coaching")
    if program.days_to_first_visit:
        parts.append(f"an opening observation by day {program.days_to_first_visit}")
    return f"Cycle rhythm: {join_words(parts)}." if parts else ""


def _people_paragraph(program: Program, kind: str) -> str:
    parts = [ORGANIZATION[kind][program.mentor_organization]]
    if program.mentors_currently_teaching:
        parts.append(CURRENTLY_TEACHING[kind])
    parts.append(DIRECTOR[kind][program.director_involvement])
    return " ".join(parts)


def _teams_paragraph(program: Program, kind: str) -> str:
    if kind != "coaching":
        return ""
    return "Coaches may also take on whole classroom teams, with an improvement plan for that room."


PARAGRAPHS: tuple[Callable[[Program, str], str], ...] = (
    _stage_paragraph,
    _why_paragraph,
    _goals_paragraph,
    _dosage_paragraph,
    _people_paragraph,
    _teams_paragraph,
)


def generate(program: Program, kind: str) -> str:
    """The default description of `kind` ("mentoring" or "coaching") in `program`."""
    paragraphs = [INTRO[kind]]
    paragraphs += [text for paragraph in PARAGRAPHS if (text := paragraph(program, kind))]
    paragraphs.append(NOT_SUPERVISION[kind])
    return "\n\n".join(paragraphs)


def describe(program: Program | None, kind: str) -> str:
    """The description people read: the coordinator's own text if saved, else generated."""
    if program is None:
        return (
            INTRO[kind]
            + " This is an informal relationship, outside any program.\n\n"
            + NOT_SUPERVISION[kind]
        )
    saved = (
        program.mentor_role_description if kind == "mentoring" else (program.coach_role_description)
    )
    return saved.strip() or generate(program, kind)


def texts(program: Program) -> dict[str, str]:
    """Both descriptions as people read them: what an edit of them starts from (its version)."""
    return {
        "mentor_text": describe(program, "mentoring"),
        "coach_text": describe(program, "coaching"),
    }
