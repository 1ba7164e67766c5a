"""Hand back to the task queue the emails a lost task or a killed worker left behind
(`outbox.services.requeue_stale`). Run it every few minutes beside the worker; README.md says
how to schedule it."""

from django.core.management.base import BaseCommand

from outbox.services import requeue_stale


class Command(BaseCommand):
    help = (
        "Queue again the emails whose send started longer than OUTBOX_STALE_SECONDS ago and "
        "never finished (a killed worker), and those waiting past their time (a lost task)."
    )

    def handle(self, *args, **options):
        count = requeue_stale()
        self.stdout.write(f"Queued {count} email(s) again.")
