"""Remove the files of reports made more than REPORT_FILE_DAYS ago, and record as failed the
reports a stopped worker left half made (reports/jobs.py). The hourly `run_scheduled_jobs`
does the same in its housekeeping; this command runs it on its own."""

from django.core.management.base import BaseCommand

from reports.jobs import report_jobs_prune


class Command(BaseCommand):
    help = "Remove old report files (REPORT_FILE_DAYS) and fail reports left half made."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None, help="Keep files this many days instead."
        )

    def handle(self, *args, days: int | None = None, **options):
        if days is not None and days < 0:
            self.stderr.write("--days must be 0 or more.")
            raise SystemExit(2)
        pruned, stale = report_jobs_prune(days=days)
        self.stdout.write(
            f"Removed {pruned} report file(s); {stale} report(s) left half made marked failed."
        )
