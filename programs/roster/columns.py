"""The roster's columns: their names, what each takes, the template's example rows, and the
words each choice column understands."""

from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from programs.models import SUPPORTING_ROLES, AgeGroup, CareerStage, Enrollment

MAX_ROWS = 2000
MAX_BYTES = 1_000_000

# The role column's extra value: someone recorded as a protégé's supervisor, who gets an
# account if they have none, and is neither enrolled nor invited.
SUPERVISOR = "supervisor"

COLUMNS = (
    "role",
    "first_name",
    "last_name",
    "email",
    "reason",
    "organization",
    "position",
    "career_stage",
    "age_group_taught",
    "supervisor_email",
    "currently_teaching",
    "years_teaching",
    "age_groups",
    "caseload_limit",
)
REQUIRED_COLUMNS = ("role", "first_name", "last_name", "email")


# What each column takes, shown on the import page. The column names stay as they are in
# every language: they are the file's header.
def column_help() -> dict[str, str]:
    reasons = "; ".join(str(label) for _value, label in Enrollment.Reason.choices)
    return {
        "role": gettext(
            "mentor, coach or protégé (protege); or supervisor, for a protégé's supervisor, who "
            "gets an account if they have none but is not enrolled nor invited."
        ),
        "first_name": gettext("Required."),
        "last_name": gettext("Required."),
        "email": gettext(
            "Required. Someone already in this program in this role is updated with the "
            "row's values (a mentor listed as coach becomes a coach). Someone else who already "
            "has an account is enrolled as they are, if they take part in another program of "
            "the same organization; otherwise they are asked to accept first."
        ),
        "reason": gettext("Why they take part: %(reasons)s. Optional.") % {"reasons": reasons},
        "organization": gettext(
            "Their organization or site, exactly as it is named here. Optional."
        ),
        "position": gettext("Protégés: their position, e.g. Lead teacher. Optional."),
        "career_stage": gettext(
            "Protégés: pre-service, new, resident 1, resident 2, resident 3 or experienced."
        ),
        "age_group_taught": gettext(
            "Protégés: infants, toddlers, preschool, kindergarten, grades 1-3, older."
        ),
        "supervisor_email": gettext(
            "Protégés: the email of their supervisor, who will never be matched with "
            "them: someone with an account, or listed in the same file. Optional."
        ),
        "currently_teaching": gettext("Mentors and coaches: yes or no."),
        "years_teaching": gettext("Mentors and coaches: a whole number. Optional."),
        "age_groups": gettext(
            "Mentors and coaches: age groups of expertise, separated by semicolons."
        ),
        "caseload_limit": gettext(
            "Mentors and coaches: how many relationships at most (default 12)."
        ),
    }


EXAMPLE_ROWS = (
    {
        "role": "mentor",
        "first_name": "Maria",
        "last_name": "Lopez",
        "email": "maria.lopez@example.org",
        "reason": "By choice",
        "currently_teaching": "yes",
        "years_teaching": "14",
        "age_groups": "preschool; kindergarten",
        "caseload_limit": "8",
    },
    {
        "role": "protégé",
        "first_name": "Sam",
        "last_name": "Okafor",
        "email": "sam.okafor@example.org",
        "reason": "Required by the job",
        "position": "Lead teacher",
        "career_stage": "resident 1",
        "age_group_taught": "kindergarten",
        "supervisor_email": "dana.principal@example.org",
    },
    {
        "role": "supervisor",
        "first_name": "Dana",
        "last_name": "Principal",
        "email": "dana.principal@example.org",
    },
)


def template_rows() -> list[list[str]]:
    """The downloadable template's rows: the header and example rows to overwrite."""
    return [list(COLUMNS)] + [[row.get(column, "") for column in COLUMNS] for row in EXAMPLE_ROWS]


def norm(value: str) -> str:
    return " ".join(
        value.strip().lower().replace("é", "e").replace("\u2013", "-").replace("_", " ").split()
    )


def _choice_lookup(choices, extra: dict | None = None) -> dict[str, str]:
    """The values of `choices`, by their value and by their label in every language."""
    lookup = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for value, label in choices:
                lookup[norm(value)] = value
                lookup[norm(str(label))] = value
    lookup.update(extra or {})
    return lookup


PROTEGE = str(Enrollment.Role.PROTEGE)
# The roles of those who support protégés: a mentor (mentoring) or a coach (coaching).
SUPPORT_ROLES = frozenset(str(role) for role in SUPPORTING_ROLES)
# "mentor or coach", the one supporting role of old rosters: the program's own
# (checking._role_of).
SUPPORTING = "mentor or coach"
ROLE_LOOKUP = {
    "mentor": str(Enrollment.Role.MENTOR),
    "coach": str(Enrollment.Role.COACH),
    "mentor or coach": SUPPORTING,
    "mentor/coach": SUPPORTING,
    "protege": PROTEGE,
    "mentee": PROTEGE,
    "teacher": PROTEGE,
    "supervisor": SUPERVISOR,
}
ROLE_PLURALS: dict[str, "StrOrPromise"] = {
    Enrollment.Role.MENTOR: _("mentors"),
    Enrollment.Role.COACH: _("coaches"),
    Enrollment.Role.PROTEGE: _("protégés"),
}


# The words each choice column understands: values, and labels in every language (built once,
# on first use, when the translations are ready).
@cache
def reason_lookup() -> dict[str, str]:
    return _choice_lookup(Enrollment.Reason.choices)


@cache
def age_lookup() -> dict[str, str]:
    return _choice_lookup(
        AgeGroup.choices,
        {"preschool": "preschool", "grades 1-3": "grades_1_3", "grade 1-3": "grades_1_3"},
    )


@cache
def stage_lookup() -> dict[str, str]:
    return _choice_lookup(
        CareerStage.choices,
        {
            "pre-service": "pre_service",
            "student teacher": "pre_service",
            "resident 1": "resident_1",
            "resident 2": "resident_2",
            "resident 3": "resident_3",
        },
    )


YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0"}
