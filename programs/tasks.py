"""Saving a confirmed roster, by id (programs/roster/jobs.py; docs/design.md, "Work that
happens on its own")."""

from django.tasks import task

from programs import roster


@task()
def roster_import_save(import_id: int) -> str:
    return roster.roster_import_run(import_id=import_id)
