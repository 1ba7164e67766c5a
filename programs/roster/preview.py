"""The preview of a roster: every row checked, with what saving it would do (add, change or
leave as it is) and its problems. Nothing is written, and the queries are a fixed number
whatever the number of rows. The task worker calls the same checks again before it saves."""

from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.utils.translation import gettext

from programs.models import Program
from programs.roster.changes import plan_rows
from programs.roster.checking import ADD, CHANGE, SAME, RosterRow, check_rows
from programs.roster.columns import COLUMNS
from programs.roster.known import Known
from programs.roster.reading import read_rows


@dataclass
class RosterPreview:
    text: str = ""
    rows: list[RosterRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    known: Known | None = None  # what the checks read, for the save

    @property
    def bad_rows(self) -> list[RosterRow]:
        return [row for row in self.rows if row.errors]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.file_errors and not self.bad_rows

    def _count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome and not row.errors)

    @property
    def added(self) -> int:
        return self._count(ADD)

    @property
    def changed(self) -> int:
        return self._count(CHANGE)

    @property
    def unchanged(self) -> int:
        return self._count(SAME)


def preview(program: Program, text: str, by: User | None = None) -> RosterPreview:
    """Read and check every row of a roster's CSV text, as `by` would import it."""
    read = read_rows(text)
    result = RosterPreview(text=text, file_errors=read.file_errors)
    if not result.file_errors:
        rows = [RosterRow(line=raw.line, values=raw.values, errors=raw.errors) for raw in read.rows]
        _check(program, rows, result, by)
    return result


def stored_rows(result: RosterPreview) -> list[dict]:
    """What a `RosterImport` keeps of a checked roster: each row's line and the columns it
    fills, as the preview page carried them."""
    return [
        {"line": row.line, "values": {name: value for name, value in row.values.items() if value}}
        for row in result.rows
    ]


def recheck(program: Program, stored: list[dict], by: User | None) -> RosterPreview:
    """Check stored rows again, against the database as it is now."""
    rows = [
        RosterRow(
            line=item["line"],
            values={name: str(item["values"].get(name, "")) for name in COLUMNS},
        )
        for item in stored
    ]
    result = RosterPreview()
    _check(program, rows, result, by)
    return result


def _check(program: Program, rows: list[RosterRow], result: RosterPreview, by: User | None):
    if program.is_archived:
        result.file_errors.append(
            gettext("This program is archived: it takes no new participants.")
        )
        return
    result.known = Known.look_up(program, rows, by)
    check_rows(rows, result.known, by)
    plan_rows(rows, result.known)
    result.rows = sorted(rows, key=lambda row: row.line)
