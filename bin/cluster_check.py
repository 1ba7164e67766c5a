"""`make cluster-check`: the site as it runs on several machines, on this one.

    .venv/bin/python bin/cluster_check.py        # what `make cluster-check` and .ci/run run

Two gunicorn nodes and one task worker (`manage.py db_worker`) share one PostgreSQL database
and one Redis database, with production settings (DEBUG off, the manifest static files, Redis
as the cache and the sessions' cache) except that the site speaks plain HTTP on loopback and
the mail goes to files. Then, each check printed with its time:

a. A person logs in through the real form (with its CSRF token) on node A; node B knows them:
   its home page answers 200 and names them, and the session sits in Redis.
b. A password-reset request on node A enqueues a task; the worker runs it, which queues the
   email through the outbox; the worker sends it: one message in the mail folder, its delivery
   "sent" after one attempt.
c. A worker killed in the middle of a send (OUTBOX_TEST_SEND_DELAY_SECONDS holds the send; then
   kill -9): its delivery stays "being sent" and its task row RUNNING. A new worker and one
   stale sweep (`manage.py outbox_requeue_stale`, OUTBOX_STALE_SECONDS=3) send it: exactly one
   message, the delivery "sent" after two attempts; a second sweep changes nothing.
d. Node A stops; node B still serves the session made on A, the login page, and a new log-in.

Everything runs in a fresh database (CLUSTER_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/mentoring_cluster, dropped and made anew on each run) and
one Redis database (CLUSTER_REDIS_URL, default redis://127.0.0.1:6379/5, flushed before and
after). When nothing answers at the default Redis address, a private redis-server is started
on a free port. Each wait has its deadline and the whole run its own (CLUSTER_CHECK_TIMEOUT,
300 s); whatever happens, the processes are stopped, the database dropped, Redis flushed and
the temporary folder removed. On a failure the end of each process's log is printed. The exit
status is 0 only when every check passed.
"""

import base64
import email.policy
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from email.parser import BytesParser
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/mentoring_cluster"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/5"
OVERALL_SECONDS = int(os.environ.get("CLUSTER_CHECK_TIMEOUT", "300"))
WAIT_SECONDS = 30.0
STALE_SECONDS = 3
# Long enough that the check always sees the send under way; the worker is killed long before.
SEND_DELAY_SECONDS = 120
WORKER_INTERVAL = "0.2"
# The line Django's file-based mail backend writes after each message.
MESSAGE_SEPARATOR = b"\n" + b"-" * 79 + b"\n"


class CheckFailed(Exception):
    pass


class Interrupted(Exception):
    """A signal, or the whole run's deadline: no wait may take it for its own failure."""


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def wait_until[T](
    what: str,
    probe: Callable[[], T],
    timeout: float = WAIT_SECONDS,
    state: Callable[[], object] | None = None,
) -> T:
    """Call `probe` until it returns something true, at most `timeout` seconds; that value.
    On time out, the message says what `state` returns then."""
    deadline = time.monotonic() + timeout
    delay = 0.05
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            seen = f" (then: {state()})" if state is not None else ""
            raise CheckFailed(f"{what}: not within {timeout:g} s{seen}")
        time.sleep(delay)
        delay = min(delay * 1.5, 0.5)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


# Processes ------------------------------------------------------------------------------------


def _die_with_parent() -> None:
    """In the child, before it runs: on Linux, be killed when the check dies, even by SIGKILL
    (its finally would not run then)."""
    if sys.platform.startswith("linux"):
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


