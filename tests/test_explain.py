"""The coordinator dashboard and the caseload never scan the visits table sequentially.

PostgreSQL only: the planner is the thing under test. A test cannot hold the full state-wide
world, so it builds one of the same shape in miniature — many programs, each a small share of
the relationships and visits, as at full scale (a program holds 1/300 of them there) — runs
ANALYZE so the planner sees real statistics, fetches each page, and asks EXPLAIN about every
query the page ran that reads relationships_visit. No planner setting is changed
(enable_seqscan stays on): the plans are the ones production would choose for such data.
`make bench` repeats the check on the full-scale database and reports it in
docs/benchmarks.md.
"""

import io
import re

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relationships.models import SupportRelationship
from seed import scale

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="EXPLAIN plans are PostgreSQL's; run with DATABASE_URL=postgres://...",
    ),
]

# 50 programs of about 30 relationships and 300 visits each: a program is 2% of the table.
SHAPE = scale.Counts(
    programs=50, mentors=400, proteges=1000, relationships=1500, visits=15_000, goals=1500
)
SEQ_SCAN_OF_VISITS = re.compile(r"Seq Scan on relationships_visit\b")


def visit_plans(client, url: str) -> list[tuple[str, str]]:
    """(sql, plan) for every SELECT the page ran that reads relationships_visit."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if "relationships_visit" in sql and sql.lstrip().upper().startswith("SELECT"):
                cursor.execute("EXPLAIN " + sql)
                plans.append((sql, "\n".join(row[0] for row in cursor.fetchall())))
    return plans


@pytest.fixture
def world():
    scale.build(counts=SHAPE, out=io.StringIO())  # ends with ANALYZE on PostgreSQL
    mentor = User.objects.get(username="bench-mentor")
    relationship = SupportRelationship.objects.select_related("program").get(
        mentor=mentor, protege__username="bench-protege"
    )
    return {
        "coordinator": User.objects.get(username="bench-coordinator"),
        "mentor": mentor,
        "program": relationship.program,
    }


def assert_no_seq_scan_of_visits(plans):
    assert plans, "the page read no visits: the check would prove nothing"
    scanned = [(sql, plan) for sql, plan in plans if SEQ_SCAN_OF_VISITS.search(plan)]
    assert not scanned, "\n\n".join(f"{sql}\n{plan}" for sql, plan in scanned)


def test_the_dashboard_and_the_caseload_do_not_scan_visits(client, world):
    # One test, one world: building it is the slow part.
    client.force_login(world["coordinator"])
    dashboard = reverse("programs:detail", kwargs={"code": world["program"].code})
    assert_no_seq_scan_of_visits(visit_plans(client, dashboard))

    client.force_login(world["mentor"])
    assert_no_seq_scan_of_visits(visit_plans(client, reverse("relationships:caseload")))
