"""Role descriptions: what a mentor and a coach do in a program, and how both differ from
supervision. Generated from the program's configuration; a coordinator may edit and save
their own text, which then takes its place."""

from programs.models import Program

KIND_INTRO = {
    "mentoring": (
        "A mentor supports one teacher's growth over time. Goals are usually agreed together, "
        "and conversations can be relaxed and personal: stories, advice, the practical "
        "know-how of the job."
    ),
    "coaching": (
        "A coach works with a teacher, or with a classroom team, on specific teaching "
        "practices. Coaching is intentional: the coach observes, models, gives feedback and "
        "helps the teacher reach goals for the children."
    ),
}

NOT_SUPERVISION = (
    "Neither role is supervision. A supervisor can hire, fire or promote; a {role} cannot, "
    "and what is said between {role} and teacher is not used for decisions about the "
    "teacher's job. The teacher's supervisor is never their {role} and does not read the "
    "{kind} records."
)


def _join(items: list[str]) -> str:
    items = [item[:1].lower() + item[1:] for item in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def generate(program: Program, kind: str) -> str:
    """The default description of `kind` ("mentoring" or "coaching") in `program`."""
    role = "mentor" if kind == "mentoring" else "coach"
    paragraphs = [KIND_INTRO[kind]]
    if program.purposes:
        paragraphs.append(f"In {program.name}, this serves {_join(program.purpose_labels())}.")
    if program.outcomes:
        outcome = f"The program aims for {_join(program.outcome_labels())}."
        if program.outcome_details:
            outcome += f" Specifically: {program.outcome_details.strip()}"
        paragraphs.append(outcome)
    goal_texts: dict[str, str] = {
        Program.GoalPolicy.COLLABORATIVE: (
            f"The {role} and the teacher write goals together; a goal counts once both agree."
        ),
        Program.GoalPolicy.PRESCRIBED: (
            f"Goals come from the program's goal templates; the {role} helps the teacher "
            "make them their own and reach them."
        ),
        Program.GoalPolicy.BOTH: (
            f"Some goals come from the program's templates; others the {role} and the teacher "
            "write together."
        ),
    }
    goals = goal_texts[program.goal_policy]
    if program.goal_scope == Program.GoalScope.FOCUSED and program.focus_area_list():
        goals += f" Goals focus on {_join(program.focus_area_list())}."
    paragraphs.append(goals)
    dosage = []
    if program.visits_per_month:
        dosage.append(f"at least {program.visits_per_month} visits a month")
    if program.minutes_per_month:
        dosage.append(f"{program.minutes_per_month} minutes a month")
    if program.days_to_first_visit:
        dosage.append(f"a first visit within {program.days_to_first_visit} days of matching")
    if dosage:
        paragraphs.append(f"The program expects {_join(dosage)}.")
    if kind == "coaching":
        paragraphs.append(
            "A coach may work with individual teachers or with a whole classroom team, and may "
            "bring a set agenda for classroom improvement."
        )
    paragraphs.append(NOT_SUPERVISION.format(role=role, kind=kind))
    return "\n\n".join(paragraphs)


def describe(program: Program | None, kind: str) -> str:
    """The description people read: the coordinator's own text if saved, else generated."""
    if program is None:
        return (
            KIND_INTRO[kind]
            + " This is an informal relationship, outside any program.\n\n"
            + NOT_SUPERVISION.format(role="mentor" if kind == "mentoring" else "coach", kind=kind)
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
