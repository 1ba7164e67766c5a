"""Build the demo world: three programs, their people, visits and goals, and one login a role.

Idempotent: when the demo world is already there it only prints the logins again.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from relationships import summary_refresh
from seed import demo


class Command(BaseCommand):
    help = (
        "Create a demo world (organizations, three programs, a login for every role, visits "
        "and goals). Running it again changes nothing and prints the logins."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help=(
                "Build even with DEBUG off. The demo accounts, an admin among them, share a "
                "published password: never use this on a site with real people."
            ),
        )

    def handle(self, *args, force: bool = False, verbosity: int = 1, **options):
        if demo.demo_world_exists():
            message = "The demo world is already there; nothing changed."
        else:
            if not settings.DEBUG and not force:
                raise CommandError(
                    "seed_demo creates accounts, an admin among them, with a published "
                    "password. Run it with DJANGO_DEBUG=true, or pass --force on a "
                    "demo or staging site."
                )
            taken = demo.clashes()
            if taken:
                raise CommandError(
                    "The demo world would clash with existing data ("
                    + ", ".join(taken)
                    + "). Run seed_demo on a database without them."
                )
            demo.build_demo_world()
            summary_refresh.rebuild()  # the world's monthly summary rows, counted at once
            message = self.style.SUCCESS("Built the demo world.")
        if verbosity:
            self.stdout.write(message)
            self.stdout.write(demo.logins_table())
