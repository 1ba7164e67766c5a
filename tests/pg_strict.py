"""PostgreSQL's refusals, on SQLite.

The suite runs on SQLite, which stores a NUL character and a 300-character value in a
`varchar(255)` without a word; PostgreSQL refuses both, so a page that passes either to the
database is a server error in production and a pass in the tests. Inside `postgres_refusals()`
every query on the default connection is checked first, and fails as PostgreSQL (psycopg)
would:

- a text parameter holding NUL (`\\x00`): ValueError (psycopg raises its DataError before
  sending it; either way the page must not get that far);
- a text value longer than its column's `max_length` in an INSERT or UPDATE: DataError
  ("value too long for type character varying(N)").

Only plain `"column" = %s` assignments and `VALUES (%s, ...)` lists are matched to columns
(what the ORM writes for saves and creates); anything else is left to the database.
"""

import re
from contextlib import contextmanager

from django.apps import apps
from django.db import DataError, connection, models

NUL_ERROR = "A string literal cannot contain NUL (0x00) characters."

INSERT = re.compile(
    r'^INSERT INTO "(?P<table>\w+)" \((?P<columns>[^)]*)\) VALUES (?P<values>.*?)'
    r"(?: RETURNING .*)?$",
    re.S,
)
UPDATE = re.compile(r'^UPDATE "(?P<table>\w+)" SET (?P<assignments>.*?)(?: WHERE .*)?$', re.S)
ASSIGNMENT = re.compile(r'^"(\w+)" = %s$')


def column_lengths() -> dict[str, dict[str, int]]:
    """`max_length` of every varchar column, by table and column name."""
    lengths: dict[str, dict[str, int]] = {}
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField) and field.max_length:
                lengths.setdefault(model._meta.db_table, {})[field.column] = field.max_length
    return lengths


def _written(sql: str, params) -> tuple[str, list[tuple[str, object]]] | None:
    """(table, [(column, value)]) for an INSERT or UPDATE the ORM wrote plainly, else None."""
    params = list(params or ())
    if match := INSERT.match(sql):
        columns = [name.strip().strip('"') for name in match["columns"].split(",")]
        group = "(" + ", ".join(["%s"] * len(columns)) + ")"
        rows, remainder = divmod(len(params), len(columns)) if columns else (0, 1)
        if remainder or match["values"] != ", ".join([group] * rows):
            return None
        return match["table"], [(columns[i % len(columns)], v) for i, v in enumerate(params)]
    if match := UPDATE.match(sql):
        assignments = match["assignments"].split(", ")
        columns = [ASSIGNMENT.match(part) for part in assignments]
        if not all(columns):
            return None
        return match["table"], [(c[1], v) for c, v in zip(columns, params, strict=False)]
    return None


@contextmanager
def postgres_refusals():
    lengths = column_lengths()

    def check(execute, sql, params, many, context):
        batches = params if many else [params]
        for batch in batches or ():
            values = batch.values() if isinstance(batch, dict) else (batch or ())
            if any(isinstance(value, str) and "\x00" in value for value in values):
                raise ValueError(NUL_ERROR)
            written = _written(sql, batch) if not isinstance(batch, dict) else None
            if written:
                table, pairs = written
                for column, value in pairs:
                    limit = lengths.get(table, {}).get(column)
                    if limit and isinstance(value, str) and len(value) > limit:
                        raise DataError(
                            f"value too long for type character varying({limit}) ({table}.{column})"
                        )
        return execute(sql, params, many, context)

    with connection.execute_wrapper(check):
        yield
