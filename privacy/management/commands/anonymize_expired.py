"""Anonymize the relationships whose program's retention period is over (docs/design.md,
Retention). Run it every night; README.md says how to schedule it."""

from django.core.management.base import BaseCommand

from privacy.services import relationships_anonymize_expired


class Command(BaseCommand):
    help = (
        "Blank the free text of relationships that ended longer ago than their program keeps "
        "records, and replace the names of the people (and classroom teams) who have nothing "
        "newer in the app. Visit counts, minutes and statuses stay."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count what would be anonymized; change nothing.",
        )

    def handle(self, *args, dry_run: bool = False, **options):
        result = relationships_anonymize_expired(dry_run=dry_run)
        counts = (
            f"{result.relationships} relationship(s); the names of {result.people} person(s) "
            f"and {result.teams} classroom team(s)"
        )
        if dry_run:
            self.stdout.write(f"Would anonymize {counts}. Nothing was changed.")
        else:
            self.stdout.write(f"Anonymized {counts}.")
