"""Step 7 of `make bench`: a roster of 2,000 rows, previewed and saved, then imported again
with a change on every row (docs/benchmarks.md, "Roster import"). Targets: a preview under 10 s,
a save under 30 s.

It runs in this process as bench-coordinator, on the first program they coordinate, inside one
transaction that is rolled back at the end: the bench database keeps no trace, and the next run
meets the same world. The preview and the confirmation go through the page (Django's test
Client); the save is what the task worker runs (`roster_import_run`). The emails the save
queues (one `Delivery` insert for all) would be enqueued once it commits: that is after the
save, and not in these figures.
"""

from __future__ import annotations

import datetime
import os
import re
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from environment import log

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.test import Client

ROWS = 2000
PREVIEW_TARGET_S = 10.0
SAVE_TARGET_S = 30.0
START = "<!-- roster:start -->"
END = "<!-- roster:end -->"


@dataclass(frozen=True)
class Step:
    label: str
    seconds: float
    queries: int
    target_s: float | None = None

    @property
    def verdict(self) -> str:
        if self.target_s is None:
            return ""
        return "✅" if self.seconds < self.target_s else f"❌ (≥ {self.target_s:g} s)"


def roster_text(run: str, supporting: str, stage: str) -> str:
    """2,000 rows: 400 mentors or coaches, 1,400 protégés, 200 supervisors without an account,
    each named by seven of the protégés."""
    from programs.roster import COLUMNS

    lines = [",".join(COLUMNS)]
    for i in range(ROWS // 10):
        base = f"bench-roster-{run}-{i}"
        sup = f"{base}-sup@example.org"
        lines.append(f"supervisor,Sup{i},Head,{sup},,,,,,,,,,")
        for j in range(2):
            lines.append(
                f"{supporting},M{i}-{j},Lopez,{base}-m{j}@example.org,By choice,,,,,,yes,7,"
                "preschool; kindergarten,6"
            )
        for j in range(7):
            lines.append(
                f"protégé,P{i}-{j},Okafor,{base}-p{j}@example.org,Required by the job,,"
                f"Lead teacher,{stage},kindergarten,{sup},,,,"
            )
    return "\n".join(lines) + "\n"


def _timed(label: str, action, target_s: float | None = None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        result = action()
        seconds = time.perf_counter() - started
    step = Step(label, seconds, len(captured), target_s)
    log(f"  {label:<44} {seconds:6.2f} s  {len(captured):4d} queries  {step.verdict}")
    return step, result


def _import(client: Client, program, text: str, which: str) -> list[Step]:
    """Preview `text` through the page, confirm it, and save it as the worker does."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from programs.models import RosterImport
    from programs.roster import roster_import_run

    url = reverse("programs:roster_import", kwargs={"code": program.code})
    upload = SimpleUploadedFile("roster.csv", text.encode(), content_type="text/csv")
    preview, response = _timed(
        f"{which}: preview", lambda: client.post(url, {"file": upload}), PREVIEW_TARGET_S
    )
    page = response.content.decode()
    if response.status_code != 200 or 'name="confirm"' not in page:
        problems = re.findall(r"<li>([^<]*)</li>", page)[:5]
        raise SystemExit(f"error: the roster's preview ({which}) found problems: {problems}")
    confirm, response = _timed(
        f"{which}: confirm (check again, store)",
        lambda: client.post(url, {"confirm": "1", "text": text}),
    )
    job = RosterImport.objects.filter(program=program).order_by("-pk").first()
    if response.status_code != 302 or job is None:
        raise SystemExit(f"error: confirming the roster ({which}) did not queue it.")
    save, status = _timed(
        f"{which}: save (the worker)", lambda: roster_import_run(import_id=job.pk), SAVE_TARGET_S
    )
    if status != "done":
        job.refresh_from_db()
        raise SystemExit(f"error: the roster's save ({which}) failed: {job.error}")
    return [preview, confirm, save]


def measure_roster(people: dict[str, User]) -> list[Step]:
    """Import 2,000 new people, then the same roster again with every protégé a year on and
    every mentor's details changed; all rolled back."""
    from django.db import transaction
    from pages import client_for

    from programs.models import Program

    coordinator = people["bench-coordinator"]
    program = Program.objects.filter(coordinators=coordinator).order_by("pk").first()
    if program is None:
        raise SystemExit("error: bench-coordinator coordinates no program.")
    client = client_for("bench-coordinator", people)
    supporting = "mentor or coach"
    run = uuid.uuid4().hex[:6]  # tags the addresses of this run (rolled back at the end)
    log(f"Roster import: {ROWS:,} rows into {program.name}")
    with transaction.atomic():
        steps = _import(client, program, roster_text(run, supporting, "resident 1"), "New roster")
        again = roster_text(run, supporting, "resident 2").replace(",yes,7,", ",no,8,")
        steps += _import(client, program, again, "Same roster again, every row changed")
        transaction.set_rollback(True)
    return steps


def roster_block(steps: list[Step], when: datetime.datetime) -> str:
    lines = [
        START,
        "",
        f"**Run of {when:%Y-%m-%d %H:%M} UTC** — {ROWS:,} rows (200 supervisors without an "
        "account, 400 mentors or coaches, 1,400 protégés naming them), into the bench "
        "coordinator's first program, rolled back afterwards. Load average at the end "
        + " ".join(f"{load:.2f}" for load in os.getloadavg())
        + " on 2 shared cores.",
        "",
        "| Step | Seconds | Queries | Target |",
        "|---|---:|---:|---|",
    ]
    for step in steps:
        target = f"< {step.target_s:g} s {step.verdict}" if step.target_s else ""
        lines.append(f"| {step.label} | {step.seconds:.2f} | {step.queries} | {target} |")
    lines += ["", END]
    return "\n".join(lines)


def write_roster_doc(block: str) -> None:
    from reporting import DOC

    text = DOC.read_text()
    if START in text and END in text:
        head, rest = text.split(START, 1)
        _, tail = rest.split(END, 1)
        DOC.write_text(head + block + tail)
    else:
        DOC.write_text(text.rstrip() + "\n\n## Roster import\n\n" + block + "\n")
