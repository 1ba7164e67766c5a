"""The coordinator dashboard and the caseload never read the big tables whole: no sequential
scan of visits, acknowledgements or goals, at either size of program or caseload.

PostgreSQL only: the planner is the thing under test. A test cannot hold the full state-wide
world, so it builds one of the same shape in miniature — many programs, each a small share of
the relationships and visits, as at full scale (a program holds 1/300 of them there) — with one
program several times the size of the others and a mentor with a caseload of 50 (as
`seed_scale --program-size --caseload` grows them), runs ANALYZE so the planner sees real
statistics, fetches each page at both sizes, and asks EXPLAIN about every query the page ran
that reads one of those tables. A hashed subplan that reads every acknowledgement shows as a
sequential scan inside the subplan. No planner setting is changed (enable_seqscan stays on):
the plans are the ones production would choose for such data. `make bench` repeats the check
on its database and reports it in docs/benchmarks.md.
"""

import io
import re

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.models import Program
from relationships.models import OPEN_STATUSES, SupportRelationship
from seed import scale

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="EXPLAIN plans are PostgreSQL's; run with DATABASE_URL=postgres://...",
    ),
]

# 50 programs of about 30 relationships and 300 visits each (a program is 2% of the table),
# but the first, with about 100; bench-mentor with 50 open relationships.
SHAPE = scale.Counts(
    programs=50,
    mentors=400,
    proteges=1000,
    relationships=1500,
    visits=15_000,
    goals=1500,
    program_size=100,
    caseload=50,
)
WATCHED = ("relationships_visit", "relationships_acknowledgement", "goals_goal")
SEQ_SCAN = re.compile(r"Seq Scan on (" + "|".join(WATCHED) + r")\b")


def watched_plans(client, url: str) -> list[tuple[str, str]]:
    """(sql, plan) for every SELECT the page ran that reads visits, acknowledgements or goals."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if any(table in sql for table in WATCHED) and sql.lstrip().upper().startswith("SELECT"):
                cursor.execute("EXPLAIN " + sql)
                plans.append((sql, "\n".join(row[0] for row in cursor.fetchall())))
    return plans


@pytest.fixture
def world():
    scale.build(counts=SHAPE, out=io.StringIO())  # ends with ANALYZE on PostgreSQL
    coordinator = User.objects.get(username="bench-coordinator")
    mentor = User.objects.get(username="bench-mentor")
    large = SupportRelationship.objects.select_related("program").get(
        mentor=mentor, protege__username="bench-protege"
    )
    typical = (
        Program.objects.coordinated_by(coordinator)
        .exclude(pk=large.program.pk)
        .order_by("pk")
        .first()
    )
    typical_mentor = (
        SupportRelationship.objects.filter(program=typical)
        .values("mentor")
        .annotate(n=Count("pk", filter=Q(status__in=OPEN_STATUSES)))
        .order_by("-n", "mentor")
        .values_list("mentor", flat=True)
        .first()
    )
    return {
        "coordinator": coordinator,
        "mentors": {"large": mentor, "typical": User.objects.get(pk=typical_mentor)},
        "programs": {"large": large.program, "typical": typical},
    }


def assert_no_seq_scan(plans, *tables):
    assert plans, "the page read none of the tables: the check would prove nothing"
    for table in tables:
        assert any(table in sql for sql, _ in plans), f"the page read no {table}"
    scanned = [(sql, plan) for sql, plan in plans if SEQ_SCAN.search(plan)]
    assert not scanned, "\n\n".join(f"{sql}\n{plan}" for sql, plan in scanned)


def test_the_dashboard_and_the_caseload_read_no_big_table_whole(client, world):
    # One test, one world: building it is the slow part.
    assert world["programs"]["large"].relationships.count() >= 3 * (
        world["programs"]["typical"].relationships.count()
    )
    for size in ("large", "typical"):
        client.force_login(world["coordinator"])
        program = world["programs"][size]
        dashboard = reverse("programs:detail", kwargs={"code": program.code})
        # The dashboard reads no acknowledgements since it asks for the flags' figures alone
        # (`visit_figures(flags_only=True)`, docs/benchmarks.md, "Fifth round").
        plans = watched_plans(client, dashboard)
        assert not any("relationships_acknowledgement" in sql for sql, _ in plans)
        assert_no_seq_scan(plans, "relationships_visit", "goals_goal")

        client.force_login(world["mentors"][size])
        caseload = reverse("relationships:caseload")
        assert_no_seq_scan(watched_plans(client, caseload), *WATCHED)
