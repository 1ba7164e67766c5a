"""The report's background work, by id (reports/jobs.py)."""

import datetime

from django.tasks import task

from reports import jobs
from reports.rollup import stored


@task()
def report_job_build(job_id: int) -> str:
    return jobs.report_job_run(job_id=job_id)


@task()
def rollup_recount(user_id: int, query: dict, language: str, today: str) -> str:
    """Count a leader's roll-up again and keep it (reports/rollup/stored.py)."""
    return stored.recount_for(user_id, query, language, datetime.date.fromisoformat(today))
