"""The small-cell rule, in one place: no figure shown to a leader describes fewer than
`SMALL_CELL_MINIMUM` people (5 by default), and no hidden figure can be worked out from the ones
shown.

1. **Primary.** A cell that describes from 1 to N-1 people reads "fewer than N". So does a
   cell that describes only the viewer's own supervisees (a supervisor who is also a leader
   must not read a figure about exactly their own people), whatever its size: it reads
   "withheld".
2. **Complementary.** Tables say which of their cells add up: each listed column of the body
   adds up to the total row, and each row's listed columns add up to its total column. In such
   a group, one hidden cell could be found by subtracting the others from the total, so a
   second one is hidden too: the smallest cell still shown (fewest people, then the first),
   or the total when every other cell is zero. Two or more hidden cells that together
   describe fewer than N people could still be pinned down (their sum is known, and each is
   at least 1), so cells are hidden until the hidden ones describe N people or more, or the
   total itself is hidden. This repeats until every group is safe.
3. **Derived figures** (a share, a mean: columns listed as derived) hide whenever anything in
   their row hides, since with the row's other figures they would tell the hidden one.

Cells that describe nobody (a zero) stay shown: there is no one to single out.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from reports.rollup.grouped import Headcount, known_ids
from reports.rollup.tables import Cell


def minimum() -> int:
    """N: the fewest people a figure may describe (`SMALL_CELL_MINIMUM`)."""
    return settings.SMALL_CELL_MINIMUM


def fewer_than() -> str:
    return _("fewer than %(n)s") % {"n": minimum()}


def withheld() -> str:
    return _("withheld")


@dataclass
class Draft:
    """A cell being built: its figure, the people it describes (ids), and how it reads."""

    value: int | float | None
    # A set of ids, or a Headcount (grouped.py): how many, and who only when they are few.
    people: frozenset[int] | Headcount = field(default_factory=frozenset)
    text: str = ""
    is_label: bool = False
    hidden: str = ""  # "" shown; else the words it reads instead

    @property
    def suppressed(self) -> bool:
        return bool(self.hidden)

    @property
    def unknown(self) -> bool:
        """Hidden, with a figure that is not zero (a hidden zero tells nothing away either)."""
        return self.suppressed

    def hide(self, words: str) -> bool:
        if self.is_label or self.hidden:
            return False
        self.hidden = words
        return True

    def cell(self) -> Cell:
        return Cell(
            text=self.hidden or self.text,
            value=None if self.hidden else self.value,
            people=0 if self.hidden else len(self.people),  # how many is what is hidden
            suppressed=bool(self.hidden),
            is_label=self.is_label,
        )


def label(text: str) -> Draft:
    return Draft(value=None, text=text, is_label=True)


@dataclass
class Layout:
    """Which cells of a table add up: `columns` of the body add up to the total row;
    `row_parts` of each row add up to its `row_total` column; `derived` columns are shares
    and means of the others in their row."""

    columns: tuple[int, ...] = ()
    row_parts: tuple[int, ...] = ()
    row_total: int | None = None
    derived: tuple[int, ...] = ()


def _groups(
    rows: list[list[Draft]], total: list[Draft] | None, layout: Layout
) -> list[tuple[list[Draft], Draft]]:
    """Each group of cells that adds up, with the cell it adds up to."""
    groups: list[tuple[list[Draft], Draft]] = []
    if total is not None:
        for column in layout.columns:
            groups.append(([row[column] for row in rows], total[column]))
    if layout.row_total is not None:
        for row in [*rows, *([total] if total is not None else [])]:
            groups.append(([row[column] for column in layout.row_parts], row[layout.row_total]))
    return groups


def _complete(group: tuple[list[Draft], Draft], order: dict[int, int], n: int) -> bool:
    """Hide one more cell of a group whose hidden cells could be worked out: a single one
    (the total minus the others), or several that together describe fewer than N people
    (their sum is known, and each reads "fewer than N", so a small sum pins them down).
    Whether anything changed."""
    members, total = group
    hidden = [cell for cell in [*members, total] if cell.suppressed]
    if not hidden or (total.suppressed and len(hidden) > 1):
        return False
    if len(hidden) > 1 and _together_at_least(hidden, n):
        return False
    shown = [cell for cell in members if not cell.suppressed and cell.value]
    if shown:
        smallest = min(shown, key=lambda cell: (len(cell.people), order[id(cell)]))
        return smallest.hide(withheld())
    if not total.suppressed:
        return total.hide(withheld())
    zeros = [cell for cell in members if not cell.suppressed]
    return bool(zeros) and zeros[0].hide(withheld())


def _together_at_least(cells: list[Draft], n: int) -> bool:
    """Whether these cells together describe `n` people or more. A Headcount lists its ids
    whenever it counts fewer than `n` people; one that does not describes `n` or more alone."""
    everyone: set[int] = set()
    for cell in cells:
        ids = known_ids(cell.people)
        if ids is None:
            return True
        everyone |= ids
    return len(everyone) >= n


def protect(
    rows: list[list[Draft]],
    total: list[Draft] | None = None,
    *,
    layout: Layout | None = None,
    shielded: Iterable[int] = (),
    n: int | None = None,
) -> tuple[tuple[tuple[Cell, ...], ...], tuple[Cell, ...] | None]:
    """Apply the rule to a table's cells; the cells as every reader sees them."""
    layout = layout or Layout()
    n = minimum() if n is None else n
    shielded = frozenset(shielded)
    everything = [*rows, *([total] if total is not None else [])]
    order: dict[int, int] = {}
    for row_number, row in enumerate(everything):
        for cell in row:
            order[id(cell)] = row_number
            if cell.is_label or not cell.people:
                continue
            if len(cell.people) < n:
                cell.hide(fewer_than())
            elif shielded and cell.people <= shielded:
                cell.hide(withheld())
    changed = True
    groups = _groups(rows, total, layout)
    while changed:
        changed = False
        for group in groups:
            changed |= _complete(group, order, n)
        for row in everything:
            if any(cell.suppressed for cell in row):
                for column in layout.derived:
                    changed |= row[column].hide(withheld())
    body = tuple(tuple(cell.cell() for cell in row) for row in rows)
    return body, (tuple(cell.cell() for cell in total) if total is not None else None)
