"""The pages the benchmark measures, and what it knows about their data."""

from __future__ import annotations

import statistics
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.test import Client


@dataclass
class Page:
    key: str
    label: str
    username: str
    path: str
    kind: str  # "bare", "list", "dashboard", "form", "export", "admin"
    admin: str = ""  # key of the admin page it is compared with
    cookie: str = ""
    queries: int = 0
    kib: float = 0.0
    p50: list[float] = field(default_factory=list)
    p95: list[float] = field(default_factory=list)
    rps: list[float] = field(default_factory=list)
    errors: int = 0

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.p50)

    @property
    def p95_ms(self) -> float:
        return statistics.median(self.p95)

    @property
    def rps_median(self) -> float:
        return statistics.median(self.rps) if self.rps else 0.0


@dataclass(frozen=True)
class Facts:
    """The size of what the measured pages show."""

    program: str
    program_relationships: int
    program_visits: int
    caseload: int
    relationship_visits: int
    protege_logs: int


def bench_people() -> dict[str, User]:
    from django.contrib.auth.models import User

    people = {u.username: u for u in User.objects.filter(username__startswith="bench-")}
    missing = {"bench-coordinator", "bench-mentor", "bench-protege", "bench-admin"} - set(people)
    if missing:
        sys.exit(f"error: the bench users {sorted(missing)} are missing: run seed_scale first.")
    return people


def build_pages() -> tuple[list[Page], Facts, dict[str, User]]:
    from django.urls import reverse

    from relationships.models import SupportRelationship, Visit

    people = bench_people()
    mentor, protege = people["bench-mentor"], people["bench-protege"]
    relationship = SupportRelationship.objects.select_related("program").get(
        mentor=mentor, protege=protege
    )
    program = relationship.program
    if program is None:
        sys.exit("error: bench-mentor's relationship with bench-protege has no program.")
    supported = list(
        SupportRelationship.objects.filter(protege=protege).values_list("pk", flat=True)
    )
    facts = Facts(
        program=program.name,
        program_relationships=program.relationships.count(),
        program_visits=Visit.objects.filter(relationship__program=program).count(),
        caseload=SupportRelationship.objects.open().filter(mentor=mentor).count(),
        relationship_visits=relationship.visits.count(),
        protege_logs=Visit.objects.logged().filter(relationship__in=supported).count(),
    )
    admin = "/admin/relationships/"
    in_supported = ",".join(map(str, supported))
    pages = [
        Page("bare", "Bare page (help, signed in)", "bench-mentor", reverse("help"), "bare"),
        Page("home_coordinator", "Home: coordinator", "bench-coordinator", "/", "list",
             "admin_programs"),
        Page("home_mentor", "Home: mentor", "bench-mentor", "/", "list", "admin_caseload"),
        Page("home_protege", "Home: protégé", "bench-protege", "/", "list",
             "admin_protege_rels"),
        Page("dashboard", "Coordinator dashboard", "bench-coordinator",
             reverse("programs:detail", kwargs={"code": program.code}), "dashboard",
             "admin_program_rels"),
        Page("caseload", "Caseload", "bench-mentor", reverse("relationships:caseload"), "list",
             "admin_caseload"),
        Page("relationship", "Relationship page", "bench-mentor",
             reverse("relationships:detail", kwargs={"code": relationship.code}), "list",
             "admin_rel_visits"),
        Page("visit_form", "Visit log form", "bench-mentor",
             reverse("relationships:visit_log_new", kwargs={"code": relationship.code}), "form",
             "admin_visit_add"),
        Page("feedback", "Protégé feedback list", "bench-protege",
             reverse("relationships:feedback"), "list", "admin_protege_logs"),
        Page("export", "CSV export (relationships)", "bench-coordinator",
             reverse("programs:export", kwargs={"code": program.code, "what": "relationships"}),
             "export", "admin_program_rels"),
        # The admin changelists of the same objects (as the superuser bench-admin).
        Page("admin_programs", "Admin: programs coordinated", "bench-admin",
             f"/admin/programs/program/?coordinators__id__exact={people['bench-coordinator'].pk}",
             "admin"),
        Page("admin_caseload", "Admin: mentor's relationships", "bench-admin",
             f"{admin}supportrelationship/?mentor__id__exact={mentor.pk}", "admin"),
        Page("admin_protege_rels", "Admin: protégé's relationships", "bench-admin",
             f"{admin}supportrelationship/?protege__id__exact={protege.pk}", "admin"),
        Page("admin_program_rels", "Admin: program's relationships", "bench-admin",
             f"{admin}supportrelationship/?program__id__exact={program.pk}", "admin"),
        Page("admin_rel_visits", "Admin: relationship's visits", "bench-admin",
             f"{admin}visit/?relationship__id__exact={relationship.pk}", "admin"),
        Page("admin_visit_add", "Admin: add visit form", "bench-admin", f"{admin}visit/add/",
             "admin"),
        Page("admin_protege_logs", "Admin: protégé's logged visits", "bench-admin",
             f"{admin}visit/?relationship__id__in={in_supported}&status__exact=logged", "admin"),
    ]  # fmt: skip
    return pages, facts, people


def client_for(username: str, people: dict[str, User]) -> Client:
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1", raise_request_exception=False)
    client.force_login(people[username], backend="django.contrib.auth.backends.ModelBackend")
    return client
