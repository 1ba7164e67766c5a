"""What a funder's report holds, as plain values: the renderer (`render.py`) draws whatever a
builder hands it and knows nothing of programs, people or the database.

Every cell arrives as text, already formatted and already suppressed by the builder ("fewer
than 5"): the renderer never counts, rounds or hides anything itself, so the rule that protects
small cells lives in one place, with the figures it protects.
"""

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart: one bar per label. A value of None is a suppressed bar, drawn
    as no bar with `suppressed_text` in place of its number."""

    title: str
    labels: list[str]
    values: list[float | None]
    unit: str = ""
    suppressed_text: str = "fewer than 5"

    def __post_init__(self) -> None:
        if len(self.labels) != len(self.values):
            raise ValueError("A bar chart needs one value per label.")


@dataclass(frozen=True)
class ReportTable:
    """One figure of the report: a table (its first row cell in each row is that row's header)
    and, if given, a chart of the same numbers drawn above it."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    note: str = ""
    chart: BarChart | None = None

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"Every row of {self.title!r} needs {len(self.columns)} cells.")


@dataclass(frozen=True)
class FunderReport:
    """The whole report: a title page, the figures, and a note on method and suppression.

    `method_note` is plain text; a blank line starts a new paragraph."""

    title: str
    organization_name: str
    period_label: str
    generated_on: datetime.date
    tables: list[ReportTable] = field(default_factory=list)
    method_note: str = ""
    language: str = "en"
