"""The clock has one seam (core/clock.py): no other module of the project reads it directly, so
that "now" and "today" are always the program's, and the tests' pinned clock reaches them all."""

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
APPS = (
    "core",
    "mentoring_site",
    "programs",
    "relationships",
    "goals",
    "reports",
    "privacy",
    "audit",
    "seed",
)
DIRECT = re.compile(
    r"timezone\.(now|localdate|localtime)\b|\blocaldate\(|date\.today\(|datetime\.(now|utcnow)\("
)


def test_nothing_reads_the_clock_but_core_clock():
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path == ROOT / "core" / "clock.py":
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if DIRECT.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []
