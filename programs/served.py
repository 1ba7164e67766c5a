"""Whom a program serves: the children's age groups, and the teachers' career stages. A
protégé has a career stage (ProtegeProfile.career_stage); a program says which ones it serves
(Program.career_stages), and `served_phrase` names those in words, grouping the resident
years. Re-exported by programs/models.py."""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class AgeGroup(models.TextChoices):
    INFANTS = "infants", _("Infants")
    TODDLERS = "toddlers", _("Toddlers")
    PRESCHOOL = "preschool", _("Preschool (3–5)")
    KINDERGARTEN = "kindergarten", _("Kindergarten")
    GRADES_1_3 = "grades_1_3", _("Grades 1–3")
    OLDER = "older", _("Older children")


class CareerStage(models.TextChoices):
    """Where a teacher is in their career: a protégé's (ProtegeProfile.career_stage), and the
    ones a program serves (Program.career_stages)."""

    PRE_SERVICE = "pre_service", _("Pre-service / student teacher")
    NEW = "new", _("New to the field")
    RESIDENT_1 = "resident_1", _("Resident teacher, year 1")
    RESIDENT_2 = "resident_2", _("Resident teacher, year 2")
    RESIDENT_3 = "resident_3", _("Resident teacher, year 3")
    EXPERIENCED = "experienced", _("Experienced teacher")


RESIDENT_YEARS: dict[str, int] = {
    CareerStage.RESIDENT_1: 1,
    CareerStage.RESIDENT_2: 2,
    CareerStage.RESIDENT_3: 3,
}

# How the stages read in a sentence, as groups of teachers.
GROUP_NAMES: dict[str, "StrOrPromise"] = {
    CareerStage.PRE_SERVICE: _("student teachers"),
    CareerStage.NEW: _("teachers new to the field"),
    CareerStage.EXPERIENCED: _("experienced teachers"),
}


def join_words(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    # Translators: the end of a list: "a, b and c" (items holds "a, b").
    return gettext("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _resident_phrase(years: list[int]) -> str:
    if len(years) == 1:
        return gettext("resident teachers in year %(year)s") % {"year": years[0]}
    if len(years) > 2 and years == list(range(years[0], years[-1] + 1)):
        return gettext("resident teachers in years %(first)s–%(last)s") % {
            "first": years[0],
            "last": years[-1],
        }
    return gettext("resident teachers in years %(years)s") % {
        "years": join_words([str(year) for year in years])
    }


def stage_groups(stages: list[str]) -> list[str]:
    """The stages as groups of teachers, in the stages' order, the resident years as one group:
    ["student teachers", "resident teachers in years 1–3"]."""
    chosen = [stage for stage in CareerStage.values if stage in stages]
    years = [RESIDENT_YEARS[stage] for stage in chosen if stage in RESIDENT_YEARS]
    groups: list[str] = []
    for stage in chosen:
        if stage in RESIDENT_YEARS:
            if RESIDENT_YEARS[stage] == years[0]:
                groups.append(_resident_phrase(years))
        else:
            groups.append(str(GROUP_NAMES[stage]))
    return groups


def served_phrase(stages: list[str]) -> str:
    """The stages in words: "student teachers and resident teachers in years 1–3"."""
    return join_words(stage_groups(stages))
