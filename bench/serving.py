"""Steps 2 to 4: gunicorn, wrk against it, and the request mix for the memory figures."""

import itertools
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from environment import PYTHON, ROOT
from pages import Page


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


class Server:
    def __init__(self, env: dict[str, str], workers: int = 2):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        gunicorn = shutil.which("gunicorn", path=str(Path(PYTHON).parent)) or "gunicorn"
        self.process = subprocess.Popen(
            [
                gunicorn,
                "mentoring_site.wsgi",
                "--workers",
                str(workers),
                "--no-control-socket",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/help/coaching-mentoring-supervision/"):
                    pass
                if len(self.workers()) == workers:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        sys.exit("error: gunicorn did not start within 60 s.")

    def workers(self) -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == self.process.pid:
                found.append(int(entry.name))
        return sorted(found)

    def rss_kib(self) -> list[int]:
        values = []
        for pid in self.workers():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    values.append(int(line.split()[1]))
        return values

    def check(self, path: str, cookie: str) -> int:
        """One GET with the session cookie; the status, redirects not followed."""
        request = urllib.request.Request(self.base + path, headers={"Cookie": cookie})
        try:
            with _OPENER.open(request, timeout=30) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return 0

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


WRK_NUMBERS = re.compile(r"Requests/sec:\s+([\d.]+)")
WRK_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
WRK_NON2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")


def wrk(
    url: str, cookie: str, seconds: float, threads: int, connections: int
) -> tuple[float, int, str]:
    """Requests per second, errors (socket errors and non-2xx/3xx answers), wrk's output."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    numbers = WRK_NUMBERS.search(output)
    if numbers is None:
        sys.exit(f"error: wrk printed no requests per second for {url}:\n{output}")
    rps = float(numbers.group(1))
    errors = 0
    if match := WRK_ERRORS.search(output):
        errors += sum(int(n) for n in match.groups())
    if match := WRK_NON2XX.search(output):
        errors += int(match.group(1))
    return rps, errors, output


def run_mix(server: Server, pages: list[Page], total: int, workers: int) -> tuple[int, int]:
    """`total` requests spread round-robin over the pages, from `workers` client threads.

    A small Python client rather than wrk: wrk stops on time, not on a request count, and a
    wrk thread stopped early leaves connections open that hold gunicorn's sync workers.
    """
    counter = itertools.count()
    errors = []
    lock = threading.Lock()

    def work() -> None:
        while (n := next(counter)) < total:
            page = pages[n % len(pages)]
            status = server.check(page.path, page.cookie)
            if status != 200:
                with lock:
                    errors.append((page.path, status))

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return total, len(errors)
