"""Build the state-wide scale world (seed/scale.py) on the configured database.

    python manage.py seed_scale              # 300 programs ... 600,000 visits (a few minutes)
    python manage.py seed_scale --scale 0.02 # the same shape, 2% of the size
    python manage.py seed_scale --program-size 2000 --caseload 80
                                             # the bench's program and caseload grown

It adds to the database and refuses to run where scale data already is: start from a fresh
database (createdb, migrate) to build it again.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from seed import scale as world


class Command(BaseCommand):
    help = (
        "Create a deterministic state-wide world for load tests: by default 300 programs, "
        "15,000 mentors and coaches, 40,000 protégés, 60,000 relationships, 600,000 visits "
        "and 150,000 goals; --scale multiplies every count."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiply every count by this factor (default 1.0; 0.02 for a quick world).",
        )
        parser.add_argument(
            "--program-size",
            type=int,
            default=0,
            help=(
                "Relationships in the first program (the bench's), the rest shared by the "
                "others: e.g. 2000 (default: a share like every other program's)."
            ),
        )
        parser.add_argument(
            "--caseload",
            type=int,
            default=world.BENCH_CASELOAD,
            help=f"bench-mentor's open relationships (default {world.BENCH_CASELOAD}).",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="The database alias to fill (default: default).",
        )

    def handle(
        self,
        *args,
        scale: float,
        seed: int,
        database: str,
        program_size: int = 0,
        caseload: int = world.BENCH_CASELOAD,
        **options,
    ):
        if not 0 < scale <= 10:
            raise CommandError("--scale must be more than 0 and at most 10.")
        if program_size < 0 or not 1 <= caseload <= 500:
            raise CommandError("--program-size must be 0 or more, --caseload 1 to 500.")
        if found := world.existing_scale_data(database):
            raise CommandError(
                f"Scale data is already in this database ({found}). seed_scale only "
                "adds: run it on a fresh database (e.g. dropdb + createdb, then migrate)."
            )
        counts = world.Counts.for_scale(scale, program_size=program_size, caseload=caseload)
        vendor = connections[database].vendor
        self.stdout.write(
            f"Building the scale world on {vendor} (scale {scale:g}): {counts.programs:,} "
            f"programs, {counts.mentors:,} mentors and coaches, {counts.proteges:,} protégés, "
            f"{counts.relationships:,} relationships, {counts.visits:,} visits, "
            f"{counts.goals:,} goals."
        )
        try:
            written = world.build(scale, seed=seed, using=database, out=self.stdout, counts=counts)
        except ValueError as error:
            raise CommandError(str(error)) from error
        seconds = written.pop("seconds")
        for label, n in written.items():
            self.stdout.write(f"  {label:<40} {n:>10,}")
        self.stdout.write(
            self.style.SUCCESS(f"Built the scale world in {seconds:.0f} s.")
            + " Bench logins (no password; the benchmark logs in in-process): "
            + ", ".join(world.BENCH_USERNAMES)
        )
