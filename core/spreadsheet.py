"""CSV files that people open in a spreadsheet program: the one writer every download uses.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (and some read a
leading tab or carriage return the same way): text a mentor typed as `=HYPERLINK(...)` would
become a link, or worse, on the coordinator's computer. Such text cells get a single quote in
front (OWASP's advice), which spreadsheets show as text. Only text (`str`) is changed: numbers
the exports write themselves (a goal's baseline of -3, a count) stay numbers.
"""

import csv
from collections.abc import Iterable, Iterator, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value, with a leading `'` when it is text a spreadsheet would take for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A file that hands back what is written to it, so each row becomes one string."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Sequence]) -> Iterator[str]:
    """Each row (a sequence of cells) as one line of CSV, every text cell made safe."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    for row in rows:
        yield writer.writerow(map(safe_cell, row))
