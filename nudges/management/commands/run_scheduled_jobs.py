"""Run the work that happens on its own (docs/design.md, "Work that happens on its own"):
reminders, nudges, weekly digests and housekeeping. Run it every hour; README.md says how."""

from django.core.management.base import BaseCommand, CommandError

from nudges.services import JOB_NAMES, SEND_FROM, scheduled_jobs_run


class Command(BaseCommand):
    help = (
        "Queue the reminders, nudges and weekly digests that are due (each email once, however "
        f"often it runs; none before {SEND_FROM:%H:%M} on the program's clock), then clear "
        "expired sessions, old task results and old failed log-ins, and hand lost emails back "
        "to the queue. Run it every hour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            action="append",
            choices=JOB_NAMES,
            metavar="JOB",
            help=f"Run only this job (repeat for several): {', '.join(JOB_NAMES)}.",
        )

    def handle(self, *args, only: list[str] | None = None, **options):
        outcomes = scheduled_jobs_run(only=only)
        for outcome in outcomes:
            self.stdout.write(f"{outcome.name}: {outcome.text}")
        failed = [outcome.name for outcome in outcomes if outcome.failed]
        if failed:
            raise CommandError(f"These jobs failed: {', '.join(failed)}.")
