"""What every piece of the cluster check uses: where the project is, the failures, the log line
and the wait with a deadline."""

import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PYTHON = sys.executable
WAIT_SECONDS = 30.0


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
