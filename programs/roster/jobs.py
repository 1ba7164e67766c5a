"""Saving a confirmed roster in the background: the confirm page stores the checked rows in a
`RosterImport` and enqueues `programs.tasks.roster_import_save` once that write commits; the
worker checks the rows again against the database and saves every row or none, in one
transaction, then records the counts or what stopped it. The emails the save queues are sent
once it has committed (the outbox)."""

import logging

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext, ngettext

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
            error=gettext(
                "The import stopped on an unexpected error (%(error)s). "
                "Try again; if it happens again, tell an administrator."
            )
            % {"error": type(error).__name__},
        )
        return job.status
    _finish(job, RosterImport.Status.FAILED, error=_problems(result))
    return job.status


def _problems(result: RosterPreview) -> str:
    """The rows' problems, one line per row."""
    lines = list(result.file_errors)
    for row in result.bad_rows:
        problems = " ".join(row.errors)
        if row.name:
            line = gettext("Line %(line)s (%(name)s): %(problems)s") % {
                "line": row.line,
                "name": row.name,
                "problems": problems,
            }
        else:
            line = gettext("Line %(line)s: %(problems)s") % {"line": row.line, "problems": problems}
        lines.append(line)
    return "\n".join(lines) or gettext("No rows to save.")


def done_notices(job: RosterImport) -> list[tuple[str, str]]:
    """What a finished import saved, as (Bootstrap alert level, sentence)."""
    notices = []
    enrolled, asked, invited = job.enrolled_count, job.asked_count, job.invited_count
    if enrolled:
        notices.append(
            (
                "success",
                ngettext(
                    "Imported %(count)s participant.", "Imported %(count)s participants.", enrolled
                )
                % {"count": enrolled},
            )
        )
    if updated := job.updated_count:
        notices.append(
            (
                "success",
                ngettext(
                    "Updated %(count)s person already in the program.",
                    "Updated %(count)s people already in the program.",
                    updated,
                )
                % {"count": updated},
            )
        )
    if asked:
        notices.append(
            (
                "info",
                ngettext(
                    "%(count)s person with an account outside this organization's programs "
                    "was asked to accept first.",
                    "%(count)s people with an account outside this organization's programs "
                    "were asked to accept first.",
                    asked,
                )
                % {"count": asked},
            )
        )
    if invited:
        notices.append(
            (
                "info",
                ngettext(
                    "%(count)s new person was sent an invitation to set their password.",
                    "%(count)s new people were sent an invitation to set their password.",
                    invited,
                )
                % {"count": invited},
            )
        )
    if supervisors := job.supervisor_count:
        notices.append(
            (
                "info",
                ngettext(
                    "%(count)s supervisor got an account, to keep them apart from their "
                    "protégés' mentoring: not enrolled, not invited.",
                    "%(count)s supervisors got an account, to keep them apart from their "
                    "protégés' mentoring: not enrolled, not invited.",
                    supervisors,
                )
                % {"count": supervisors},
            )
        )
    if not notices:
        notices.append(("info", gettext("Nothing to change: everyone was already up to date.")))
    return notices
