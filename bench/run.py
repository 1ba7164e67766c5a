"""`make bench`: how fast the key pages are on the state-wide scale world, under gunicorn.

    .venv/bin/python bench/run.py                 # what `make bench` runs
    .venv/bin/python bench/run.py --quick         # one short run, to try the harness

Steps (each printed as it happens):

1. Prepare the database named by BENCH_DATABASE_URL or --database-url (default
   postgres://postgres@127.0.0.1:5432/mentoring_bench, apart from everyone's `mentoring`):
   create it if missing, migrate, `seed_scale --scale $BENCH_SCALE --program-size
   $BENCH_PROGRAM_SIZE --caseload $BENCH_CASELOAD` when it holds no scale data yet, and
   `collectstatic` (DEBUG is off, so the manifest storage is in use).
2. Start gunicorn (2 sync workers, `--no-control-socket`, 127.0.0.1 on a free port) with
   production-like settings: DJANGO_DEBUG=false, a bench-only secret key, no SSL redirect.
3. Three runs; in each, for every page: an in-process timing loop (Django's test Client in
   this process against the same database, warm-up then N timed requests: server-side p50 and
   p95), each request following one of the bare page (the help page: same layout, no queries
   of its own), so that the page's ratio to the bare page compares requests of the same
   seconds; then wrk against gunicorn for a few seconds (requests per second, errors). The
   Django admin changelist of the same objects is measured in the same runs. The dashboard,
   the caseload and the export are timed at two sizes (the big program and bench-mentor, a
   typical program and mentor). The leaders' roll-up over every program for a year is timed
   twice: as the page a leader opens (`/leaders/`, which reads the kept count:
   reports/rollup/stored.py), and as the count itself (`build_rollup`, a function, fewer
   times: it is what the task worker does when something counted changes). Figures are
   medians of the runs.
4. Worker memory: VmRSS of both workers after start, after 1,000 and after 10,000 requests
   spread over the key pages.
5. EXPLAIN every query of the key pages (the dashboard and the caseload at both sizes) that
   reads visits, acknowledgements or goals, and look for a sequential scan of those tables.
6. Print the table and write it, with the machine and the date, into docs/benchmarks.md
   (between the `bench:start` and `bench:end` markers; the prose around them is kept).
7. A roster of 2,000 rows, previewed, confirmed and saved, then imported again with every row
   changed, in one transaction rolled back (roster.py); its table goes between the
   `roster:start` and `roster:end` markers. `--roster-only` runs steps 1 and 7 alone.

This file runs the steps; the rest of bench/ does them: environment.py (settings, step 1),
pages.py (the pages and their data), measuring.py (in-process timings, query counts,
EXPLAIN), serving.py (gunicorn, wrk, the memory mix), reporting.py (targets, the report),
roster.py (the roster import) and options.py (the command line). They import one another by
name, as modules beside the script.
"""

from __future__ import annotations

import datetime
import os
import shutil
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from environment import ROOT, bench_env, log, prepare
from measuring import count_queries, measure_callable, measure_inprocess, watched_plans
from options import Options, parse_options
from pages import Page, build_pages, client_for
from reporting import DOC, Memory, Results, report, write_doc
from roster import measure_roster, roster_block, write_roster_doc
from serving import Server, run_mix, wrk

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.test import Client

# The roll-up's count, timed as a function and fewer times (seconds each at full scale).
COUNT = "rollup_count"
COUNT_ITERATIONS = 3
ROLLUP_LABEL = "Roll-up page (all programs, a year; kept count)"
COUNT_LABEL = "Roll-up counted afresh (the task worker's part)"


def sign_in(pages: list[Page], people: dict[str, User]) -> dict[str, Client]:
    """A signed-in test client per user; each page gets its user's session cookie and its
    query count and size. An optional page that does not answer 200 is left out."""
    clients: dict[str, Client] = {}
    for page in list(pages):
        if page.kind == COUNT:
            continue
        if page.username not in clients:
            clients[page.username] = client_for(page.username, people)
        page.cookie = f"sessionid={clients[page.username].cookies['sessionid'].value}"
        if page.optional and clients[page.username].get(page.path).status_code != 200:
            log(f"  {page.label}: not answering 200, left out")
            pages.remove(page)
            continue
        count_queries(page, clients[page.username])
    log("Pages: " + ", ".join(f"{p.key} ({p.queries} queries)" for p in pages))
    return clients


def check_pages(server: Server, pages: list[Page]) -> None:
    for page in served(pages):
        status = server.check(page.path, page.cookie)
        if status != 200:
            sys.exit(f"error: gunicorn answered {status} for {page.path} ({page.username}).")


def served(pages: list[Page]) -> list[Page]:
    """The pages gunicorn serves (all but the roll-up's count, timed as a function)."""
    return [page for page in pages if page.kind != COUNT]


def timing_line(page: Page) -> str:
    """This run's figures of a page, with its ratio to the bare page timed in turns with it."""
    return (
        f"  {page.label:<40} p50 {page.p50[-1]:7.1f} ms  p95 {page.p95[-1]:7.1f} ms"
        f"  bare {page.bare_p50[-1]:5.1f} ms  ÷ bare {page.p50[-1] / page.bare_p50[-1]:5.1f}×"
    )


