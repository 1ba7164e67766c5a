"""Count every relationship's monthly summary rows afresh (relationships/summary_refresh.py).

    python manage.py rebuild_summaries          # all of them
    python manage.py rebuild_summaries --stale  # only those time has overtaken (what the hourly
                                                # scheduled jobs do)

Run it after any bulk write that skips the models' signals (a data migration, a restore).
"""

import time

from django.core.management.base import BaseCommand

from relationships import summary_refresh


class Command(BaseCommand):
    help = (
        "Count the monthly summary rows of every relationship afresh from its visits, pauses "
        "and dosage (--stale: only the relationships whose rows a new month overtook)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale",
            action="store_true",
            help="Only the relationships counted before a month ended or without this month.",
        )

    def handle(self, *args, stale: bool = False, **options):
        started = time.monotonic()
        if stale:
            n = summary_refresh.refresh_stale()
            self.stdout.write(f"Refreshed the monthly summaries of {n:,} relationship(s).")
        else:
            n = summary_refresh.rebuild()
            self.stdout.write(
                f"Rebuilt {n:,} monthly summary row(s) in {time.monotonic() - started:.1f} s."
            )
