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


def measure_inprocess(page: Page, client: Client, iterations: int, warmup: int) -> None:
    for _ in range(warmup):
        fetch(client, page.path)
    timings = []
    for _ in range(iterations):
        started = time.perf_counter()
        status, _ = fetch(client, page.path)
        timings.append((time.perf_counter() - started) * 1000)
        if status != 200:
            page.errors += 1
    timings.sort()
    page.p50.append(statistics.median(timings))
    page.p95.append(timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))])


def count_queries(page: Page, client: Client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        status, body = fetch(client, page.path)
    if status != 200:
        sys.exit(f"error: {page.path} as {page.username} answered {status}, not 200.")
    page.queries = len(captured)
    page.kib = len(body) / 1024


def seq_scans_of_visits(page: Page, client: Client) -> list[str]:
    """The page's queries whose plan scans relationships_visit sequentially."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fetch(client, page.path)
    found = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if "relationships_visit" not in sql or not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            if re.search(r"Seq Scan on relationships_visit\b", plan):
                found.append(sql[:160])
    return found
