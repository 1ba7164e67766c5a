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

This file runs the check; its pieces are in bin/cluster/.
"""

import os
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cluster.checks import check_killed_worker, check_node_down, check_session, check_task
from cluster.common import ROOT, CheckFailed, Interrupted, log
from cluster.nodes import Cluster, Node
from cluster.processes import Process
from cluster.stores import DEFAULT_DATABASE_URL, Database, choose_redis
from cluster.web import Browser

OVERALL_SECONDS = int(os.environ.get("CLUSTER_CHECK_TIMEOUT", "300"))


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
