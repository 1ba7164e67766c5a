"""Saving a confirmed roster in the background: the confirm page stores the checked rows in a
`RosterImport` and enqueues `programs.tasks.roster_import_save` once that write commits; the
worker checks the rows again against the database and saves every row or none, in one
transaction, then records the counts or what stopped it. The emails the save queues are sent
once it has committed (the outbox)."""

import logging

from django.contrib.auth.models import User
from django.db import transaction

from core import clock
from programs.models import Program, RosterImport
from programs.roster.preview import RosterPreview, recheck, stored_rows
from programs.roster.saving import save_rows

logger = logging.getLogger(__name__)


def roster_import_queue(*, program: Program, result: RosterPreview, by: User) -> RosterImport:
    """Store a checked roster to be saved by the task worker, once this write commits."""
    from programs.tasks import roster_import_save

    with transaction.atomic():
        job = RosterImport.objects.create(
            program=program,
            uploaded_by=by,
            row_count=len(result.rows),
            rows=stored_rows(result),
        )
        transaction.on_commit(lambda: roster_import_save.enqueue(job.pk))
    return job


def _claim(import_id: int) -> RosterImport | None:
    """Lock the import and mark it as being saved; None if it is not waiting to be saved."""
    with transaction.atomic():
        job = (
            RosterImport.objects.select_for_update(of=("self",))
            .select_related("program", "program__sponsor", "uploaded_by")
            .filter(pk=import_id, status=RosterImport.Status.QUEUED)
            .first()
        )
        if job is None:
            return None
        job.status = RosterImport.Status.RUNNING
        job.save(update_fields=["status"])
    return job


def _finish(job: RosterImport, status: str, **fields) -> None:
    """Record how the import ended, and forget its rows."""
    job.status = status
    job.finished_at = clock.now()
    job.rows = []
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=["status", "finished_at", "rows", *fields])


def roster_import_run(*, import_id: int) -> str:
    """Save a queued roster import, every row or none, and record the outcome: the counts, or
    the problems that stopped it. Returns its status afterwards."""
    job = _claim(import_id)
    if job is None:
        return "skipped"
    try:
        with transaction.atomic():
            result = recheck(job.program, job.rows, job.uploaded_by)
            if result.is_valid and result.known is not None:
                saved = save_rows(
                    program=job.program, rows=result.rows, known=result.known, by=job.uploaded_by
                )
                _finish(
                    job,
                    RosterImport.Status.DONE,
                    enrolled_count=saved.enrolled,
                    asked_count=saved.asked,
                    invited_count=saved.invited,
                    updated_count=saved.updated,
                    supervisor_count=saved.supervisors,
                )
                return job.status
    except Exception as error:
        logger.exception("Roster import %s failed", job.pk)
        _finish(
            job,
            RosterImport.Status.FAILED,
            error=f"The import stopped on an unexpected error ({type(error).__name__}). "
            "Try again; if it happens again, tell an administrator.",
        )
        return job.status
    _finish(job, RosterImport.Status.FAILED, error=_problems(result))
    return job.status


def _problems(result: RosterPreview) -> str:
    """The rows' problems, one line per row."""
    lines = list(result.file_errors)
    for row in result.bad_rows:
        who = f" ({row.name})" if row.name else ""
        lines.append(f"Line {row.line}{who}: " + " ".join(row.errors))
    return "\n".join(lines) or "No rows to save."


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


def done_notices(job: RosterImport) -> list[tuple[str, str]]:
    """What a finished import saved, as (Bootstrap alert level, sentence)."""
    notices = []
    enrolled, asked, invited = job.enrolled_count, job.asked_count, job.invited_count
    if enrolled:
        notices.append(
            ("success", f"Imported {enrolled} participant{'s' if enrolled != 1 else ''}.")
        )
    if job.updated_count:
        notices.append(("success", f"Updated {_people(job.updated_count)} already in the program."))
    if asked:
        one = asked == 1
        notices.append(
            (
                "info",
                f"{_people(asked)} with an account outside this organization's programs "
                f"{'was' if one else 'were'} asked to accept first.",
            )
        )
    if invited:
        notices.append(
            (
                "info",
                f"{invited} new {'person was' if invited == 1 else 'people were'} sent "
                "an invitation to set their password.",
            )
        )
    if job.supervisor_count:
        one = job.supervisor_count == 1
        notices.append(
            (
                "info",
                f"{job.supervisor_count} supervisor{'' if one else 's'} got an account, "
                "to keep them apart from their protégés' mentoring: not enrolled, not invited.",
            )
        )
    if not notices:
        notices.append(("info", "Nothing to change: everyone was already up to date."))
    return notices
