"""The four checks, a to d (bin/cluster_check.py says what each shows)."""

import time

from .common import CheckFailed, port_open, wait_until
from .nodes import CASEY, ROBIN, Cluster, Node, Person
from .processes import Process
from .web import Browser, messages_to, status_of

STALE_SECONDS = 3
# Long enough that the check always sees the send under way; the worker is killed long before.
SEND_DELAY_SECONDS = 120


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
