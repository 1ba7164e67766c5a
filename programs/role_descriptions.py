"""Role descriptions: what a mentor and a coach do in a program, and how both differ from
supervision. Generated from the program's configuration; a coordinator may edit and save
their own text, which then takes its place.

The two roles are described in their own words, not one text with the noun swapped: a mentor
guides a teacher through the practical basics of the job, in relaxed and personal
conversations; a coach is intentional and strategic, partners with the teacher on goals for
the students, and explains, models and adjusts teaching strategies. Every choice the program
makes about its people (the career stages it serves, where mentors and coaches come from,
whether they teach now, the director's part) shows in each description, told from that role.

Every sentence is whole and translatable: what the configuration supplies (the program's name,
the groups it serves, the numbers it expects) fills named placeholders, so a translation can
put them where its grammar wants them.
"""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from programs.models import CareerStage, Program
from programs.served import join_words, stage_groups

Texts = dict[str, Any]

INTRO: Texts = {
    "mentoring": (
        _(
            "A mentor walks a teacher through the practical basics of the job: how the day and "
            "the school calendar run, which forms are due when, how to set up routines that keep "
            "a room calm, whom to ask for what. Talk is relaxed and personal, often on the fly, "
            "with stories from the mentor's own first years and honest advice about what worked "
            "for them."
        )
    ),
    "coaching": (
        _(
            "A coach is intentional and strategic. Coach and teacher agree on goals about what "
            "students should learn or be able to do; then the coach explains a high-impact "
            "strategy, models it with children, observes the teacher try it and adjusts it "
            "together with them until results change. Conversations are driven by the teacher, "
            "yet purposeful: careful listening, precise questions, and advice offered when the "
            "moment (or an invitation) comes."
        )
    ),
}

# What each role means for each career stage a program serves.
STAGE_NOTES: dict[str, Texts] = {
    "mentoring": {
        CareerStage.PRE_SERVICE: _(
            "Student teachers are linking coursework to daily life in a "
            "classroom; a mentor opens up their own room and thinking to them."
        ),
        CareerStage.NEW: _(
            "Someone new to the field needs a friendly first contact who makes "
            "the unwritten rules plain."
        ),
        "resident": _(
            "Residents are finding their feet: expect questions on planning, "
            "paperwork and parents as often as on teaching itself."
        ),
        CareerStage.EXPERIENCED: _(
            "With an experienced colleague, mentoring becomes an exchange between peers."
        ),
    },
    "coaching": {
        CareerStage.PRE_SERVICE: _(
            "For candidates in placement, coaching targets the few "
            "practices their certification requires."
        ),
        CareerStage.NEW: _("Newcomers get one practice at a time, rehearsed until it holds."),
        "resident": _(
            "With residents, each year's coaching cycles build on the last, from "
            "classroom routines towards the finer points of instruction."
        ),
        CareerStage.EXPERIENCED: _(
            "Veteran teachers bring sound routines; coaching "
            "refines them and raises ambitious targets."
        ),
    },
}

GOALS: dict[str, Texts] = {
    "mentoring": {
        Program.GoalPolicy.COLLABORATIVE: _(
            "Goals grow out of talking things over: mentor "
            "and teacher settle them side by side, and each counts once both have said yes."
        ),
        Program.GoalPolicy.PRESCRIBED: _(
            "This program sets its goals in templates; a mentor "
            "helps their teacher see what each one means in their own room."
        ),
        Program.GoalPolicy.BOTH: _(
            "Some goals are set by program templates, others mentor "
            "and teacher work out between them."
        ),
    },
    "coaching": {
        Program.GoalPolicy.COLLABORATIVE: _(
            "Each cycle opens with a target worked out jointly, "
            "stated as student evidence, and accepted by both before it is tracked."
        ),
        Program.GoalPolicy.PRESCRIBED: _(
            "Targets are drawn from prescribed templates; "
            "coaching translates them into measurable student results."
        ),
        Program.GoalPolicy.BOTH: _(
            "Prescribed templates supply certain targets; others are "
            "framed jointly around student evidence."
        ),
    },
}

