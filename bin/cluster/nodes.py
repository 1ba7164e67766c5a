"""The cluster: its people, its settings, the web nodes and the task workers on one database."""

import base64
import os
import secrets
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from .common import PYTHON, ROOT, CheckFailed, free_port, wait_until
from .processes import Process
from .stores import Database, Redis
from .web import status_of

WORKER_INTERVAL = "0.2"


@dataclass
class Person:
    username: str
    name: str
    address: str


CASEY = Person("cluster-casey", "Casey Cluster", "casey@cluster.test")
ROBIN = Person("cluster-robin", "Robin Cluster", "robin@cluster.test")


@dataclass
class Node:
    process: Process
    port: int
    health: str = ""

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Cluster:
    database: Database
    redis: Redis
    work: Path
    # This run's own secrets: the people's password, the site's keys.
    password: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))
    field_key: str = field(
        default_factory=lambda: base64.urlsafe_b64encode(os.urandom(32)).decode()
    )
    processes: list[Process] = field(default_factory=list)
    worker_count: int = 0

    def __post_init__(self) -> None:
        self.mail.mkdir()
        self.logs.mkdir()

    @property
    def mail(self) -> Path:
        return self.work / "mail"

    @property
    def logs(self) -> Path:
        return self.work / "logs"

    def env(self, **extra: str) -> dict[str, str]:
        """Production settings (DEBUG off) with this cluster's database, Redis and mail folder;
        none of the caller's own DJANGO_ and outbox settings."""
        ours = ("DJANGO_", "OUTBOX_", "GUNICORN_", "AXES_", "PASSWORD_RESET_")
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(ours)
            and key not in {"DATABASE_URL", "REDIS_URL", "WEB_CONCURRENCY", "PYTHONPATH"}
        }
        env.update(
            DJANGO_SETTINGS_MODULE="mentoring_site.settings",
            DJANGO_DEBUG="false",
            DJANGO_SECRET_KEY=self.secret_key,
            DJANGO_FIELD_ENCRYPTION_KEY=self.field_key,
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            # Plain HTTP on loopback: no redirect to HTTPS, cookies not marked Secure.
            DJANGO_SECURE_SSL_REDIRECT="false",
            DJANGO_SECURE_COOKIES="false",
            DJANGO_SITE_URL="http://127.0.0.1",
            DJANGO_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            DJANGO_EMAIL_FILE_PATH=str(self.mail),
            DJANGO_TASKS_BACKEND="database",
            DJANGO_LOG_LEVEL="WARNING",
            DATABASE_URL=self.database.url,
            REDIS_URL=self.redis.url,
            PYTHONUNBUFFERED="1",
            **extra,
        )
        return env

    def manage(self, *args: str, env: dict[str, str] | None = None, timeout: float = 120) -> str:
        result = subprocess.run(
            [PYTHON, str(ROOT / "manage.py"), *args],
            env=env or self.env(),
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise CheckFailed(
                f"manage.py {' '.join(args)} exited {result.returncode}:\n"
                + (result.stdout + result.stderr)[-3000:]
            )
        return result.stdout

    def prepare(self) -> str:
        """A fresh database, migrated; the static files' manifest (DEBUG is off); two people
        with the password of this run. How long each took."""
        times = []
        started = time.monotonic()
        self.database.recreate()
        self.manage("migrate", "--noinput", "--verbosity", "0", timeout=240)
        times.append(f"migrate {time.monotonic() - started:.1f} s")
        started = time.monotonic()
        self.manage("collectstatic", "--noinput", "--verbosity", "0", timeout=240)
        times.append(f"collectstatic {time.monotonic() - started:.1f} s")
        started = time.monotonic()
        people = ", ".join(
            f"({p.username!r}, {p.address!r}, {p.name.split()[0]!r}, {p.name.split()[1]!r})"
            for p in (CASEY, ROBIN)
        )
        code = (
            "import os\n"
            "from django.contrib.auth.models import User\n"
            f"for username, address, first, last in [{people}]:\n"
            "    User.objects.create_user(username, address, os.environ['CLUSTER_PASSWORD'],"
            " first_name=first, last_name=last)\n"
        )
        self.manage(
            "shell", "--no-imports", "-c", code, env=self.env(CLUSTER_PASSWORD=self.password)
        )
        times.append(f"people {time.monotonic() - started:.1f} s")
        return ", ".join(times)

    def start(self, name: str, argv: list[str], **extra: str) -> Process:
        process = Process(name, argv, self.env(**extra), self.logs).start()
        self.processes.append(process)
        return process

    def start_node(self, name: str) -> Node:
        """gunicorn on a free port (another one if that port was taken in the meantime); back
        once its health URL answers 200."""
        for _ in range(3):
            port = free_port()
            argv = [str(Path(PYTHON).parent / "gunicorn")]
            if (ROOT / "gunicorn.conf.py").exists():
                argv += ["--config", str(ROOT / "gunicorn.conf.py")]
            argv += [
                "mentoring_site.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--no-control-socket",
                "--log-level",
                "warning",
            ]
            node = Node(self.start(f"node-{name}", argv), port)
            if self.wait_healthy(node):
                return node
            node.process.kill()
            if "Address already in use" not in node.process.tail():
                break
        raise CheckFailed(f"node {name} did not start:\n{node.process.tail()}")

    def wait_healthy(self, node: Node) -> bool:
        """Wait for /healthz to answer 200, or the login page where there is no /healthz. A
        /healthz that answers anything but 200 or 404 is not healthy."""

        def healthy() -> str:
            if not node.process.alive():
                raise CheckFailed("exited")
            status = status_of(node.base + "/healthz")
            if status == 200:
                return "/healthz"
            if status == 404 and status_of(node.base + "/accounts/login/") == 200:
                return "/accounts/login/"
            return ""

        try:
            node.health = wait_until(f"{node.process.name} healthy", healthy, timeout=60)
        except CheckFailed:
            return False
        return True

    def start_worker(self, **extra: str) -> Process:
        self.worker_count += 1
        return self.start(
            f"worker-{self.worker_count}",
            [
                PYTHON,
                str(ROOT / "manage.py"),
                "db_worker",
                "--interval",
                WORKER_INTERVAL,
                "--no-startup-delay",
            ],
            **extra,
        )

    def stop_all(self) -> None:
        for process in reversed(self.processes):
            process.stop(grace=5)