def timing_runs(
    server: Server,
    pages: list[Page],
    clients: dict[str, Client],
    options: Options,
    rollup: Callable[[], object] | None,
) -> None:
    bare = next(page for page in pages if page.key == "bare")
    bare_client = clients[bare.username]
    for run in range(1, options.runs + 1):
        log(f"Run {run}/{options.runs} (each page timed in turns with the bare page)")
        for page in pages:
            if page.kind == COUNT:
                assert rollup is not None
                iterations = min(options.iterations, COUNT_ITERATIONS)
                measure_callable(page, rollup, iterations, 0, bare, bare_client)
                log(timing_line(page))
                continue
            measure_inprocess(
                page, clients[page.username], options.iterations, options.warmup, bare, bare_client
            )
            rps, errors, _ = wrk(
                server.base + page.path,
                page.cookie,
                options.duration,
                options.threads,
                options.connections,
            )
            page.rps.append(rps)
            page.errors += errors
            log(f"{timing_line(page)}  {rps:8.1f} req/s  errors {errors}")


def memory_run(server: Server, pages: list[Page], options: Options) -> Memory:
    app_pages = [page for page in served(pages) if page.kind != "admin"]
    log(f"Memory: {options.rss_requests:,} requests over {len(app_pages)} pages")
    before = server.rss_kib()
    first = min(1000, options.rss_requests // 10)
    n1, e1 = run_mix(server, app_pages, first, options.connections)
    at_first = server.rss_kib()
    n2, e2 = run_mix(server, app_pages, options.rss_requests - n1, options.connections)
    at_end = server.rss_kib()
    log(f"  RSS KiB {before} -> {at_first} ({n1} req) -> {at_end} ({n1 + n2} req)")
    return Memory(before, at_first, at_end, requests=n1 + n2, errors=e1 + e2)


def under_gunicorn(
    pages: list[Page],
    clients: dict[str, Client],
    options: Options,
    rollup: Callable[[], object] | None,
) -> Memory:
    """Steps 3 and 4: the timing runs, then the memory run, with gunicorn up."""
    server = Server(bench_env(options.database_url))
    try:
        check_pages(server, pages)
        timing_runs(server, pages, clients, options, rollup)
        return memory_run(server, pages, options)
    finally:
        server.stop()


EXPLAINED = (
    "dashboard",
    "dashboard_typical",
    "caseload",
    "caseload_typical",
    "relationship",
    "feedback",
    "home_mentor",
    "home_protege",
)


def explain(pages: list[Page], clients: dict[str, Client]) -> dict[str, list[str]]:
    """Step 5, on PostgreSQL: the queries of the key pages, at both sizes, that scan visits,
    acknowledgements or goals sequentially."""
    from django.db import connection

    found: dict[str, list[str]] = {}
    if connection.vendor == "postgresql":
        for page in pages:
            if page.key not in EXPLAINED:
                continue
            found[page.label] = []
            for sql, problems in watched_plans(page, clients[page.username]):
                for problem in problems:
                    found[page.label].append(f"{problem}: {sql[:160]}")
                    log(f"  {problem} in {page.label}: {sql[:160]}")
    return found


def rollup_figures() -> tuple[str, Callable[[], object]]:
    """The roll-up over every program for the last twelve calendar months, this one to date
    (the month a period cuts is read from the visits, the eleven whole ones from the monthly
    summaries), for bench-admin, who leads every top-level organization: the page's path,
    and the count as a function."""
    import datetime as dt

    from django.contrib.auth.models import User
    from django.utils.http import urlencode

    from core import clock
    from programs.models import Organization, OrganizationLeader
    from reports.rollup.figures import build_rollup
    from reports.rollup.filters import Filters
    from reports.rollup.scope import leader_scope

    today = clock.today()
    admin = User.objects.get(username="bench-admin")
    for root in Organization.objects.filter(parent__isnull=True):
        OrganizationLeader.objects.get_or_create(organization=root, user=admin)
    first = today.replace(day=1)
    for _ in range(11):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    filters = Filters(starts_on=first, ends_on=today)
    scope = leader_scope(admin)
    assert scope is not None
    path = "/leaders/?" + urlencode(filters.as_query())
    return path, lambda: build_rollup(scope, filters, today=today)


def main(argv: list[str]) -> int:
    options = parse_options(argv, description=(__doc__ or "").split("\n")[0])
    log(f"Database: {options.database_url}")
    if not options.roster_only and not shutil.which("wrk"):
        sys.exit("error: wrk is not installed (apt-get install -y wrk).")
    started = datetime.datetime.now(datetime.UTC)
    clock = time.monotonic()
    if not options.skip_prepare:
        prepare(options.database_url, options.scale, options.program_size, options.caseload)

    os.environ.update(bench_env(options.database_url))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()

    if options.roster_only:
        return roster_step(options, started)
    pages, facts, people = build_pages()
    rollup_path, rollup = rollup_figures()
    pages.append(Page("rollup", ROLLUP_LABEL, "bench-admin", rollup_path, "rollup"))
    pages.append(Page("rollup_count", COUNT_LABEL, "bench-admin", "", COUNT))
    clients = sign_in(pages, people)
    memory = under_gunicorn(pages, clients, options, rollup)
    plans = explain(pages, clients)
    settings_note = (
        "Settings: DJANGO_DEBUG=false, bench secret key, no SSL redirect, static files from "
        "collectstatic (manifest storage), persistent database connections (CONN_MAX_AGE 60). "
        f"Total bench time {time.monotonic() - clock:.0f} s."
    )
    block = report(Results(pages, facts, memory, plans, settings_note, started), options)
    print()
    print(block)
    if not options.no_write:
        write_doc(block)
        log(f"Wrote {DOC.relative_to(ROOT)}")
    return roster_step(options, started)


def roster_step(options: Options, started: datetime.datetime) -> int:
    """Step 7: the roster import, measured and written into docs/benchmarks.md."""
    from pages import bench_people

    block = roster_block(measure_roster(bench_people()), started)
    print()
    print(block)
    if not options.no_write:
        write_roster_doc(block)
        log(f"Wrote the roster import's figures into {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