ORGANIZATION: dict[str, Texts] = {
    "mentoring": {
        Program.MentorOrganization.SAME: _(
            "Mentors work for the same organization as their "
            "teacher, so they know its people and habits first-hand."
        ),
        Program.MentorOrganization.DIFFERENT: _(
            "Mentors come from another organization: an "
            "outside colleague, easy to speak to freely, with a fresh eye."
        ),
        Program.MentorOrganization.EITHER: _(
            "Mentors may come from the teacher's own organization or from elsewhere."
        ),
    },
    "coaching": {
        Program.MentorOrganization.SAME: _(
            "Coaches are employed within the teacher's own "
            "district or agency, aligned with its curriculum and priorities."
        ),
        Program.MentorOrganization.DIFFERENT: _(
            "Coaches are external specialists, bringing an independent view of practice."
        ),
        Program.MentorOrganization.EITHER: _(
            "Coaches may be internal staff or external specialists."
        ),
    },
}

CURRENTLY_TEACHING: Texts = {
    "mentoring": _(
        "Every mentor here still has a class of their own, so the advice is from "
        "this year's classroom, and a teacher may drop in to watch."
    ),
    "coaching": _(
        "Coaches are practising classroom teachers too, demonstrating strategies "
        "with real children."
    ),
}

DIRECTOR: dict[str, Texts] = {
    "mentoring": {
        Program.DirectorInvolvement.EXPECTED: _(
            "The director takes part: a mentor keeps "
            "them up to date on meeting times and asks them along to planning talks, though never "
            "shares what was said in confidence."
        ),
        Program.DirectorInvolvement.OPTIONAL: _(
            "The director may join in if the new teacher would like that."
        ),
        Program.DirectorInvolvement.NONE: _(
            "Directors stay out of it; mentoring is kept between two people."
        ),
    },
    "coaching": {
        Program.DirectorInvolvement.EXPECTED: _(
            "Directors are expected partners: brief "
            "them on targets so leadership backs strategies being tried."
        ),
        Program.DirectorInvolvement.OPTIONAL: _(
            "Directors can be invited to review progress toward targets."
        ),
        Program.DirectorInvolvement.NONE: _("Coaching runs without directors."),
    },
}

NOT_SUPERVISION: Texts = {
    "mentoring": (
        _(
            "A mentor is not a supervisor. They cannot hire, fire or promote anybody, and what a "
            "teacher tells them is never used against their job; their own supervisor is never "
            "their mentor, nor reads any mentoring record."
        )
    ),
    "coaching": (
        _(
            "Coaching is not evaluation. Observations serve growth only and carry no weight "
            "in employment decisions; whoever manages that teacher cannot coach them or see "
            "coaching notes."
        )
    ),
}


def _lower_first(items: list[str]) -> list[str]:
    return [str(item)[:1].lower() + str(item)[1:] for item in items]


def _stage_paragraph(program: Program, kind: str) -> str:
    stages = list(program.career_stages or [])
    if not stages:
        return ""
    names = {"program": program.name, "groups": join_words(stage_groups(stages))}
    if kind == "mentoring":
        opening = gettext("In %(program)s, mentors guide %(groups)s.") % names
    else:
        opening = gettext("%(program)s coaches %(groups)s.") % names
    notes = STAGE_NOTES[kind]
    keys: list[str] = []
    for stage in CareerStage.values:
        key = "resident" if stage.startswith("resident") else stage
        if stage in stages and key not in keys:
            keys.append(key)
    return " ".join([opening, *(str(notes[key]) for key in keys)])


