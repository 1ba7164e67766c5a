"""The demo's observation tool and the observations made with it, so that the charts show.

One rubric, written in our own words in the spirit of the well-known classroom-interaction
observations (warmth, organization, talk that deepens thinking, feedback); it copies no
proprietary instrument's wording. The coaching program builds it and the induction program
copies it (as a coordinator does from the tool pages), and the demo pairs are observed with it
every few weeks, each domain a little higher over the months.
"""

import datetime

from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone

from core import clock
from observations.models import Observation, ObservationTool
from observations.services import (
    DomainSpec,
    observation_record,
    observation_tool_copy,
    observation_tool_create,
)
from programs.models import Program
from relationships.models import SupportRelationship, Visit

TOOL_NAME = "Classroom interactions"
TOOL_DESCRIPTION = (
    "Our own rubric in the spirit of well-known classroom-interaction observations. Watch for at "
    "least twenty minutes, then score each domain you saw: 1–2 low, 3–5 middle, 6–7 high."
)
DOMAINS = (
    DomainSpec(
        name="Warm, responsive climate",
        description="How adults and children get on: warmth, respect, and noticing needs.",
        items=(
            "Adults and children talk with evident enjoyment and respect.",
            "The teacher notices a child who needs help or comfort, and responds.",
            "Children's ideas and interests shape what happens.",
        ),
    ),
    DomainSpec(
        name="Managing time and behaviour",
        description="How the room runs: clear expectations, smooth routines, little time lost.",
        items=(
            "Expectations are clear and stated positively.",
            "Transitions are short, and children know what comes next.",
            "Materials are ready, so learning time is not lost.",
        ),
    ),
    DomainSpec(
        name="Deepening thinking through talk",
        description="How conversations stretch children's thinking and language.",
        items=(
            "Open questions that ask why and how.",
            "Back-and-forth exchanges of several turns.",
            "New words introduced and used in context.",
        ),
    ),
    DomainSpec(
        name="Feedback that extends learning",
        description="How the teacher responds to children's answers and work.",
        items=(
            "Builds on an answer with a hint or a follow-up question.",
            "Asks children to explain how they know.",
            "Encourages effort and process, specifically.",
        ),
    ),
)

# (mentor, protégé or None for the team, program) and four observations: (days ago, scores
# in the order of DOMAINS, None where a domain was not observed, the overall note).
OBSERVED = (
    (
        ("mentor", "resident"),
        (
            (-63, (3, 2, 2, 2), "Warm with the children; transitions took long."),
            (-42, (4, 3, None, 3), "The visual timetable shortened clean-up."),
            (-21, (4, 4, 3, 3), "More why-questions at the carpet."),
            (-5, (5, 5, 4, 4), "Turn-and-talk pairs ran without reminders."),
        ),
    ),
    (
        ("coach", "resident"),
        (
            (-56, (4, 3, 2, 2), "Read-aloud mostly closed questions."),
            (-35, (4, 4, 3, 3), "Three open questions in one read-aloud."),
            (-14, (5, 4, 4, 4), "Waited for answers; children built on each other."),
        ),
    ),
    (
        ("coach", None),
        (
            (-60, (5, 3, 3, 2), "A caring room; the morning routine is still settling."),
            (-38, (5, 4, 3, 3), "Both adults now use the same clean-up signal."),
            (-17, (6, 5, 4, 4), "Small-group talk about the class garden went deep."),
        ),
    ),
)


NEAR_DAYS = 7


def _school_day(today: datetime.date, offset: int) -> datetime.date:
    day = today + datetime.timedelta(days=offset)
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


def build_observations(
    *, coaching: Program, induction: Program, users: dict[str, User], today: datetime.date
) -> ObservationTool:
    """The rubric in both programs and the demo pairs' observations with it."""
    tool = observation_tool_create(
        program=coaching,
        name=TOOL_NAME,
        kind=ObservationTool.Kind.RUBRIC,
        description=TOOL_DESCRIPTION,
        scale_min=1,
        scale_max=7,
        domains=DOMAINS,
    )
    tools = {coaching.pk: tool, induction.pk: observation_tool_copy(tool=tool, program=induction)}
    for (mentor, protege), observations in OBSERVED:
        who = Q(protege=users[protege]) if protege else Q(team__isnull=False)
        relationship = (
            SupportRelationship.objects.open()
            .filter(who, mentor=users[mentor], program__in=list(tools))
            .order_by("pk")
            .first()
        )
        if relationship is None:
            continue
        program_tool = tools[relationship.program_id]
        domains = list(program_tool.domains.order_by("order"))
        logged = list(relationship.visits.filter(status=Visit.Status.LOGGED).order_by("date"))
        for offset, scores, note in observations:
            day = max(_school_day(today, offset), relationship.starts_on)
            # At the logged visit nearest that day, when there is one within a week.
            visit = min(logged, key=lambda v: abs((v.date - day).days), default=None)
            if visit is not None and abs((visit.date - day).days) <= NEAR_DAYS:
                day = visit.date
            else:
                visit = None
            observation = observation_record(
                relationship=relationship,
                tool=program_tool,
                by=users[mentor],
                observed_on=min(day, today),
                visit=visit,
                note=note,
                scores={d.pk: s for d, s in zip(domains, scores, strict=True)},
            )
            written = timezone.make_aware(
                datetime.datetime.combine(observation.observed_on, datetime.time(17, 0))
            )
            Observation.objects.filter(pk=observation.pk).update(
                created_at=min(written, clock.now())
            )
    return tool
