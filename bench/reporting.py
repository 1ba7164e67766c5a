"""Step 6: the targets, the report block, and docs/benchmarks.md."""

import datetime
import os
import platform
from dataclasses import dataclass
from pathlib import Path

from environment import ROOT
from options import Options
from pages import Facts, Page

DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"

# Targets (issue 6), checked here, reported in docs/benchmarks.md.
RATIO_TARGET = 10.0
P95_LIST_MS = 40.0
P95_DASHBOARD_MS = 100.0
P95_ROLLUP_MS = 150.0  # issue 16: the roll-up over every program for a year
RSS_GROWTH_TARGET = 0.10
TARGETED_KINDS = ("list", "dashboard", "form", "export", "rollup")
COUNTED_TABLES = (
    "programs_program",
    "auth_user",
    "relationships_supportrelationship",
    "relationships_visit",
    "goals_goal",
    "relationships_acknowledgement",
    "relationships_supportmonth",
)


@dataclass(frozen=True)
class Memory:
    """VmRSS (KiB) of each worker before the request mix, after its first part, at its end."""

    before: list[int]
    at_first: list[int]
    at_end: list[int]
    requests: int
    errors: int

    @property
    def growth(self) -> float:
        return (sum(self.at_end) - sum(self.at_first)) / sum(self.at_first)


@dataclass(frozen=True)
class Results:
    pages: list[Page]
    facts: Facts
    memory: Memory
    # page label: the problems of its queries' plans (a Seq Scan on visits, acknowledgements
    # or goals), with the query
    explain: dict[str, list[str]]
    settings_note: str
    started: datetime.datetime


@dataclass(frozen=True)
class Machine:
    nproc: int | None
    memory: str
    cpu: str
    load: str
    python: str


def machine() -> Machine:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kib = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kib = int(line.split()[1])
    return Machine(
        nproc=os.cpu_count(),
        memory=f"{memory_kib / 1024 / 1024:.1f} GiB",
        cpu=cpu,
        load=" ".join(f"{x:.2f}" for x in os.getloadavg()),
        python=platform.python_version(),
    )


def database_summary() -> tuple[str, dict[str, int]]:
    """The database server's version, and the rows of the main tables."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        server_version = cursor.fetchone()[0].split(",")[0]
        counts = {}
        for table in COUNTED_TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
    return server_version, counts


def fmt(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}"


def introduction(results: Results, options: Options) -> list[str]:
    """The run, the machine, the software, the data and the method."""
    import django

    server_version, counts = database_summary()
    info = machine()
    facts = results.facts
    return [
        f"**Run of {results.started:%Y-%m-%d %H:%M} UTC** — "
        f"`{' '.join(options.argv) or 'make bench'}`",
        "",
        f"- Machine: {info.nproc} CPUs ({info.cpu}), {info.memory} memory; "
        f"load average at the end {info.load} (the cores are shared with the load "
        "generator and the database).",
        f"- Software: {server_version}, Python {info.python}, Django {django.get_version()}, "
        f"gunicorn 2 sync workers, wrk {options.threads} threads / {options.connections} "
        f"connections, {options.duration:g} s per page per run.",
        f"- Data: {counts['programs_program']:,} programs, {counts['auth_user']:,} people, "
        f"{counts['relationships_supportrelationship']:,} relationships, "
        f"{counts['relationships_visit']:,} visits, {counts['goals_goal']:,} goals, "
        f"{counts['relationships_acknowledgement']:,} acknowledgements, "
        f"{counts['relationships_supportmonth']:,} monthly summary rows. The dashboard's "
        f"program has {facts.program_relationships:,} relationships and "
        f"{facts.program_visits:,} visits (the typical program "
        f"{facts.typical_program_relationships:,} relationships); bench-mentor has "
        f"{facts.caseload} open relationships (the typical mentor {facts.typical_caseload}); "
        f"the relationship page has {facts.relationship_visits} visits; "
        f"bench-protege has {facts.protege_logs} logged visits.",
        f"- Method: medians of {options.runs} runs. p50/p95: in-process timing loop (Django "
        f"test Client, {options.warmup} warm-up + {options.iterations} timed requests per page "
        "per run), server side, no network; each request of a page follows one of the bare "
        "page, and ÷ bare divides the page's p50 by the p50 of those bare requests (the median "
        "of the runs' ratios), so a burst of load weighs on both. req/s and errors: wrk "
        "against gunicorn. " + results.settings_note,
    ]


def target_checks(page: Page, bare: Page, admin: Page | None) -> list[tuple[bool, str]]:
    """Each target of a list, dashboard, form or export page: met, and how it stands."""
    ratio_bare = page.ratio
    budget = {"dashboard": P95_DASHBOARD_MS, "export": P95_DASHBOARD_MS}.get(
        page.kind, P95_ROLLUP_MS if page.kind == "rollup" else P95_LIST_MS
    )
    checks = [
        (ratio_bare <= RATIO_TARGET, f"p50 {ratio_bare:.1f}× bare (≤ {RATIO_TARGET:g}×)"),
        (page.p95_ms <= budget, f"p95 {page.p95_ms:.1f} ms (≤ {budget:g} ms)"),
    ]
    if admin:
        ratio_admin = page.p50_ms / admin.p50_ms
        checks.append((ratio_admin < 1, f"p50 {ratio_admin:.2f}× admin (< 1×)"))
    checks.append((page.errors == 0, f"{page.errors} errors"))
    return checks


def verdict(page: Page, bare: Page, admin: Page | None) -> tuple[str, list[str]]:
    """The page's Targets cell, and the targets it missed."""
    if page.kind in TARGETED_KINDS:
        missed = [text for ok, text in target_checks(page, bare, admin) if not ok]
        return ("❌ " + "; ".join(missed) if missed else "✅"), missed
    if page.errors:
        return f"❌ {page.errors} errors", [f"{page.errors} errors"]
    return "", []


