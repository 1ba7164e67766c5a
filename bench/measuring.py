"""Measuring a page in this process (steps 3 and 5): its queries and size, timings, query plans."""

from __future__ import annotations

import re
import statistics
import sys
import time
from typing import TYPE_CHECKING

from pages import Page

if TYPE_CHECKING:
    from django.test import Client


def fetch(client: Client, path: str) -> tuple[int, bytes]:
    """The status and the whole body (a streaming answer is read to its end)."""
    response = client.get(path)
    return response.status_code, response.getvalue()


def timed(client: Client, path: str) -> tuple[float, int]:
    started = time.perf_counter()
    status, _ = fetch(client, path)
    return (time.perf_counter() - started) * 1000, status


def p50_p95(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[
        min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))
    ]


def measure_inprocess(
    page: Page, client: Client, iterations: int, warmup: int, bare: Page, bare_client: Client
) -> None:
    """Time the page and the bare page in turns (bare, page, bare, page, ...), so that the
    page's ratio to the bare page compares requests made in the same seconds: a burst of load
    from the machine's other users weighs on both alike."""
    for _ in range(warmup):
        fetch(client, page.path)
        fetch(bare_client, bare.path)
    timings, bare_timings = [], []
    for _ in range(iterations):
        bare_ms, _ = timed(bare_client, bare.path)
        bare_timings.append(bare_ms)
        page_ms, status = timed(client, page.path)
        timings.append(page_ms)
        if status != 200:
            page.errors += 1
    p50, p95 = p50_p95(timings)
    page.p50.append(p50)
    page.p95.append(p95)
    page.bare_p50.append(statistics.median(bare_timings))


def measure_callable(
    page: Page, work, iterations: int, warmup: int, bare: Page, bare_client
) -> None:
    """As `measure_inprocess`, for work that is not a page (the roll-up's figures)."""
    for _ in range(warmup):
        work()
    timings, bare_timings = [], []
    for _ in range(iterations):
        bare_ms, _ = timed(bare_client, bare.path)
        bare_timings.append(bare_ms)
        started = time.perf_counter()
        work()
        timings.append((time.perf_counter() - started) * 1000)
    p50, p95 = p50_p95(timings)
    page.p50.append(p50)
    page.p95.append(p95)
    page.bare_p50.append(statistics.median(bare_timings))


def count_queries(page: Page, client: Client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        status, body = fetch(client, page.path)
    if status != 200:
        sys.exit(f"error: {page.path} as {page.username} answered {status}, not 200.")
    page.queries = len(captured)
    page.kib = len(body) / 1024


# The big tables: a query of a page that reads one of them whole is a defect (issue 16).
WATCHED_TABLES = ("relationships_visit", "relationships_acknowledgement", "goals_goal")
SEQ_SCAN = re.compile(r"Seq Scan on (" + "|".join(WATCHED_TABLES) + r")\b")


def plan_problems(plan: str) -> list[str]:
    """What is wrong with a query plan: a sequential scan of a watched table (a hashed
    subplan over one shows as such a scan too, inside the subplan)."""
    return [f"Seq Scan on {table}" for table in SEQ_SCAN.findall(plan)]


def watched_plans(page: Page, client: Client) -> list[tuple[str, list[str]]]:
    """(sql, problems) for every SELECT of the page that reads a watched table."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fetch(client, page.path)
    found = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not any(table in sql for table in WATCHED_TABLES):
                continue
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            found.append((sql, plan_problems(plan)))
    return found