def _why_paragraph(program: Program, kind: str) -> str:
    """The mentor reads why the program exists; the coach, which results it must show."""
    if kind == "mentoring":
        if not program.purposes:
            return ""
        return gettext("Why mentoring here: %(purposes)s.") % {
            "purposes": join_words(_lower_first(program.purpose_labels()))
        }
    parts = []
    if program.outcomes:
        parts.append(
            gettext("Results to move: %(outcomes)s.")
            % {"outcomes": join_words(_lower_first(program.outcome_labels()))}
        )
    if program.outcome_details.strip():
        parts.append(
            gettext("Measured by: %(details)s") % {"details": program.outcome_details.strip()}
        )
    return " ".join(parts)


def _goals_paragraph(program: Program, kind: str) -> str:
    text = str(GOALS[kind][program.goal_policy])
    areas = program.focus_area_list()
    if program.goal_scope == Program.GoalScope.FOCUSED and areas:
        names = {"areas": join_words(areas)}
        if kind == "mentoring":
            text += " " + gettext("Conversations keep returning to %(areas)s.") % names
        else:
            text += " " + gettext("Priority areas: %(areas)s.") % names
    return text


def _dosage_paragraph(program: Program, kind: str) -> str:
    """What the program expects, one whole sentence per number it sets."""
    visits, minutes, days = (
        program.visits_per_month,
        program.minutes_per_month,
        program.days_to_first_visit,
    )
    sentences = []
    if kind == "mentoring":
        if visits:
            sentences.append(
                ngettext(
                    "Plan on at least %(count)s visit a month.",
                    "Plan on at least %(count)s visits a month.",
                    visits,
                )
                % {"count": visits}
            )
        if minutes:
            sentences.append(
                ngettext(
                    "Expect about %(count)s minute together each month.",
                    "Expect about %(count)s minutes together each month.",
                    minutes,
                )
                % {"count": minutes}
            )
        if days:
            sentences.append(
                ngettext(
                    "The first meeting comes within %(count)s day of the match.",
                    "The first meeting comes within %(count)s days of the match.",
                    days,
                )
                % {"count": days}
            )
        return " ".join(sentences)
    if visits:
        sentences.append(
            ngettext(
                "Cycle rhythm: %(count)s classroom session monthly.",
                "Cycle rhythm: %(count)s classroom sessions monthly.",
                visits,
            )
            % {"count": visits}
        )
    if minutes:
        sentences.append(
            ngettext(
                "Coaching adds up to %(count)s minute a month.",
                "Coaching adds up to %(count)s minutes a month.",
                minutes,
            )
            % {"count": minutes}
        )
    if days:
        sentences.append(
            gettext("An opening observation takes place by day %(count)s.") % {"count": days}
        )
    return " ".join(sentences)


def _people_paragraph(program: Program, kind: str) -> str:
    parts = [str(ORGANIZATION[kind][program.mentor_organization])]
    if program.mentors_currently_teaching:
        parts.append(str(CURRENTLY_TEACHING[kind]))
    parts.append(str(DIRECTOR[kind][program.director_involvement]))
    return " ".join(parts)


def _teams_paragraph(program: Program, kind: str) -> str:
    if kind != "coaching":
        return ""
    return gettext(
        "Coaches may also take on whole classroom teams, with an improvement plan for that room."
    )


PARAGRAPHS: tuple[Callable[[Program, str], str], ...] = (
    _stage_paragraph,
    _why_paragraph,
    _goals_paragraph,
    _dosage_paragraph,
    _people_paragraph,
    _teams_paragraph,
)


def generate(program: Program, kind: str) -> str:
    """The default description of `kind` ("mentoring" or "coaching") in `program`, in the
    active language."""
    paragraphs = [str(INTRO[kind])]
    paragraphs += [text for paragraph in PARAGRAPHS if (text := paragraph(program, kind))]
    paragraphs.append(str(NOT_SUPERVISION[kind]))
    return "\n\n".join(paragraphs)


def describe(program: Program | None, kind: str) -> str:
    """The description people read: the coordinator's own text if saved, else generated."""
    if program is None:
        informal = gettext("This is an informal relationship, outside any program.")
        return f"{INTRO[kind]} {informal}\n\n{NOT_SUPERVISION[kind]}"
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
