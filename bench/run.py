"""`make bench`: how fast the key pages are on the state-wide scale world, under gunicorn.

    .venv/bin/python bench/run.py                 # what `make bench` runs
    .venv/bin/python bench/run.py --quick         # one short run, to try the harness

Steps (each printed as it happens):

1. Prepare the database named by BENCH_DATABASE_URL or --database-url (default
   postgres://postgres@127.0.0.1:5432/mentoring_bench, apart from everyone's `mentoring`):
   create it if missing, migrate, `seed_scale --scale $BENCH_SCALE` when it holds no scale
   data yet, and `collectstatic` (DEBUG is off, so the manifest storage is in use).
2. Start gunicorn (2 sync workers, `--no-control-socket`, 127.0.0.1 on a free port) with
   production-like settings: DJANGO_DEBUG=false, a bench-only secret key, no SSL redirect.
3. Three runs; in each, for every page: an in-process timing loop (Django's test Client in
   this process against the same database, warm-up then N timed requests: server-side p50 and
   p95), then wrk against gunicorn for a few seconds (requests per second, errors). The bare
   page (the help page: same layout, no queries of its own) and the Django admin changelist
   of the same objects are measured in the same runs. Figures are medians of the runs.
4. Worker memory: VmRSS of both workers after start, after 1,000 and after 10,000 requests
   spread over the key pages.
5. EXPLAIN every query of the coordinator dashboard and of the caseload, and look for a
   sequential scan of the visits table.
6. Print the table and write it, with the machine and the date, into docs/benchmarks.md
   (between the `bench:start` and `bench:end` markers; the prose around them is kept).
"""

import argparse
import datetime
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/mentoring_bench"
# Signs nothing outside this benchmark; the bench users have no usable password anyway.
BENCH_SECRET_KEY = "bench-only-secret-key-3f9c1a7e5b2d8f4c6a0e9b1d7f3a5c8e2b4d6f0a"
BENCH_FIELD_ENCRYPTION_KEY = "YmVuY2gtb25seS1maWVsZC1rZXktbm90LXNlY3JldCE="
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"

# Targets (issue 6), checked here, reported in docs/benchmarks.md.
RATIO_TARGET = 10.0
P95_LIST_MS = 40.0
P95_DASHBOARD_MS = 100.0
RSS_GROWTH_TARGET = 0.10


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}] {message}", flush=True)


def bench_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="mentoring_site.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=BENCH_SECRET_KEY,
        DJANGO_FIELD_ENCRYPTION_KEY=BENCH_FIELD_ENCRYPTION_KEY,
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_COOKIES="false",
        WHITENOISE_USE_FINDERS="false",
        DJANGO_LOG_LEVEL="ERROR",
        PYTHONPATH=str(ROOT),
    )
    return env


# 1. The database ------------------------------------------------------------------------------


def ensure_database(database_url: str) -> None:
    parts = urlsplit(database_url)
    if not parts.scheme.startswith("postgres"):
        log(f"warning: {parts.scheme} is not PostgreSQL; the targets are for PostgreSQL.")
        return
    import psycopg2

    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl()
    connection = psycopg2.connect(maintenance)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            log(f"Creating database {name}")
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True)


def prepare(database_url: str, scale: float) -> None:
    env = bench_env(database_url)
    ensure_database(database_url)
    log("migrate")
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    probe = "from seed.scale import existing_scale_data as e; import sys; sys.exit(0 if e() else 1)"
    present = (
        subprocess.run(
            [PYTHON, "-c", f"import django; django.setup(); {probe}"], env=env, cwd=ROOT
        ).returncode
        == 0
    )
    if present:
        log("Scale data already present: not seeding again.")
    else:
        log(f"seed_scale --scale {scale:g}")
        manage(env, "seed_scale", "--scale", str(scale))
    log("collectstatic")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")


# 2. Pages --------------------------------------------------------------------------------------


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


def build_pages() -> tuple[list[Page], dict]:
    from django.contrib.auth.models import User
    from django.urls import reverse

    from relationships.models import SupportRelationship, Visit

    people = {u.username: u for u in User.objects.filter(username__startswith="bench-")}
    missing = {"bench-coordinator", "bench-mentor", "bench-protege", "bench-admin"} - set(people)
    if missing:
        sys.exit(f"error: the bench users {sorted(missing)} are missing: run seed_scale first.")
    mentor, protege = people["bench-mentor"], people["bench-protege"]
    relationship = SupportRelationship.objects.select_related("program").get(
        mentor=mentor, protege=protege
    )
    program = relationship.program
    supported = list(
        SupportRelationship.objects.filter(protege=protege).values_list("pk", flat=True)
    )
    facts = {
        "program": program.name,
        "program_relationships": program.relationships.count(),
        "program_visits": Visit.objects.filter(relationship__program=program).count(),
        "caseload": SupportRelationship.objects.open().filter(mentor=mentor).count(),
        "relationship_visits": relationship.visits.count(),
        "protege_logs": Visit.objects.logged().filter(relationship__in=supported).count(),
    }
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
    return pages, {**facts, "people": people}