def table_row(page: Page, bare: Page, admin: Page | None, targets: str) -> str:
    ratio_admin = f"{page.p50_ms / admin.p50_ms:.2f}×" if admin else ""
    rps_admin = f"{page.rps_median / admin.rps_median:.2f}×" if admin and admin.rps_median else ""
    return (
        f"| {page.label} | {page.queries} | {page.kib:.0f} | {fmt(page.p50_ms)} | "
        f"{fmt(page.p95_ms)} | {fmt(page.rps_median, 0)} | {page.ratio:.1f}× | "
        f"{ratio_admin} | {rps_admin} | {page.errors} | {targets} |"
    )


def table(pages: list[Page]) -> tuple[list[str], list[str]]:
    """The table's lines, and every page's missed targets."""
    by_key = {page.key: page for page in pages}
    bare = by_key["bare"]
    lines = [
        "| Page | Queries | KiB | p50 ms | p95 ms | req/s | ÷ bare (p50) | ÷ admin (p50) "
        "| ÷ admin (req/s) | Errors | Targets |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    misses = []
    for page in pages:
        admin = by_key.get(page.admin)
        targets, missed = verdict(page, bare, admin)
        misses += [f"{page.label}: {text}" for text in missed]
        lines.append(table_row(page, bare, admin, targets))
    return lines, misses


def memory_misses(memory: Memory) -> list[str]:
    misses = []
    if memory.growth > RSS_GROWTH_TARGET:
        misses.append(
            f"worker RSS grew {memory.growth:.1%} between 1,000 and {memory.requests:,} requests"
        )
    if memory.errors:
        misses.append(f"{memory.errors} errors in the memory run")
    return misses


def mib(values: list[int]) -> str:
    return " + ".join(f"{kib / 1024:.1f}" for kib in values)


def memory_line(memory: Memory, app_pages: int) -> str:
    return (
        f"**Worker memory** (VmRSS of the 2 gunicorn workers, a request mix over the "
        f"{app_pages} app pages): before the mix (after the timing runs, so warm) "
        f"{mib(memory.before)} MiB; after 1,000 requests {mib(memory.at_first)} MiB; after "
        f"{memory.requests:,} requests {mib(memory.at_end)} MiB: growth {memory.growth:+.1%} "
        f"(target ≤ {RSS_GROWTH_TARGET:.0%}), {memory.errors} errors."
    )


def explain_line(explain: dict[str, list[str]]) -> str:
    plans = (
        f"{label}: none" if not found else f"{label}: {len(found)} ({'; '.join(found)})"
        for label, found in explain.items()
    )
    return (
        "**EXPLAIN** (every query of these pages that reads visits, acknowledgements or goals, "
        "planned on this database; a sequential scan of one of them, or a hashed subplan "
        "reading one whole, is a defect): " + "; ".join(plans) + "."
    )


def growth_lines(pages: list[Page]) -> list[str]:
    """How the pages timed at two sizes grow with the rows they list."""
    groups: dict[str, list[Page]] = {}
    for page in pages:
        if page.group:
            groups.setdefault(page.group, []).append(page)
    lines = [
        "**Growth with size** (the same page at two sizes, in the same runs):",
        "",
        "| Page | Rows (small → large) | p50 ms (small → large) | ms per 100 more rows "
        "| ÷ bare (small → large) |",
        "|---|---:|---:|---:|---:|",
    ]
    for group in groups.values():
        if len(group) != 2:
            continue
        small, large = sorted(group, key=lambda page: page.rows)
        extra = large.rows - small.rows
        slope = (large.p50_ms - small.p50_ms) / extra * 100 if extra else 0.0
        lines.append(
            f"| {large.label} | {small.rows:,} → {large.rows:,} | {fmt(small.p50_ms)} → "
            f"{fmt(large.p50_ms)} | {slope:.2f} | {small.ratio:.1f}× → {large.ratio:.1f}× |"
        )
    return lines


def explain_misses(explain: dict[str, list[str]]) -> list[str]:
    return [f"{label}: {problem}" for label, found in explain.items() for problem in found]


def report(results: Results, options: Options) -> str:
    """The block between the markers in docs/benchmarks.md."""
    rows, misses = table(results.pages)
    misses += memory_misses(results.memory) + explain_misses(results.explain)
    app_pages = len(
        [page for page in results.pages if page.kind not in ("admin", "rollup", "rollup_count")]
    )
    lines = [
        START,
        "",
        *introduction(results, options),
        "",
        *rows,
        "",
        "Queries: SQL queries of one request. KiB: size of the answer. ÷ bare: the page's p50 "
        "over the p50 of the bare page timed in turns with it (median of the runs). ÷ admin: "
        "over the admin counterpart's (below 1 = faster "
        "than admin); for req/s, above 1 = more requests per second than admin.",
        "",
        *growth_lines(results.pages),
        "",
        memory_line(results.memory, app_pages),
        "",
        explain_line(results.explain),
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
