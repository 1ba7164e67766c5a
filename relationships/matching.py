"""Suggesting mentors and coaches for a protégé or a classroom team, ranked by fit.

Only the program's mentors are suggested for a mentoring relationship, and only its coaches
for a coaching one (`eligible_mentors`). Fit, in order of weight:
1. room in their caseload (open relationships in every program, against their limit);
2. expertise in the age group the protégé teaches (or the team's age group), else in the
   program's age groups;
3. experience with the protégé's career stage: they support, or have supported, a protégé
   at that stage now recorded (any program);
4. the same or a different organization from the protégé's, as the program prefers: the same
   counts the district or agency that runs the protégé's school or site, and the sites of the
   protégé's own organization (programs/organizations.py).

Never suggested: the people supported themselves, their supervisors, present or former within
the set period (the firewall, relationships/firewall.py), nor anyone already in an open
relationship of this kind with them. One query, ranked in SQL (and one for the organizations'
tree, read once whatever the number of candidates).
"""

from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth.models import User
from django.db.models import (
    Case,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower
from django.utils.translation import gettext as _

from core.names import person_name
from core.querytools import subquery_count
from programs.models import AgeGroup, Enrollment, Program, ProtegeProfile, role_for_kind
from programs.organizations import Tree
from programs.served import served_phrase
from relationships import firewall
from relationships.models import OPEN_STATUSES, ClassroomTeam, SupportRelationship

DEFAULT_LIMIT = 12


@dataclass
class Target:
    """Who is to be supported: one protégé or a classroom team."""

    program: Program
    kind: str
    protege: User | None = None
    team: ClassroomTeam | None = None

    def people_ids(self) -> list[int]:
        if self.team is not None:
            return list(self.team.members.values_list("pk", flat=True))
        return [self.protege.pk] if self.protege is not None else []

    @cached_property
    def protege_profile(self) -> ProtegeProfile | None:
        """Read once, however many suggestions are explained."""
        return ProtegeProfile.objects.filter(user=self.protege).first()

    def age_groups(self) -> list[str]:
        if self.team is not None:
            return [self.team.age_group]
        profile = self.protege_profile
        if profile is not None and profile.age_group_taught:
            return [profile.age_group_taught]
        return list(self.program.age_groups or [])

    def career_stage(self) -> str:
        """The protégé's career stage ("" for a team, or a protégé without a profile)."""
        profile = self.protege_profile if self.team is None else None
        return profile.career_stage if profile is not None else ""

    def career_stage_label(self) -> str:
        stage = self.career_stage()
        return str(ProtegeProfile.CareerStage(stage).label) if stage else ""

    @property
    def stage_not_served(self) -> bool:
        """The protégé's career stage is not one the program serves."""
        stage = self.career_stage()
        return bool(stage) and not self.program.serves_stage(stage)

    def organization_id(self) -> int | None:
        if self.team is not None:
            return self.team.site_id
        profile = self.protege_profile
        return profile.organization_id if profile else None

    @cached_property
    def organizations(self) -> Tree:
        """The organizations' tree, read once for every candidate."""
        return Tree.load()

    @cached_property
    def same_organization_ids(self) -> set[int]:
        """The organizations that count as the protégé's (or the team's site's) own: it, the
        ones that contain it and the ones it contains."""
        return self.organizations.family([self.organization_id()])

    @property
    def name(self) -> str:
        if self.team is not None:
            return self.team.name
        return person_name(self.protege)


def supervisor_ids(people_ids: list[int]) -> set[int]:
    """Who the supervision firewall keeps from supporting these people: their supervisors,
    and former supervisors within the set period (relationships/firewall.py)."""
    return {wall.supervisor_id for wall in firewall.whole_walls_around(people_ids)}


def eligible_mentors(program: Program, kind: str) -> QuerySet[User]:
    """Who may support a relationship of `kind` in the program: its current mentors for
    mentoring, its current coaches for coaching."""
    return User.objects.filter(
        pk__in=Enrollment.objects.current()
        .filter(program=program, role=role_for_kind(kind))
        .values("person_id")
    )


@dataclass(frozen=True)
class Candidate:
    """An eligible mentor or coach, with what ranks them."""

    person: User
    caseload: int  # open relationships, in every program
    limit: int
    age_fit: bool
    org_fit: bool
    stage_now: int = 0  # open relationships with protégés at the target's career stage
    stage_before: int = 0  # ended ones

    @property
    def room(self) -> int:
        return self.limit - self.caseload


def candidates(target: Target) -> list[Candidate]:
    """Eligible mentors and coaches for `target`, ranked best first."""
    people = target.people_ids()
    excluded = set(people) | supervisor_ids(people)
    already = SupportRelationship.objects.open().filter(program=target.program, kind=target.kind)
    if target.team is not None:
        already = already.filter(team=target.team)
    else:
        already = already.filter(protege=target.protege)
    excluded |= set(already.values_list("mentor_id", flat=True))

    ages = target.age_groups()
    age_match = Q(pk__in=[])
    for age in ages:
        if age in AgeGroup.values:
            age_match |= Q(mentor_profile__age_groups__icontains=f'"{age}"')

    organization = target.organization_id()
    preference = target.program.mentor_organization
    if organization is None or preference == Program.MentorOrganization.EITHER:
        org_match = Q(pk__in=[])
    elif preference == Program.MentorOrganization.SAME:
        org_match = Q(mentor_profile__organization_id__in=target.same_organization_ids)
    else:
        org_match = Q(mentor_profile__organization__isnull=False) & ~Q(
            mentor_profile__organization_id__in=target.same_organization_ids
        )

    open_relationships = SupportRelationship.objects.open().filter(mentor=OuterRef("pk"))
    at_stage = SupportRelationship.objects.filter(
        mentor=OuterRef("pk"), protege__protege_profile__career_stage=target.career_stage()
    ).exclude(protege__in=people)
    ranked = (
        eligible_mentors(target.program, target.kind)
        .exclude(pk__in=excluded)
        .select_related("mentor_profile", "mentor_profile__organization")
        .annotate(
            caseload=subquery_count(open_relationships),
            limit=Coalesce(F("mentor_profile__caseload_limit"), Value(DEFAULT_LIMIT)),
            age_fit=Case(When(age_match, then=1), default=0, output_field=IntegerField()),
            org_fit=Case(When(org_match, then=1), default=0, output_field=IntegerField()),
            stage_now=subquery_count(at_stage.filter(status__in=OPEN_STATUSES)),
            stage_before=subquery_count(at_stage.exclude(status__in=OPEN_STATUSES)),
        )
        .annotate(
            room=F("limit") - F("caseload"),
            has_room=Case(
                When(caseload__lt=F("limit"), then=1), default=0, output_field=IntegerField()
            ),
        )
        .annotate(
            stage_fit=Case(
                When(Q(stage_now__gt=0) | Q(stage_before__gt=0), then=1),
                default=0,
                output_field=IntegerField(),
            )
        )
        .annotate(fit=F("has_room") * 8 + F("age_fit") * 4 + F("stage_fit") * 2 + F("org_fit"))
        .order_by("-fit", "-room", Lower("last_name"), Lower("first_name"), "pk")
    )
    return [
        Candidate(
            person=person,
            caseload=person.caseload,
            limit=person.limit,
            age_fit=bool(person.age_fit),
            org_fit=bool(person.org_fit),
            stage_now=person.stage_now,
            stage_before=person.stage_before,
        )
        for person in ranked
    ]


@dataclass
class Suggestion:
    person: User
    reasons: list[str]
    warnings: list[str]

    @property
    def label(self) -> str:
        return person_name(self.person)


def explain(candidate: Candidate, target: Target) -> Suggestion:
    """Why a candidate is ranked where it is (no queries)."""
    reasons, warnings = [], []
    profile = getattr(candidate.person, "mentor_profile", None)
    age_labels = dict(AgeGroup.choices)
    ages = ", ".join(str(age_labels.get(a, a)) for a in target.age_groups())
    if candidate.age_fit:
        reasons.append(
            _("Works with %(ages)s") % {"ages": ages.lower()} if ages else _("Age-group expertise")
        )
    elif ages:
        warnings.append(_("No recorded expertise with %(ages)s") % {"ages": ages.lower()})
    _explain_stage(candidate, target, reasons)
    preference = target.program.mentor_organization
    org_name = profile.organization.name if profile and profile.organization else ""
    if candidate.org_fit:
        if preference == Program.MentorOrganization.SAME:
            mentor_org = profile.organization_id if profile else None
            reasons.append(
                _("Same organization (%(organization)s)")
                % {"organization": _how_same(mentor_org, target)}
            )
        else:
            reasons.append(
                _("From a different organization (%(organization)s)") % {"organization": org_name}
            )
    elif preference != Program.MentorOrganization.EITHER and target.organization_id():
        warnings.append(
            _("Not from the protégé's organization")
            if preference == Program.MentorOrganization.SAME
            else _("From the same organization as the protégé")
        )
    load = {"load": candidate.caseload, "limit": candidate.limit, "room": candidate.room}
    if candidate.room > 0:
        reasons.append(_("Caseload %(load)s of %(limit)s: room for %(room)s") % load)
    elif candidate.room == 0:
        warnings.append(_("Caseload full (%(load)s of %(limit)s)") % load)
    else:
        warnings.append(_("Over their caseload limit (%(load)s of %(limit)s)") % load)
    return Suggestion(person=candidate.person, reasons=reasons, warnings=warnings)


def _explain_stage(candidate: Candidate, target: Target, reasons: list[str]) -> None:
    stage = target.career_stage()
    if not stage:
        return
    group = served_phrase([stage])
    if candidate.stage_now:
        reasons.append(
            _("Supports %(group)s now (%(stage)s)") % {"group": group, "stage": candidate.stage_now}
        )
    elif candidate.stage_before:
        reasons.append(_("Has supported %(group)s before") % {"group": group})


def _how_same(mentor_org: int | None, target: Target) -> str:
    """The mentor's organization, and how it is the protégé's: "Riverbend School District,
    which runs Maple School", "Riverbend School District" when it is the protégé's own."""
    own = target.organization_id()
    names = target.organizations.names
    name = names.get(mentor_org or 0, "")
    if own is None or mentor_org is None or own == mentor_org:
        return name
    if mentor_org in target.organizations.ancestors(own):
        return _("%(mentor_org)s, which runs %(own)s") % {
            "mentor_org": name,
            "own": names.get(own, ""),
        }
    return _("%(mentor_org)s, part of %(own)s") % {"mentor_org": name, "own": names.get(own, "")}
