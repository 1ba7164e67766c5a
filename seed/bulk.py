"""Writing many rows fast, for the scale world (`seed/scale.py`): model instances made without
`Model.__init__`, written in batches (PostgreSQL's COPY, `bulk_create` elsewhere), and a plain
progress line per step."""

import csv
import io
import json
import sys
import time

from django.db import connections
from django.db.models.base import ModelState

from core.encryption import EncryptedTextField


def _copy_text(value):
    if value is None:
        return None
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return str(value)


_DEFAULTS: dict = {}


def new(model, **values):
    """A model instance without Model.__init__ (signals, descriptors): 5× cheaper, and all
    the writer needs. `values` are attribute names (`program_id`, not `program`)."""
    defaults = _DEFAULTS.get(model)
    if defaults is None:
        defaults = _DEFAULTS[model] = {
            f.attname: f.get_default() for f in model._meta.concrete_fields
        }
    if unknown := values.keys() - defaults.keys():
        raise TypeError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
    obj = model.__new__(model)
    obj._state = ModelState()
    obj.__dict__.update(defaults)
    obj.__dict__.update(values)
    return obj


class Writer:
    """Buffers model instances per model and writes them in batches (COPY on PostgreSQL)."""

    def __init__(self, using: str, batch_size: int = 5000):
        self.using = using
        self.connection = connections[using]
        self.copy = self.connection.vendor == "postgresql"
        self.batch_size = batch_size
        self.buffers: dict = {}
        self.written: dict = {}

    def add(self, obj) -> None:
        model = type(obj)
        buffer = self.buffers.setdefault(model, [])
        buffer.append(obj)
        if len(buffer) >= self.batch_size:
            self.flush(model)

    def flush(self, model=None) -> None:
        models = [model] if model else list(self.buffers)
        for each in models:
            objs = self.buffers.get(each)
            if not objs:
                continue
            if self.copy:
                self._copy(each, objs)
            else:
                each.objects.using(self.using).bulk_create(objs, batch_size=self.batch_size)
            self.written[each] = self.written.get(each, 0) + len(objs)
            self.buffers[each] = []

    def _copy(self, model, objs) -> None:
        fields = list(model._meta.concrete_fields)
        if all(obj.pk is None for obj in objs):
            fields = [f for f in fields if not f.primary_key]
        buffer = io.StringIO()
        writer = csv.writer(buffer, quoting=csv.QUOTE_NOTNULL, lineterminator="\n")
        # COPY takes values as they are stored: private text is encrypted first, as the
        # field does on a save.
        prepare = [
            (f.attname, f.get_prep_value if isinstance(f, EncryptedTextField) else None)
            for f in fields
        ]
        for obj in objs:
            writer.writerow(
                [
                    _copy_text(prep(getattr(obj, name)) if prep else getattr(obj, name))
                    for name, prep in prepare
                ]
            )
        buffer.seek(0)
        columns = ", ".join(self.connection.ops.quote_name(f.column) for f in fields)
        sql = (
            f"COPY {self.connection.ops.quote_name(model._meta.db_table)} ({columns}) "
            "FROM STDIN WITH (FORMAT csv)"
        )
        with self.connection.cursor() as cursor:
            with cursor.cursor.copy(sql) as copy:  # psycopg 3
                copy.write(buffer.getvalue())


class Progress:
    """A plain progress line per step (no dependency): updates in place on a terminal."""

    def __init__(self, out=None, enabled: bool = True):
        self.out = out or sys.stdout
        self.enabled = enabled
        self.tty = hasattr(self.out, "isatty") and self.out.isatty()
        self.started = time.monotonic()

    def step(self, label: str, total: int):
        return _Step(self, label, total)


class _Step:
    def __init__(self, progress: Progress, label: str, total: int):
        self.progress = progress
        self.label = label
        self.total = max(total, 1)
        self.done = 0
        self.next_report = 0.0
        self.started = time.monotonic()

    def advance(self, n: int = 1) -> None:
        self.done += n
        share = self.done / self.total
        if share >= self.next_report:
            self._show(end="\r" if self.progress.tty else "\n")
            self.next_report = share + (0.02 if self.progress.tty else 0.25)

    def close(self) -> None:
        self._show(end="\n", final=True)

    def _show(self, end: str, final: bool = False) -> None:
        if not self.progress.enabled:
            return
        width = 30
        share = min(self.done / self.total, 1.0)
        bar = "#" * int(width * share) + "-" * (width - int(width * share))
        elapsed = time.monotonic() - self.started
        self.progress.out.write(
            f"  {self.label:<22} [{bar}] {self.done:>9,}/{self.total:,} {elapsed:6.1f}s{end}"
        )
        self.progress.out.flush()
