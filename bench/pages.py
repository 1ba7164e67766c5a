"""The pages the benchmark measures, and what it knows about their data."""

from __future__ import annotations

import statistics
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.test import Client

    from programs.models import Program


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
    # The bare page's p50 in the same run, timed in turns with this page (measuring.py).
    bare_p50: list[float] = field(default_factory=list)
    rps: list[float] = field(default_factory=list)
    errors: int = 0
    # Pages timed at two sizes: the same `group`, and how many rows each lists.
    group: str = ""
    rows: int = 0
    optional: bool = False  # left out, not an error, when it does not answer 200

    @property
    def ratio(self) -> float:
        """The page's p50 over the bare page's, run by run (timed in turns), the median."""
        if not self.bare_p50:
            return 0.0
        return statistics.median(p / b for p, b in zip(self.p50, self.bare_p50, strict=True))

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
    typical_program: str = ""
    typical_program_relationships: int = 0
    typical_caseload: int = 0


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
    typical, typical_mentor = typical_program_and_mentor(people["bench-coordinator"], program)
    people[typical_mentor.username] = typical_mentor
    sizes = {
        "program": program.relationships.count(),
        "typical": typical.relationships.count(),
        "caseload": SupportRelationship.objects.open().filter(mentor=mentor).count(),
        "typical_caseload": SupportRelationship.objects.open()
        .filter(mentor=typical_mentor)
        .count(),
    }
    facts = Facts(
        program=program.name,
        program_relationships=sizes["program"],
        program_visits=Visit.objects.filter(relationship__program=program).count(),
        caseload=sizes["caseload"],
        relationship_visits=relationship.visits.count(),
        protege_logs=Visit.objects.logged().filter(relationship__in=supported).count(),
        typical_program=typical.name,
        typical_program_relationships=sizes["typical"],
        typical_caseload=sizes["typical_caseload"],
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
             "admin_program_rels", group="dashboard", rows=sizes["program"]),
        Page("dashboard_typical", "Coordinator dashboard (typical program)",
             "bench-coordinator", reverse("programs:detail", kwargs={"code": typical.code}),
             "dashboard", group="dashboard", rows=sizes["typical"]),
        Page("caseload", "Caseload", "bench-mentor", reverse("relationships:caseload"), "list",
             "admin_caseload", group="caseload", rows=sizes["caseload"]),
        Page("caseload_typical", "Caseload (typical mentor)", typical_mentor.username,
             reverse("relationships:caseload"), "list", group="caseload",
             rows=sizes["typical_caseload"]),
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
             "export", "admin_program_rels", group="export", rows=sizes["program"]),
        Page("export_typical", "CSV export (typical program)", "bench-coordinator",
             reverse("programs:export", kwargs={"code": typical.code, "what": "relationships"}),
             "export", group="export", rows=sizes["typical"]),
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


def typical_program_and_mentor(coordinator: User, large: Program) -> tuple[Program, User]:
    """The second size of the pages timed at two: of the other programs bench-coordinator
    coordinates, the one of median size, and its mentor or coach with the most open
    relationships (in any program)."""
    from django.db.models import Count, Q

    from programs.models import Program
    from relationships.models import OPEN_STATUSES

    others = list(
        Program.objects.coordinated_by(coordinator)
        .exclude(pk=large.pk)
        .annotate(n=Count("relationships"))
        .order_by("n", "pk")
    )
    if not others:
        sys.exit("error: bench-coordinator coordinates one program only: run seed_scale again.")
    typical = others[len(others) // 2]
    mentor = (
        typical.relationships.order_by()
        .values("mentor")
        .annotate(n=Count("pk", filter=Q(status__in=OPEN_STATUSES)))
        .order_by("-n", "mentor")
        .values_list("mentor", flat=True)
        .first()
    )
    return typical, type(coordinator).objects.get(pk=mentor)


def client_for(username: str, people: dict[str, User]) -> Client:
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1", raise_request_exception=False)
    client.force_login(people[username], backend="django.contrib.auth.backends.ModelBackend")
    return client
