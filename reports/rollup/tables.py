"""The plain data of the roll-up: tables of cells, which the pages, the exports and the PDF
read alike. A cell knows its raw figure, how many people it describes and what it shows
("12", "40%", "fewer than 5"); suppression (suppression.py) has already decided the last."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cell:
    """One figure. `value` is the raw figure (None for a label or nothing to show); `people`
    how many people it describes; `text` what every reader sees. A suppressed cell shows no
    figure: its `value` and `people` are None and 0, so nothing downstream (a page, a
    download, the PDF) can show what is hidden."""

    text: str
    value: int | float | None = None
    people: int = 0
    suppressed: bool = False
    is_label: bool = False

    @property
    def shown(self) -> int | float | str | None:
        """What a reader may learn: the figure, or the words that stand for it."""
        if self.is_label or self.suppressed or self.value is None:
            return self.text
        return self.value

    @property
    def sort_key(self) -> tuple:
        """Suppressed and empty cells sort last, whatever their figure (sorting by a hidden
        figure would tell it)."""
        if self.is_label:
            return (0, self.text.casefold())
        if self.suppressed or self.value is None:
            return (1, 0)
        return (0, self.value)


@dataclass(frozen=True)
class Table:
    """A titled table: column headings, rows of cells (each begins with its label) and a
    total row, if any. `chart` is the data static/js/site.js draws, suppressed bars left out."""

    slug: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total: tuple[Cell, ...] | None = None
    note: str = ""
    chart: dict | None = None
    chart_type: str = "bar"
    links: tuple[str | None, ...] = field(default=())  # per row: a URL for its label, or None

    @property
    def chart_id(self) -> str:
        return f"chart-{self.slug}"

    @property
    def all_rows(self) -> tuple[tuple[Cell, ...], ...]:
        return self.rows + ((self.total,) if self.total else ())

    @property
    def has_suppressed(self) -> bool:
        return any(cell.suppressed for row in self.all_rows for cell in row)

    def rows_with_links(self) -> list[tuple[list[tuple[Cell, str]], str | None]]:
        """Each row's cells with their column's heading (a phone's stacked table labels each
        cell with it), and the row's link."""
        links = self.links or (None,) * len(self.rows)
        return [
            (list(zip(row, self.columns, strict=True)), link)
            for row, link in zip(self.rows, links, strict=True)
        ]

    @property
    def labelled_total(self) -> list[tuple[Cell, str]]:
        return list(zip(self.total, self.columns, strict=True)) if self.total else []