def client_for(username: str, people: dict):
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1", raise_request_exception=False)
    client.force_login(people[username], backend="django.contrib.auth.backends.ModelBackend")
    return client


def fetch(client, path: str) -> tuple[int, bytes]:
    response = client.get(path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body


def measure_inprocess(page: Page, client, iterations: int, warmup: int) -> None:
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


def count_queries(page: Page, client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        status, body = fetch(client, page.path)
    if status != 200:
        sys.exit(f"error: {page.path} as {page.username} answered {status}, not 200.")
    page.queries = len(captured)
    page.kib = len(body) / 1024


# 3. gunicorn and wrk ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


class Server:
    def __init__(self, env: dict, workers: int = 2):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        gunicorn = shutil.which("gunicorn", path=str(Path(PYTHON).parent)) or "gunicorn"
        self.process = subprocess.Popen(
            [
                gunicorn,
                "mentoring_site.wsgi",
                "--workers",
                str(workers),
                "--no-control-socket",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/help/coaching-mentoring-supervision/"):
                    pass
                if len(self.workers()) == workers:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        sys.exit("error: gunicorn did not start within 60 s.")

    def workers(self) -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == self.process.pid:
                found.append(int(entry.name))
        return sorted(found)

    def rss_kib(self) -> list[int]:
        values = []
        for pid in self.workers():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    values.append(int(line.split()[1]))
        return values

    def check(self, path: str, cookie: str) -> int:
        """One GET with the session cookie; the status, redirects not followed."""
        request = urllib.request.Request(self.base + path, headers={"Cookie": cookie})
        try:
            with _OPENER.open(request, timeout=30) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return 0

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


WRK_NUMBERS = re.compile(r"Requests/sec:\s+([\d.]+)")
WRK_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
WRK_NON2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")


def wrk(url: str, cookie: str, seconds: float, threads: int, connections: int, script=None):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if script:
        command += ["-s", script]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(WRK_NUMBERS.search(output).group(1))
    errors = 0
    if match := WRK_ERRORS.search(output):
        errors += sum(int(n) for n in match.groups())
    if match := WRK_NON2XX.search(output):
        errors += int(match.group(1))
    return rps, errors, output


def run_mix(server: Server, pages: list[Page], total: int, workers: int) -> tuple[int, int]:
    """`total` requests spread round-robin over the pages, from `workers` client threads.

    A small Python client rather than wrk: wrk stops on time, not on a request count, and a
    wrk thread stopped early leaves connections open that hold gunicorn's sync workers.
    """
    import itertools
    import threading

    counter = itertools.count()
    errors = []
    lock = threading.Lock()

    def work():
        while (n := next(counter)) < total:
            page = pages[n % len(pages)]
            status = server.check(page.path, page.cookie)
            if status != 200:
                with lock:
                    errors.append((page.path, status))

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return total, len(errors)


# 4. EXPLAIN ----------------------------------------------------------------------------------


def seq_scans_of_visits(page: Page, client) -> list[str]:
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


# 5. Report -------------------------------------------------------------------------------------


def machine() -> dict:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kib = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kib = int(line.split()[1])
    return {
        "nproc": os.cpu_count(),
        "memory": f"{memory_kib / 1024 / 1024:.1f} GiB",
        "cpu": cpu,
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "python": platform.python_version(),
    }


def fmt(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}"


def report(pages, facts, rss, mix, explain, settings_note, started, args) -> str:
    import django
    from django.db import connection

    by_key = {page.key: page for page in pages}
    bare = by_key["bare"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        server_version = cursor.fetchone()[0].split(",")[0]
        counts = {}
        for table in (
            "programs_program",
            "auth_user",
            "relationships_supportrelationship",
            "relationships_visit",
            "goals_goal",
            "relationships_acknowledgement",
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
    info = machine()
    lines = [
        START,
        "",
        f"**Run of {started:%Y-%m-%d %H:%M} UTC** — `{' '.join(args.argv) or 'make bench'}`",
        "",
        f"- Machine: {info['nproc']} CPUs ({info['cpu']}), {info['memory']} memory; "
        f"load average at the end {info['load']} (the cores are shared with the load "
        "generator and the database).",
        f"- Software: {server_version}, Python {info['python']}, Django {django.get_version()}, "
        f"gunicorn 2 sync workers, wrk {args.threads} threads / {args.connections} connections, "
        f"{args.duration:g} s per page per run.",
        f"- Data: {counts['programs_program']:,} programs, {counts['auth_user']:,} people, "
        f"{counts['relationships_supportrelationship']:,} relationships, "
        f"{counts['relationships_visit']:,} visits, {counts['goals_goal']:,} goals, "
        f"{counts['relationships_acknowledgement']:,} acknowledgements. The dashboard's "
        f"program has {facts['program_relationships']:,} relationships and "
        f"{facts['program_visits']:,} visits; bench-mentor has {facts['caseload']} open "
        f"relationships; the relationship page has {facts['relationship_visits']} visits; "
        f"bench-protege has {facts['protege_logs']} logged visits.",
        f"- Method: medians of {args.runs} runs. p50/p95: in-process timing loop (Django test "
        f"Client, {args.warmup} warm-up + {args.iterations} timed requests per page per run), "
        "server side, no network. req/s and errors: wrk against gunicorn. " + settings_note,
        "",
        "| Page | Queries | KiB | p50 ms | p95 ms | req/s | ÷ bare (p50) | ÷ admin (p50) "
        "| ÷ admin (req/s) | Errors | Targets |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    misses = []
    for page in pages:
        admin = by_key.get(page.admin)
        ratio_bare = page.p50_ms / bare.p50_ms
        ratio_admin = page.p50_ms / admin.p50_ms if admin else None
        rps_admin = page.rps_median / admin.rps_median if admin and admin.rps_median else None
        verdicts = []
        if page.kind in ("list", "dashboard", "form", "export"):
            budget = P95_DASHBOARD_MS if page.kind in ("dashboard", "export") else P95_LIST_MS
            checks = [
                (ratio_bare <= RATIO_TARGET, f"p50 {ratio_bare:.1f}× bare (≤ {RATIO_TARGET:g}×)"),
                (page.p95_ms <= budget, f"p95 {page.p95_ms:.1f} ms (≤ {budget:g} ms)"),
            ]
            if admin:
                checks.append((ratio_admin < 1, f"p50 {ratio_admin:.2f}× admin (< 1×)"))
            checks.append((page.errors == 0, f"{page.errors} errors"))
            for ok, text in checks:
                if not ok:
                    misses.append(f"{page.label}: {text}")
            verdicts.append(
                "✅"
                if all(ok for ok, _ in checks)
                else "❌ " + "; ".join(text for ok, text in checks if not ok)
            )
        elif page.errors:
            misses.append(f"{page.label}: {page.errors} errors")
            verdicts.append(f"❌ {page.errors} errors")
        lines.append(
            f"| {page.label} | {page.queries} | {page.kib:.0f} | {fmt(page.p50_ms)} | "
            f"{fmt(page.p95_ms)} | {fmt(page.rps_median, 0)} | {ratio_bare:.1f}× | "
            f"{'' if ratio_admin is None else f'{ratio_admin:.2f}×'} | "
            f"{'' if rps_admin is None else f'{rps_admin:.2f}×'} | {page.errors} | "
            f"{' '.join(verdicts)} |"
        )
    before, at_1000, at_end = rss
    growth = (sum(at_end) - sum(at_1000)) / sum(at_1000)
    total, mix_errors = mix
    if growth > RSS_GROWTH_TARGET:
        misses.append(f"worker RSS grew {growth:.1%} between 1,000 and {total:,} requests")
    if mix_errors:
        misses.append(f"{mix_errors} errors in the memory run")
    lines += [
        "",
        "Queries: SQL queries of one request. KiB: size of the answer. ÷ bare: the page's p50 "
        "over the bare page's p50. ÷ admin: over the admin counterpart's (below 1 = faster "
        "than admin); for req/s, above 1 = more requests per second than admin.",
        "",
        f"**Worker memory** (VmRSS of the 2 gunicorn workers, a request mix over the "
        f"{len([p for p in pages if p.kind != 'admin'])} app pages): before the mix (after the "
        "timing runs, so warm) "
        f"{' + '.join(f'{k / 1024:.1f}' for k in before)} MiB; after 1,000 requests "
        f"{' + '.join(f'{k / 1024:.1f}' for k in at_1000)} MiB; after {total:,} requests "
        f"{' + '.join(f'{k / 1024:.1f}' for k in at_end)} MiB: growth {growth:+.1%} "
        f"(target ≤ {RSS_GROWTH_TARGET:.0%}), {mix_errors} errors.",
        "",
        "**EXPLAIN** (every query of the page that reads relationships_visit, planned on this "
        "database): "
        + "; ".join(
            f"{label}: {'no Seq Scan on relationships_visit' if not found else 'SEQ SCAN in ' + str(len(found)) + ' queries'}"  # noqa: E501
            for label, found in explain.items()
        )
        + ".",
        "",
        "**Targets missed in this run:** " + ("; ".join(misses) if misses else "none") + ".",
        "",
        END,
    ]
    return "\n".join(lines)


def write_doc(block: str) -> None:
    if DOC.exists():
        text = DOC.read_text()
        if START in text and END in text:
            head, rest = text.split(START, 1)
            _, tail = rest.split(END, 1)
            DOC.write_text(head + block + tail)
            return
        DOC.write_text(text.rstrip() + "\n\n## Latest run\n\n" + block + "\n")
        return
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text("# Benchmarks\n\n## Latest run\n\n" + block + "\n")


# Main -----------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL,
        help="Default: $BENCH_DATABASE_URL, else " + DEFAULT_DATABASE_URL,
    )
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE") or 1.0))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--iterations", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rss-requests", type=int, default=10_000)
    parser.add_argument("--no-write", action="store_true", help="Do not touch docs/benchmarks.md")
    parser.add_argument("--skip-prepare", action="store_true")
    parser.add_argument(
        "--quick", action="store_true", help="1 run, 10 iterations, 2 s, 1,500 requests"
    )
    args = parser.parse_args(argv)
    args.argv = ["bench/run.py", *argv]
    if args.quick:
        args.runs, args.iterations, args.duration, args.rss_requests = 1, 10, 2.0, 1500
    database_url = args.database_url
    log(f"Database: {database_url}")
    if not shutil.which("wrk"):
        sys.exit("error: wrk is not installed (apt-get install -y wrk).")
    started = datetime.datetime.now(datetime.UTC)
    clock = time.monotonic()
    if not args.skip_prepare:
        prepare(database_url, args.scale)

    os.environ.update(bench_env(database_url))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()

    pages, facts = build_pages()
    people = facts.pop("people")
    clients = {}
    for page in pages:
        if page.username not in clients:
            clients[page.username] = client_for(page.username, people)
        page.cookie = f"sessionid={clients[page.username].cookies['sessionid'].value}"
        count_queries(page, clients[page.username])
    log("Pages: " + ", ".join(f"{p.key} ({p.queries} queries)" for p in pages))

    server = Server(bench_env(database_url))
    try:
        for page in pages:
            status = server.check(page.path, page.cookie)
            if status != 200:
                sys.exit(f"error: gunicorn answered {status} for {page.path} ({page.username}).")
        for run in range(1, args.runs + 1):
            log(f"Run {run}/{args.runs}")
            for page in pages:
                measure_inprocess(page, clients[page.username], args.iterations, args.warmup)
                rps, errors, _ = wrk(
                    server.base + page.path,
                    page.cookie,
                    args.duration,
                    args.threads,
                    args.connections,
                )
                page.rps.append(rps)
                page.errors += errors
                log(
                    f"  {page.label:<34} p50 {page.p50[-1]:7.1f} ms  p95 {page.p95[-1]:7.1f} ms"
                    f"  {rps:8.1f} req/s  errors {errors}"
                )
        app_pages = [page for page in pages if page.kind != "admin"]
        log(f"Memory: {args.rss_requests:,} requests over {len(app_pages)} pages")
        before = server.rss_kib()
        first = min(1000, args.rss_requests // 10)
        n1, e1 = run_mix(server, app_pages, first, args.connections)
        at_first = server.rss_kib()
        n2, e2 = run_mix(server, app_pages, args.rss_requests - n1, args.connections)
        at_end = server.rss_kib()
        log(f"  RSS KiB {before} -> {at_first} ({n1} req) -> {at_end} ({n1 + n2} req)")
    finally:
        server.stop()

    explain = {}
    from django.db import connection

    if connection.vendor == "postgresql":
        for key in ("dashboard", "caseload"):
            page = next(p for p in pages if p.key == key)
            explain[page.label] = seq_scans_of_visits(page, clients[page.username])
            for sql in explain[page.label]:
                log(f"  Seq Scan on relationships_visit in {page.label}: {sql}")
    settings_note = (
        "Settings: DJANGO_DEBUG=false, bench secret key, no SSL redirect, static files from "
        "collectstatic (manifest storage), persistent database connections (CONN_MAX_AGE 60). "
        f"Total bench time {time.monotonic() - clock:.0f} s."
    )
    block = report(
        pages,
        facts,
        (before, at_first, at_end),
        (n1 + n2, e1 + e2),
        explain,
        settings_note,
        started,
        args,
    )
    print()
    print(block)
    if not args.no_write:
        write_doc(block)
        log(f"Wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