@dataclass
class Process:
    """A child in its own process group (so a kill reaches whatever it starts), its output in
    a log file."""

    name: str
    argv: list[str]
    env: dict[str, str]
    logs: Path
    popen: subprocess.Popen | None = None

    @property
    def log_path(self) -> Path:
        return self.logs / f"{self.name}.log"

    def start(self) -> "Process":
        with self.log_path.open("ab") as output:
            self.popen = subprocess.Popen(
                self.argv,
                env=self.env,
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        return self

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def signal_group(self, signum: int) -> None:
        if self.popen is None:
            return
        try:
            os.killpg(self.popen.pid, signum)
        except ProcessLookupError:
            pass

    def stop(self, grace: float = 10.0) -> None:
        """SIGTERM to the group, then SIGKILL after `grace` seconds."""
        if self.popen is None:
            return
        if self.popen.poll() is None:
            self.signal_group(signal.SIGTERM)
            try:
                self.popen.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                pass
        self.kill()

    def kill(self) -> None:
        """SIGKILL to the whole group (also what is left of it after its leader exited)."""
        if self.popen is None:
            return
        self.signal_group(signal.SIGKILL)
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass

    def tail(self, lines: int = 25) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


# PostgreSQL and Redis ------------------------------------------------------------------------


def sql_connect(url: str) -> Any:
    """An autocommit connection with psycopg 3, or psycopg2 where that is what is installed."""
    try:
        import psycopg

        return psycopg.connect(url, autocommit=True)
    except ImportError:
        import psycopg2

        connection = psycopg2.connect(url)
        connection.autocommit = True
        return connection


class Database:
    def __init__(self, url: str):
        parts = urllib.parse.urlsplit(url)
        if not parts.scheme.startswith("postgres"):
            raise CheckFailed(f"CLUSTER_DATABASE_URL must be a PostgreSQL URL, not {url!r}")
        self.url = url
        self.name = parts.path.lstrip("/")
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", self.name):
            raise CheckFailed(f"unexpected database name {self.name!r}")
        self.maintenance_url = parts._replace(path="/postgres").geturl()
        self.connection: Any = None

    def administer(self, *statements: str) -> None:
        with closing(sql_connect(self.maintenance_url)) as admin, admin.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def recreate(self) -> None:
        self.administer(
            f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)', f'CREATE DATABASE "{self.name}"'
        )

    def drop(self) -> None:
        self.close()
        self.administer(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        if self.connection is None:
            self.connection = sql_connect(self.url)
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def delivery(self, address: str) -> tuple[str, int] | None:
        """The status and attempts of the one password-reset email to `address`."""
        found = self.rows(
            "SELECT d.status, d.attempts FROM outbox_delivery d "
            "JOIN auth_user u ON u.id = d.recipient_id "
            "WHERE u.email = %s AND d.kind = 'password_reset'",
            (address,),
        )
        if len(found) > 1:
            raise CheckFailed(f"{len(found)} deliveries to {address}, expected one")
        return (found[0][0], found[0][1]) if found else None

    def seconds_since_due(self, address: str) -> float:
        [(seconds,)] = self.rows(
            "SELECT EXTRACT(EPOCH FROM now() - d.due_at) FROM outbox_delivery d "
            "JOIN auth_user u ON u.id = d.recipient_id WHERE u.email = %s",
            (address,),
        )
        return float(seconds)

    def tasks(self, status: str) -> list[str]:
        return [
            row[0]
            for row in self.rows(
                "SELECT id::text FROM django_tasks_database_dbtaskresult WHERE status = %s",
                (status,),
            )
        ]

    def unfinished_tasks(self, ignore: list[str]) -> int:
        """Tasks waiting or running, but for `ignore` (those a killed worker left RUNNING)."""
        [(count,)] = self.rows(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult "
            "WHERE status IN ('READY', 'RUNNING') AND NOT (id::text = ANY(%s::text[]))",
            (ignore,),
        )
        return int(count)


class Redis:
    def __init__(self, url: str):
        import redis

        self.url = url
        self.client = redis.Redis.from_url(url, socket_timeout=5)

    def answers(self) -> bool:
        try:
            return bool(self.client.ping())
        except Exception:
            return False

    def flush(self) -> None:
        self.client.flushdb()

    def has_session(self, session_key: str) -> bool:
        """Whether Django's cached_db sessions keep `session_key` in this Redis database."""
        return bool(self.client.keys(f"*django.contrib.sessions.cached_db{session_key}"))


# HTTP -----------------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


class Browser:
    """A person's browser: cookies kept (for 127.0.0.1, whatever the port: both nodes behind one
    name, as behind a load balancer), redirects not followed."""

    def __init__(self) -> None:
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(
            _NoRedirect, urllib.request.HTTPCookieProcessor(self.jar)
        )

    def request(self, url: str, form: dict[str, str] | None = None) -> Response:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(url))
        headers = {"Origin": origin, "Referer": url} if form is not None else {}
        request = urllib.request.Request(url, data=data, headers=headers)
        try:
            with self.opener.open(request, timeout=15) as answer:
                return Response(answer.status, _headers(answer.headers), answer.read().decode())
        except urllib.error.HTTPError as error:
            return Response(error.code, _headers(error.headers), error.read().decode())

    def cookie(self, name: str) -> str:
        return next((c.value or "" for c in self.jar if c.name == name), "")

    def post_form(self, url: str, fields: dict[str, str]) -> Response:
        """GET the page, then POST its form with its CSRF token and `fields`."""
        page = self.request(url)
        if page.status != 200:
            raise CheckFailed(f"GET {url} answered {page.status}")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        if token is None:
            raise CheckFailed(f"no CSRF token in the form of {url}")
        return self.request(url, {"csrfmiddlewaretoken": token.group(1), **fields})


