"""What the home page shows each person: what they hold, in every role they have.

Roles come from data, not a role field: a coordinator is listed on a program, a mentor has
relationships as mentor, a protégé is supported (alone or in a team), a supervisor is recorded
on protégé profiles. Each section costs a fixed number of queries, however much data there is.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef

from core.querytools import head_and_total, subquery_count
from goals.models import Goal
from programs.models import EnrollmentRequest, OrganizationLeader
from relationships import roles
from relationships.models import Acknowledgement, InformalInvitation, SupportRelationship, Visit

HOME_LIMIT = 10


@dataclass
class HomeSections:
    coordinated: list = field(default_factory=list)
    coordinated_count: int = 0
    caseload: list = field(default_factory=list)
    caseload_count: int = 0
    supports: list = field(default_factory=list)
    supervised_count: int = 0
    requests: list = field(default_factory=list)
    invitations: list = field(default_factory=list)  # informal, waiting for this person
    invitations_sent: list = field(default_factory=list)  # informal, waiting for the other
    leads: list = field(default_factory=list)  # the organizations this person leads

    @property
    def is_empty(self) -> bool:
        return not (
            self.coordinated
            or self.caseload
            or self.supports
            or self.requests
            or self.invitations
            or self.invitations_sent
            or self.leads
        )

    def held_roles(self, user) -> list[str]:
        """The roles the navigation bar links to, from what these sections hold."""
        return roles.held_roles(
            user,
            coordinates=bool(self.coordinated),
            mentors=bool(self.caseload),
            supported=bool(self.supports),
            leads=bool(self.leads),
        )


def home_sections(user) -> HomeSections:
    sections = HomeSections()
    sections.leads = [
        leader.organization
        for leader in OrganizationLeader.objects.filter(user=user)
        .select_related("organization")
        .order_by("organization__name", "pk")
    ]

    # The open relationships counted in the (program, status) index, program by program: a
    # join grouped by program read every relationship of a big program (2,500) from the table.
    coordinated = (
        roles.coordinated_programs(user)
        .annotate(
            open_relationships=subquery_count(
                SupportRelationship.objects.open().filter(program=OuterRef("pk"))
            )
        )
        .select_related("sponsor")
        .order_by("name")
    )
    sections.coordinated, sections.coordinated_count = head_and_total(coordinated, HOME_LIMIT)

    caseload = (
        roles.caseload(user)
        .select_related("program", "protege", "team")
        .order_by("program__name", "pk")
    )
    sections.caseload, sections.caseload_count = head_and_total(caseload, HOME_LIMIT)

    waiting_logs = Visit.objects.filter(
        relationship=OuterRef("pk"), status=Visit.Status.LOGGED
    ).exclude(Exists(Acknowledgement.objects.filter(visit=OuterRef("pk"), protege=user.pk)))
    waiting_goals = Goal.objects.filter(
        relationship=OuterRef("pk"),
        status=Goal.Status.PROPOSED,
        protege_agreed_at__isnull=True,
    )
    # The ids first (a person has a few supports): as a subquery beside the joins and the
    # two counts, PostgreSQL took longer to plan the query than to run it.
    supported_ids = list(roles.supports(user).values_list("pk", flat=True))
    supports = (
        SupportRelationship.objects.filter(pk__in=supported_ids)
        .select_related("program", "mentor", "team")
        .annotate(
            logs_waiting=subquery_count(waiting_logs),
            goals_waiting=subquery_count(waiting_goals),
        )
        .order_by("kind", "pk")
    )
    sections.supports = list(supports)
    sections.supervised_count = user.supervised_profiles.count()
    # Requests to take part in a program, waiting for this person's answer.
    sections.requests = list(
        EnrollmentRequest.objects.pending()
        .filter(person=user)
        .select_related("program", "asked_by")
        .order_by("-asked_at", "-pk")
    )
    # Invitations to an informal relationship waiting for an answer, both ways (one query).
    pending = (
        InformalInvitation.objects.pending()
        .visible_to(user)
        .select_related("inviter", "invitee")
        .order_by("-created_at", "-pk")
    )
    for invitation in pending:
        if invitation.invitee_id == user.pk:
            sections.invitations.append(invitation)
        else:
            sections.invitations_sent.append(invitation)
    return sections
