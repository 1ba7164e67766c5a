"""PostgreSQL and Redis as the cluster check sees them."""

import os
import re
import shutil
import urllib.parse
from contextlib import closing
from pathlib import Path
from typing import Any

from .common import CheckFailed, free_port, log, wait_until
from .processes import Process

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/mentoring_cluster"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/5"


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