def _headers(message: Any) -> dict[str, str]:
    return {key.lower(): value for key, value in message.items()}


def status_of(url: str) -> int:
    """The status of a GET without cookies; 0 when nothing answers."""
    try:
        return Browser().request(url).status
    except OSError:
        return 0


# Mail -----------------------------------------------------------------------------------------


def messages_to(folder: Path, address: str) -> list[str]:
    """The subjects of the messages to `address` in the file-based backend's folder."""
    subjects = []
    for path in sorted(folder.glob("*.log")):
        for chunk in path.read_bytes().split(MESSAGE_SEPARATOR):
            if not chunk.strip():
                continue
            message = BytesParser(policy=email.policy.default).parsebytes(chunk)
            if address in str(message.get("To", "")):
                subjects.append(str(message.get("Subject", "")))
    return subjects


# The cluster ----------------------------------------------------------------------------------


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


# The checks -----------------------------------------------------------------------------------


def log_in(browser: Browser, node: Node, person: Person, password: str) -> None:
    answer = browser.post_form(
        node.base + "/accounts/login/", {"username": person.username, "password": password}
    )
    if answer.status != 302 or answer.location != "/":
        raise CheckFailed(f"log-in on {node.base} answered {answer.status} {answer.location!r}")


def signed_in_page(browser: Browser, node: Node, person: Person) -> None:
    """The home page on `node` answers 200 and names `person`."""
    answer = browser.request(node.base + "/")
    if answer.status != 200:
        raise CheckFailed(f"home on {node.base} answered {answer.status} {answer.location!r}")
    if f"Signed in as <strong>{person.name}</strong>" not in answer.body:
        raise CheckFailed(f"home on {node.base} does not show {person.name} signed in")


def request_reset(node: Node, person: Person) -> None:
    answer = Browser().post_form(node.base + "/accounts/password/reset/", {"email": person.address})
    if answer.status != 302 or not answer.location.endswith("/accounts/password/reset/sent/"):
        raise CheckFailed(f"the reset request answered {answer.status} {answer.location!r}")


def check_session(cluster: Cluster, a: Node, b: Node, browser: Browser) -> str:
    log_in(browser, a, CASEY, cluster.password)
    session = browser.cookie("sessionid")
    if not session:
        raise CheckFailed("no session cookie after logging in on node A")
    signed_in_page(browser, b, CASEY)
    if browser.cookie("sessionid") != session:
        raise CheckFailed("node B replaced the session made on node A")
    if not cluster.redis.has_session(session):
        raise CheckFailed("the session is not in Redis")
    return "logged in on A; B's home page names the person; the session is in Redis"


def check_task(cluster: Cluster, a: Node) -> str:
    started = time.monotonic()
    request_reset(a, CASEY)
    wait_until(
        "the reset email in the mail folder", lambda: messages_to(cluster.mail, CASEY.address)
    )
    mailed = time.monotonic() - started
    wait_until("the delivery sent", lambda: cluster.database.delivery(CASEY.address) == ("sent", 1))
    wait_until("the task queue empty", lambda: cluster.database.unfinished_tasks([]) == 0)
    subjects = messages_to(cluster.mail, CASEY.address)
    if len(subjects) != 1:
        raise CheckFailed(f"{len(subjects)} messages to {CASEY.address}, expected one")
    return f"request on A to the email in the folder: {mailed:.2f} s; delivery sent, 1 attempt"


