"""The report's background work, by id (reports/jobs.py)."""

from django.tasks import task

from reports import jobs


@task()
def report_job_build(job_id: int) -> str:
    return jobs.report_job_run(job_id=job_id)
