"""What translation costs a page: each key page rendered N times through Django's test client,
in one process, with USE_I18N on (English, then Spanish) or off. Run against the demo world:

    DJANGO_DEBUG=true DATABASE_URL=sqlite:////tmp/demo.sqlite3 DJANGO_ALLOWED_HOSTS=testserver \\
        .venv/bin/python bench/i18n_cost.py [--off] [--rounds 40]

Prints the median CPU milliseconds per request of each page (docs/benchmarks.md, "Translation
on"). `--off` turns translation off (and takes LocaleMiddleware out) before Django starts.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring_site.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--off", action="store_true", help="USE_I18N = False")
    parser.add_argument("--rounds", type=int, default=40)
    options = parser.parse_args()

    import django
    from django.conf import settings

    if options.off:
        settings.USE_I18N = False
        settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("LocaleMiddleware")]
    django.setup()

    from django.contrib.auth.models import User
    from django.test import Client

    from programs.models import Program
    from relationships.models import SupportRelationship
    from seed.demo_story import COACHING

    program = Program.objects.get(name=COACHING)
    relationship = SupportRelationship.objects.get(
        mentor__username="mentor", protege__username="resident", status="active"
    )
    pages = {
        "dashboard": ("coordinator", program.get_absolute_url()),
        "My support": ("resident", "/relationships/my-support/"),
        "relationship page": ("mentor", relationship.get_absolute_url()),
    }
    languages = ["en"] if options.off else ["en", "es"]
    print(f"USE_I18N={'off' if options.off else 'on'}, {options.rounds} rounds, median CPU ms")
    for name, (username, path) in pages.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        cpu: dict[str, list[float]] = {language: [] for language in languages}
        for round_ in range(options.rounds + 10):
            # The languages take turns, so that both see the same machine; ten rounds to warm up.
            for language in languages:
                start = time.process_time()
                answer = client.get(path, headers={"Accept-Language": language})
                spent = (time.process_time() - start) * 1000
                assert answer.status_code == 200
                if round_ >= 10:
                    cpu[language].append(spent)
        for language in languages:
            print(f"  {name:<18} {language}  {statistics.median(cpu[language]):6.1f}")


if __name__ == "__main__":
    main()