def check_killed_worker(cluster: Cluster, a: Node, worker: Process) -> str:
    database = cluster.database
    worker.stop()  # idle: the queue is empty
    slow = cluster.start_worker(OUTBOX_TEST_SEND_DELAY_SECONDS=str(SEND_DELAY_SECONDS))
    request_reset(a, ROBIN)
    wait_until(
        "the delivery being sent", lambda: database.delivery(ROBIN.address) == ("sending", 1)
    )
    slow.kill()
    killed = time.monotonic()
    if slow.alive():
        raise CheckFailed("the slow worker survived kill -9")
    orphans = database.tasks("RUNNING")
    if len(orphans) != 1:
        raise CheckFailed(f"{len(orphans)} task rows RUNNING after the kill, expected one")
    if messages_to(cluster.mail, ROBIN.address):
        raise CheckFailed("the email went out before the worker was killed")

    cluster.start_worker(OUTBOX_STALE_SECONDS=str(STALE_SECONDS))

    def stale() -> bool:
        if database.delivery(ROBIN.address) != ("sending", 1):
            raise CheckFailed("the killed worker's send was taken up before the sweep")
        return database.seconds_since_due(ROBIN.address) > STALE_SECONDS + 0.1

    wait_until(f"the send {STALE_SECONDS} s old", stale)
    sweep_env = cluster.env(OUTBOX_STALE_SECONDS=str(STALE_SECONDS))
    started = time.monotonic()
    swept = cluster.manage("outbox_requeue_stale", env=sweep_env).strip()
    wait_until(
        f"the handed-back email sent after the sweep said {swept!r}",
        lambda: database.delivery(ROBIN.address) == ("sent", 2),
        state=lambda: f"delivery (status, attempts) {database.delivery(ROBIN.address)}",
    )
    sweep_to_sent, kill_to_sent = time.monotonic() - started, time.monotonic() - killed
    wait_until("the task queue empty", lambda: database.unfinished_tasks(orphans) == 0)
    again = cluster.manage("outbox_requeue_stale", env=sweep_env).strip()
    wait_until("the task queue empty", lambda: database.unfinished_tasks(orphans) == 0)
    subjects = messages_to(cluster.mail, ROBIN.address)
    if len(subjects) != 1:
        raise CheckFailed(f"{len(subjects)} messages to {ROBIN.address}, expected exactly one")
    if database.delivery(ROBIN.address) != ("sent", 2):
        raise CheckFailed(f"the delivery is {database.delivery(ROBIN.address)} after a sweep")
    left = len(set(database.tasks("RUNNING")) & set(orphans))
    return (
        f"sweep: {swept!r}; sent once, attempts 2, {sweep_to_sent:.2f} s after the sweep "
        f"started, {kill_to_sent:.2f} s after the kill; second sweep: {again!r}; "
        f"task rows left RUNNING by the killed worker: {left}"
    )


def check_node_down(cluster: Cluster, a: Node, b: Node, browser: Browser) -> str:
    a.process.stop(grace=15)
    if port_open(a.port):
        raise CheckFailed("node A still answers after it was stopped")
    signed_in_page(browser, b, CASEY)
    if status_of(b.base + "/accounts/login/") != 200:
        raise CheckFailed("node B's login page does not answer 200")
    if b.health == "/healthz" and status_of(b.base + "/healthz") != 200:
        raise CheckFailed("node B's /healthz does not answer 200")
    fresh = Browser()
    log_in(fresh, b, ROBIN, cluster.password)
    signed_in_page(fresh, b, ROBIN)
    return f"A stopped; on B the session from A, the login page, {b.health} and a new log-in"


# The run --------------------------------------------------------------------------------------


