"""Whom a program serves: the children's age groups, and the teachers' career stages. A
protégé has a career stage (ProtegeProfile.career_stage); a program says which ones it serves
(Program.career_stages), and `served_phrase` names those in words, grouping the resident
years. Re-exported by programs/models.py."""

from django.db import models


class AgeGroup(models.TextChoices):
    INFANTS = "infants", "Infants"
    TODDLERS = "toddlers", "Toddlers"
    PRESCHOOL = "preschool", "Preschool (3–5)"
    KINDERGARTEN = "kindergarten", "Kindergarten"
    GRADES_1_3 = "grades_1_3", "Grades 1–3"
    OLDER = "older", "Older children"


class CareerStage(models.TextChoices):
    """Where a teacher is in their career: a protégé's (ProtegeProfile.career_stage), and the
    ones a program serves (Program.career_stages)."""

    PRE_SERVICE = "pre_service", "Pre-service / student teacher"
    NEW = "new", "New to the field"
    RESIDENT_1 = "resident_1", "Resident teacher, year 1"
    RESIDENT_2 = "resident_2", "Resident teacher, year 2"
    RESIDENT_3 = "resident_3", "Resident teacher, year 3"
    EXPERIENCED = "experienced", "Experienced teacher"


RESIDENT_YEARS: dict[str, int] = {
    CareerStage.RESIDENT_1: 1,
    CareerStage.RESIDENT_2: 2,
    CareerStage.RESIDENT_3: 3,
}

# How the stages read in a sentence, as groups of teachers.
GROUP_NAMES: dict[str, str] = {
    CareerStage.PRE_SERVICE: "student teachers",
    CareerStage.NEW: "teachers new to the field",
    CareerStage.EXPERIENCED: "experienced teachers",
}


def join_words(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _resident_phrase(years: list[int]) -> str:
    if len(years) == 1:
        return f"resident teachers in year {years[0]}"
    if len(years) > 2 and years == list(range(years[0], years[-1] + 1)):
        return f"resident teachers in years {years[0]}\u2013{years[-1]}"
    return "resident teachers in years " + join_words([str(year) for year in years])


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
            groups.append(GROUP_NAMES[stage])
    return groups


def served_phrase(stages: list[str]) -> str:
    """The stages in words: "student teachers and resident teachers in years 1–3"."""
    return join_words(stage_groups(stages))
