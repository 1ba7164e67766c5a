"""Who could take over each relationship of a caseload: the match page's ranked suggestions
(relationships/matching.py), for many relationships at once.

`matching.candidates` ranks the mentors and coaches for one protégé or team in a few queries;
a caseload of fifty would take fifty times that. `successors` reads what the ranking needs for
the whole caseload in a fixed number of queries (the eligible people of each kind with their
caseloads, the protégés' profiles, the teams' members, the firewall's walls, the organizations'
tree, the career stages of the people each candidate supports) and ranks each relationship's
candidates in Python by the same rule: room in the caseload, then age-group expertise, then
experience with the protégé's career stage, then the organization the program prefers; then
the most room, then by name. The
reasons shown are matching's own (`matching.explain`). tests/relationships/test_turnover.py
checks that the order is the match page's.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import OuterRef

from core.querytools import subquery_count
from programs.models import AgeGroup, Program, ProtegeProfile
from programs.organizations import Tree
from relationships import firewall, matching
from relationships.models import OPEN_STATUSES, ClassroomTeam, SupportRelationship

# How many ranked suggestions each relationship shows, as on the match page; the others
# eligible follow them.
SHOWN = 8


@dataclass
class Successors:
    """The ranked suggestions for one relationship (with why), and everyone else eligible."""

    suggestions: list[matching.Suggestion]
    others: list[User]
    rooms: dict[int, int]  # room left in each one's caseload, by person id

    @property
    def people(self) -> list[User]:
        return [s.person for s in self.suggestions] + self.others


@dataclass(frozen=True)
class _Facts:
    """What ranking needs, read once for the whole caseload."""

    mentors: Mapping[str, Sequence[User]]  # by relationship kind, who may support it
    caseloads: dict[int, int]  # open relationships in every program, by mentor id
    tree: Tree
    # (mentor id, protégé id, career stage, open?) of every relationship with a protégé
    supported: list[tuple[int, int, str, bool]]
    profiles: dict[int, ProtegeProfile]
    members: dict[int, list[int]]  # team id: member ids
    walled: dict[int, set[int]]  # protégé id: who the firewall keeps from them


def _facts(program: Program, relationships: list[SupportRelationship]) -> _Facts:
    team_ids = {r.team_id for r in relationships if r.team_id}
    protege_ids = {r.protege_id for r in relationships if r.protege_id}
    members: dict[int, list[int]] = defaultdict(list)
    links = ClassroomTeam.members.through.objects.filter(classroomteam__in=team_ids)
    for team_id, user_id in links.order_by("pk").values_list("classroomteam_id", "user_id"):
        members[team_id].append(user_id)
    people = protege_ids | {pk for ids in members.values() for pk in ids}
    walled: dict[int, set[int]] = defaultdict(set)
    for wall in firewall.whole_walls_around(people) if people else []:
        walled[wall.protege_id].add(wall.supervisor_id)
    mentors = {
        kind: list(
            matching.eligible_mentors(program, kind)
            .select_related("mentor_profile", "mentor_profile__organization")
            .annotate(
                caseload=subquery_count(
                    SupportRelationship.objects.open().filter(mentor=OuterRef("pk"))
                )
            )
        )
        for kind in sorted({r.kind for r in relationships})
    }
    profiles = (
        ProtegeProfile.objects.in_bulk(list(protege_ids), field_name="user_id")
        if protege_ids
        else {}
    )
    caseloads = {person.pk: person.caseload for kind in mentors for person in mentors[kind]}
    supported = [
        (mentor_id, protege_id, stage or "", status in OPEN_STATUSES)
        for mentor_id, protege_id, stage, status in SupportRelationship.objects.filter(
            mentor__in=list(caseloads), protege__isnull=False
        ).values_list("mentor_id", "protege_id", "protege__protege_profile__career_stage", "status")
    ]
    return _Facts(mentors, caseloads, Tree.load(), supported, profiles, dict(members), dict(walled))


def _target(program: Program, relationship: SupportRelationship, facts: _Facts) -> matching.Target:
    target = matching.Target(
        program=program,
        kind=relationship.kind,
        protege=relationship.protege,
        team=relationship.team,
    )
    # Read above for every relationship at once: explaining a suggestion asks no more.
    target.protege_profile = facts.profiles.get(relationship.protege_id or 0)
    target.organizations = facts.tree
    return target


def _candidate(
    person: User, caseload: int, target: matching.Target, facts: _Facts, excluded: set[int]
) -> matching.Candidate:
    profile = getattr(person, "mentor_profile", None)
    limit = matching.DEFAULT_LIMIT
    if profile is not None and profile.caseload_limit is not None:
        limit = profile.caseload_limit
    ages = [age for age in target.age_groups() if age in AgeGroup.values]
    expertise = set(profile.age_groups or []) if profile is not None else set()
    organization = target.organization_id()
    preference = target.program.mentor_organization
    theirs = profile.organization_id if profile is not None else None
    if organization is None or preference == Program.MentorOrganization.EITHER:
        org_fit = False
    elif preference == Program.MentorOrganization.SAME:
        org_fit = theirs in target.same_organization_ids
    else:
        org_fit = theirs is not None and theirs not in target.same_organization_ids
    stage = target.career_stage()
    at_stage = [
        is_open
        for mentor_id, protege_id, their_stage, is_open in facts.supported
        if stage and mentor_id == person.pk and their_stage == stage and protege_id not in excluded
    ]
    return matching.Candidate(
        person=person,
        caseload=caseload,
        limit=limit,
        age_fit=bool(expertise & set(ages)),
        org_fit=org_fit,
        stage_now=sum(at_stage),
        stage_before=len(at_stage) - sum(at_stage),
    )


def _rank_key(candidate: matching.Candidate) -> tuple:
    stage_fit = bool(candidate.stage_now or candidate.stage_before)
    fit = (
        (candidate.caseload < candidate.limit) * 8
        + candidate.age_fit * 4
        + stage_fit * 2
        + candidate.org_fit
    )
    person = candidate.person
    return (-fit, -candidate.room, person.last_name.lower(), person.first_name.lower(), person.pk)


def _excluded(relationship: SupportRelationship, facts: _Facts) -> set[int]:
    if relationship.team_id:
        people = set(facts.members.get(relationship.team_id, []))
    else:
        people = {relationship.protege_id} if relationship.protege_id else set()
    # The people supported, whoever the firewall keeps from them, and the mentor of the
    # relationship (the one open relationship of its kind with them: a constraint).
    excluded = people | {relationship.mentor_id}
    for person in people:
        excluded |= facts.walled.get(person, set())
    return excluded


def successors(
    program: Program, relationships: Iterable[SupportRelationship]
) -> dict[int, Successors]:
    """For each of `relationships` (with their protégé and team), by id: who could take it
    over, ranked as on the match page (a fixed number of queries, however many)."""
    relationships = list(relationships)
    if not relationships:
        return {}
    facts = _facts(program, relationships)
    found = {}
    for relationship in relationships:
        target = _target(program, relationship, facts)
        excluded = _excluded(relationship, facts)
        ranked = sorted(
            (
                _candidate(person, facts.caseloads[person.pk], target, facts, excluded)
                for person in facts.mentors[relationship.kind]
                if person.pk not in excluded
            ),
            key=_rank_key,
        )
        found[relationship.pk] = Successors(
            suggestions=[matching.explain(c, target) for c in ranked[:SHOWN]],
            others=[c.person for c in ranked[SHOWN:]],
            rooms={c.person.pk: c.room for c in ranked},
        )
    return found