@contextmanager
def overall_deadline(seconds: int) -> Iterator[None]:
    def expired(signum, frame):
        raise Interrupted(f"the whole check took longer than {seconds} s")

    def interrupted(signum, frame):
        raise Interrupted(signal.strsignal(signum) or str(signum))

    previous = signal.signal(signal.SIGALRM, expired)
    signal.signal(signal.SIGTERM, interrupted)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def choose_redis(work: Path) -> tuple[Redis, Process | None]:
    """CLUSTER_REDIS_URL, or the default address, or a private redis-server on a free port."""
    url = os.environ.get("CLUSTER_REDIS_URL", "")
    redis = Redis(url or DEFAULT_REDIS_URL)
    if redis.answers():
        return redis, None
    if url or not shutil.which("redis-server"):
        raise CheckFailed(f"Redis does not answer at {redis.url}")
    port = free_port()
    log(f"Nothing answers at {DEFAULT_REDIS_URL}: starting a private redis-server on {port}")
    argv = ["redis-server", "--bind", "127.0.0.1", "--port", str(port)]
    argv += ["--save", "", "--appendonly", "no"]
    server = Process("redis", argv, dict(os.environ), work).start()
    redis = Redis(f"redis://127.0.0.1:{port}/5")
    wait_until("the private Redis answering", redis.answers, timeout=15)
    return redis, server


def run(timings: list[tuple[str, float]], work: Path) -> None:
    database = Database(os.environ.get("CLUSTER_DATABASE_URL", DEFAULT_DATABASE_URL))
    redis, redis_server = choose_redis(work)
    cluster = None

    def step(name: str, action: Callable[[], str]) -> None:
        log(f"{name} ...")
        started = time.monotonic()
        outcome = action()
        timings.append((name, time.monotonic() - started))
        log(f"{name}: ok in {timings[-1][1]:.2f} s ({outcome})")

    try:
        redis.flush()
        cluster = Cluster(database, redis, work)
        step("Set-up: fresh database, migrate, collectstatic, 2 people", cluster.prepare)
        a, b, worker = start_cluster(cluster, step)
        browser = Browser()
        step(
            "a. Session made on node A valid on node B",
            lambda: check_session(cluster, a, b, browser),
        )
        step("b. Task enqueued through node A run by the worker", lambda: check_task(cluster, a))
        step(
            "c. Worker killed mid-send: handed back, sent once",
            lambda: check_killed_worker(cluster, a, worker),
        )
        step(
            "d. Node A down: node B keeps serving", lambda: check_node_down(cluster, a, b, browser)
        )
    except BaseException:
        if cluster is not None:
            for process in cluster.processes:
                print(f"\n--- end of {process.name}'s log ---\n{process.tail()}", flush=True)
        raise
    finally:
        signal.alarm(0)
        if cluster is not None:
            cluster.stop_all()
        if redis_server is not None:
            redis_server.kill()
        tidy(f"drop the database {database.name}", database.drop)
        if redis_server is None:
            tidy("flush the Redis database", redis.flush)


def start_cluster(cluster: Cluster, step: Callable) -> tuple[Node, Node, Process]:
    started: list = []

    def start() -> str:
        started.extend([cluster.start_node("a"), cluster.start_node("b"), cluster.start_worker()])
        a, b = started[0], started[1]
        return f"A on {a.port}, B on {b.port}, health {a.health}, Redis {cluster.redis.url}"

    step("Start: 2 gunicorn nodes (2 workers each), 1 db_worker", start)
    return started[0], started[1], started[2]


def tidy(what: str, action: Callable[[], Any]) -> None:
    try:
        action()
    except Exception as error:
        log(f"warning: could not {what}: {error}")


def main() -> int:
    os.chdir(ROOT)
    started = time.monotonic()
    timings: list[tuple[str, float]] = []
    work = Path(tempfile.mkdtemp(prefix="cluster-check-"))
    failure = ""
    try:
        with overall_deadline(OVERALL_SECONDS):
            run(timings, work)
    except CheckFailed as error:
        failure = str(error)
    except (Interrupted, KeyboardInterrupt) as error:
        failure = f"stopped: {error or 'interrupted'}"
    except Exception as error:  # a bug of the check or of the site: shown, and a failure
        traceback.print_exc()
        failure = f"{type(error).__name__}: {error}"
    finally:
        shutil.rmtree(work, ignore_errors=True)
    total = time.monotonic() - started
    print("\nCluster check summary")
    for name, seconds in timings:
        print(f"  {seconds:7.2f} s  {name}")
    print(f"  {total:7.2f} s  total")
    if failure:
        print(f"FAILED: {failure}")
        return 1
    print("All cluster checks passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
