"""Where the benchmark runs: its settings, its log line, and step 1, the database."""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/mentoring_bench"
# Signs nothing outside this benchmark; the bench users have no usable password anyway.
BENCH_SECRET_KEY = "bench-only-secret-key-3f9c1a7e5b2d8f4c6a0e9b1d7f3a5c8e2b4d6f0a"
BENCH_FIELD_ENCRYPTION_KEY = "YmVuY2gtb25seS1maWVsZC1rZXktbm90LXNlY3JldCE="


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}] {message}", flush=True)


def bench_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="mentoring_site.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=BENCH_SECRET_KEY,
        DJANGO_FIELD_ENCRYPTION_KEY=BENCH_FIELD_ENCRYPTION_KEY,
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_COOKIES="false",
        WHITENOISE_USE_FINDERS="false",
        DJANGO_LOG_LEVEL="ERROR",
        PYTHONPATH=str(ROOT),
    )
    return env


def ensure_database(database_url: str) -> None:
    parts = urlsplit(database_url)
    if not parts.scheme.startswith("postgres"):
        log(f"warning: {parts.scheme} is not PostgreSQL; the targets are for PostgreSQL.")
        return
    import psycopg

    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl()
    connection = psycopg.connect(maintenance, autocommit=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            log(f"Creating database {name}")
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True)


def prepare(database_url: str, scale: float, program_size: int, caseload: int) -> None:
    env = bench_env(database_url)
    ensure_database(database_url)
    log("migrate")
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    probe = "from seed.scale import existing_scale_data as e; import sys; sys.exit(0 if e() else 1)"
    present = (
        subprocess.run(
            [PYTHON, "-c", f"import django; django.setup(); {probe}"], env=env, cwd=ROOT
        ).returncode
        == 0
    )
    if present:
        log("Scale data already present: not seeding again.")
    else:
        sizes = ["--program-size", str(program_size), "--caseload", str(caseload)]
        log(f"seed_scale --scale {scale:g} {' '.join(sizes)}")
        manage(env, "seed_scale", "--scale", str(scale), *sizes)
    log("collectstatic")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
