"""The relationship page, shared by the people in the relationship and the program's coordinators.

The mentor or coach sees their tools, the protégé (or each team member) sees theirs through
includes, and the program's coordinators see the logistics (and the conversation only when the
program shares logs, and only what was written since).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

import rules
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from core import clock
from core.access import Read, record_read
from core.http import AuthedRequest
from core.querytools import head_and_total, page_number
from programs.role_descriptions import describe
from relationships import selectors
from relationships.lookups import get_permitted_or_404
from relationships.models import SupportRelationship, Visit
from relationships.rules import (
    conversation_since,
    is_protege,
    is_supervisor,
    visit_written_at,
    written_since,
)
from relationships.selectors import TimelineEvent
from relationships.timeline_lines import timeline_lines

PAGE_SIZE = 25  # timeline events a page
UPCOMING_SHOWN = 5  # scheduled visits listed on the page; the rest: the calendar


def page_relationship(request: AuthedRequest, code) -> SupportRelationship:
    """A relationship whose page the person may open (participants, coordinators): else 404."""
    return get_permitted_or_404(
        SupportRelationship.objects.select_related("program", "protege", "team", "mentor"),
        rule="relationships.open_relationship_page",
        user=request.user,
        code=code,
    )


@dataclass(frozen=True)
class Standing:
    """What the person is to a relationship, and what its page lets them do."""

    is_mentor: bool
    is_supported: bool
    can_work: bool
    can_read: bool
    # The program's coordinators (whatever else they are here) get the way back to its
    # dashboard and the dashboard's pause, resume and end actions: the rules of those pages.
    manages_program: bool
    can_change_status: bool
    can_propose_goal: bool
    can_assign_goal: bool

    @property
    def takes_part(self) -> bool:
        """The mentor or a person supported; else a coordinator, who reads the page from the
        program's side (the people supported first, then their mentor)."""
        return self.is_mentor or self.is_supported


def _standing(user: User, relationship: SupportRelationship) -> Standing:
    is_mentor = relationship.mentor_id == user.pk
    is_supported = _is_supported(user, relationship)
    can_work = rules.test_rule("relationships.work_in_relationship", user, relationship)
    program = relationship.program
    manages, can_change_status = _coordination(user, relationship)
    return Standing(
        is_mentor=is_mentor,
        is_supported=is_supported,
        can_work=can_work,
        can_read=rules.test_rule("relationships.read_conversation", user, relationship),
        manages_program=manages,
        can_change_status=can_change_status,
        can_propose_goal=relationship.is_open
        and (is_mentor or is_supported)
        and (program is None or program.allows_collaborative_goals),
        can_assign_goal=can_work and program is not None and program.allows_prescribed_goals,
    )


def _coordination(user: User, relationship: SupportRelationship) -> tuple[bool, bool]:
    """Whether the person manages the relationship's program, and whether they may pause,
    resume or end the relationship (open, in a program not archived nor closed)."""
    program = relationship.program
    if program is None or not rules.test_rule("programs.manage_program", user, program):
        return False, False
    return True, (
        relationship.is_open
        and not program.is_read_only
        and rules.test_rule("relationships.manage_relationship", user, relationship)
    )


def _is_supported(user: User, relationship: SupportRelationship) -> bool:
    return is_protege(user, relationship) and not is_supervisor(user, relationship)


@dataclass(frozen=True)
class Readable:
    """What of the conversation the relationship page may show. A coordinator who reads shared
    logs reads what was written since the program began sharing them (`since`); the others
    who read it, everything."""

    since: datetime.datetime | None
    goal_ids: set[int]
    visit_ids: set[int]

    def shows_conversation(self, events: Iterable[TimelineEvent], upcoming: list[Visit]) -> bool:
        """Whether the page shows words of the conversation: a planned visit's focus, or why a
        goal was closed."""
        return any(
            visit.next_meeting_focus for visit in upcoming if visit.pk in self.visit_ids
        ) or any(
            event.detail
            for event in events
            if event.goal is not None and event.goal.pk in self.goal_ids
        )


def _readable(
    user: User,
    relationship: SupportRelationship,
    *,
    can_read: bool,
    goals_created: dict[int, datetime.datetime],
    upcoming: list[Visit],
) -> Readable:
    """The goals (`goals_created`: when each was, by id) and planned visits whose words the
    page may show."""
    if not can_read:
        return Readable(since=None, goal_ids=set(), visit_ids=set())
    since = conversation_since(user, relationship)
    return Readable(
        since=since,
        goal_ids={pk for pk, created in goals_created.items() if written_since(created, since)},
        visit_ids={visit.pk for visit in upcoming if written_since(visit_written_at(visit), since)},
    )


def _record_page_read(request: AuthedRequest, relationship: SupportRelationship) -> None:
    record_read(
        request,
        [
            Read(
                kind="relationship",
                what="The relationship's page",
                relationship_id=relationship.pk,
                program_id=relationship.program_id,
            )
        ],
    )


def relationship_detail(request: AuthedRequest, code) -> HttpResponse:
    relationship = page_relationship(request, code)
    standing = _standing(request.user, relationship)
    # Only the events up to the page asked for are read (the last page's, if past the end).
    number = page_number(request.GET.get("page"))
    events = selectors.timeline(relationship, newest=number * PAGE_SIZE)
    page = Paginator(events, PAGE_SIZE).get_page(number)
    goals = list(relationship.goals.order_by("status", "-created_at"))
    # One query for the first scheduled visits and how many there are in all.
    upcoming, upcoming_total = head_and_total(
        relationship.visits.scheduled().order_by("date", "start_time", "pk"), UPCOMING_SHOWN
    )
    readable = _readable(
        request.user,
        relationship,
        can_read=standing.can_read,
        goals_created={goal.pk: goal.created_at for goal in goals},
        upcoming=upcoming,
    )
    if readable.since is not None and readable.shows_conversation(page.object_list, upcoming):
        _record_page_read(request, relationship)
    people = selectors.supported_people(relationship)
    return render(
        request,
        "relationships/supportrelationship_detail.html",
        {
            "relationship": relationship,
            "is_mentor": standing.is_mentor,
            "is_supported": standing.is_supported,
            "can_work": standing.can_work,
            "can_read": standing.can_read,
            "readable_goal_ids": readable.goal_ids,
            "readable_visit_ids": readable.visit_ids,
            "people": people,
            "role_description": describe(relationship.program, relationship.kind),
            "open_goals": [goal for goal in goals if goal.is_open],
            "closed_goals": [goal for goal in goals if not goal.is_open],
            "is_coordinator_view": not standing.takes_part,
            "manages_program": standing.manages_program,
            "can_change_status": standing.can_change_status,
            "can_end_informal": rules.test_rule(
                "relationships.end_informal_relationship", request.user, relationship
            ),
            "upcoming": upcoming,
            "upcoming_more": upcoming_total - len(upcoming),
            # The calendar lists the open relationships a person takes part in.
            "calendar_has_them": relationship.is_open and standing.takes_part,
            "page_obj": page,
            "timeline": timeline_lines(
                page.object_list, people=len(people), readable_goal_ids=readable.goal_ids
            ),
            "can_propose_goal": standing.can_propose_goal,
            "can_assign_goal": standing.can_assign_goal,
            "before": selectors.predecessors(relationship, request.user),
            "expected_visits": relationship.expected("visits_per_month"),
            "expected_minutes": relationship.expected("minutes_per_month"),
            "today": clock.today(),
        },
    )
