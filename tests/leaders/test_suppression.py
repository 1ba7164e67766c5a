"""The small-cell rule (reports/rollup/suppression.py): no shown figure describes fewer than
N people, and no hidden figure can be worked out from the totals."""

import pytest
from django.test import override_settings

from reports.rollup.suppression import Draft, Layout, label, protect


def people(start: int, n: int) -> frozenset[int]:
    return frozenset(range(start, start + n))


def column_table(sizes: list[int]):
    """One column of counts, each describing that many distinct people, and their total."""
    rows, start = [], 0
    for size in sizes:
        rows.append(
            [label(f"row {start}"), Draft(value=size, people=people(start, size), text=str(size))]
        )
        start += size
    everyone = people(0, start)
    total = [label("Total"), Draft(value=start, people=everyone, text=str(start))]
    return rows, total


def recovered(rows, total, columns) -> list[tuple[int, int]]:
    """What an attacker works out by subtraction: for each column that adds up to its
    shown total, the hidden cell when it is the only one hidden (row, value)."""
    found = []
    for column in columns:
        hidden = [i for i, row in enumerate(rows) if row[column].suppressed]
        if total[column].suppressed or len(hidden) != 1:
            continue
        shown = sum(row[column].value for row in rows if not row[column].suppressed)
        found.append((hidden[0], total[column].value - shown))
    return found


def test_a_cell_of_three_reads_fewer_than_5_and_a_second_cell_is_withheld():
    rows, total = column_table([3, 12, 20])
    body, total_cells = protect(rows, total, layout=Layout(columns=(1,)))
    assert body[0][1].text == "fewer than 5" and body[0][1].value is None
    assert body[1][1].text == "withheld"  # the next-smallest
    assert body[2][1].text == "20"
    assert total_cells[1].text == "35"
    assert not recovered(body, total_cells, (1,))


def test_subtraction_from_the_total_never_recovers_a_hidden_cell():
    for sizes in ([1, 40], [4, 5, 6], [2, 0, 30, 31], [3, 3, 50], [1, 1, 1, 100]):
        rows, total = column_table(sizes)
        body, total_cells = protect(rows, total, layout=Layout(columns=(1,)))
        assert not recovered(body, total_cells, (1,)), sizes
        for row in body:
            assert row[1].suppressed or row[1].people == 0 or row[1].people >= 5


def test_when_the_others_are_zeros_the_total_is_hidden():
    rows, total = column_table([3, 0, 0])
    body, total_cells = protect(rows, total, layout=Layout(columns=(1,)))
    assert body[1][1].text == "0" and body[2][1].text == "0"  # nobody to single out
    assert total_cells[1].suppressed


def test_small_hidden_cells_that_add_up_to_a_small_sum_are_not_left_alone():
    """Two hidden ones of 1 beside a total: their sum (2) would pin both down."""
    rows, total = column_table([1, 1, 30])
    body, total_cells = protect(rows, total, layout=Layout(columns=(1,)))
    assert body[2][1].suppressed or total_cells[1].suppressed


def test_rows_and_columns_both_protected():
    """A cross table: each row adds up to its total column, each column to the total row."""

    def row(name, cells, start):
        drafts, offset = [label(name)], start
        for value in cells:
            drafts.append(Draft(value=value, people=people(offset, value), text=str(value)))
            offset += value
        drafts.append(Draft(value=sum(cells), people=people(start, sum(cells)), text=""))
        return drafts

    rows = [row("a", [2, 10, 10], 0), row("b", [10, 10, 10], 100), row("c", [10, 12, 10], 200)]
    total = [label("Total")]
    for column in range(1, 5):
        value = sum(r[column].value for r in rows)
        total.append(
            Draft(value=value, people=frozenset().union(*(r[column].people for r in rows)), text="")
        )
    layout = Layout(columns=(1, 2, 3, 4), row_parts=(1, 2, 3), row_total=4)
    body, total_cells = protect(rows, total, layout=layout)
    assert body[0][1].text == "fewer than 5"
    assert not recovered(body, total_cells, (1, 2, 3, 4))
    for r in [*body, total_cells]:  # across each row, as well
        hidden = [c for c in (r[1], r[2], r[3]) if c.suppressed]
        assert len(hidden) != 1 or r[4].suppressed


def test_derived_figures_hide_with_their_row():
    rows = [
        [
            label("a"),
            Draft(value=3, people=people(0, 3), text="3"),
            Draft(value=50, people=people(0, 3), text="50%"),
        ],
        [
            label("b"),
            Draft(value=9, people=people(10, 9), text="9"),
            Draft(value=40, people=people(10, 9), text="40%"),
        ],
    ]
    total = [
        label("T"),
        Draft(value=12, people=people(0, 20), text="12"),
        Draft(value=45, people=people(0, 20), text="45%"),
    ]
    body, _ = protect(rows, total, layout=Layout(columns=(1,), derived=(2,)))
    assert body[1][2].suppressed  # its count was withheld, so its share is too


def test_a_supervisors_own_supervisees_are_never_a_figure_of_their_own():
    rows, total = column_table([6, 20])
    body, _ = protect(rows, total, layout=Layout(columns=(1,)), shielded=people(0, 6))
    assert body[0][1].text == "withheld"


@pytest.mark.parametrize("n", [3, 10])
def test_the_minimum_is_a_setting(n):
    with override_settings(SMALL_CELL_MINIMUM=n):
        rows, total = column_table([4, 40, 40])
        body, _ = protect(rows, total, layout=Layout(columns=(1,)))
    assert body[0][1].suppressed is (n > 4)
    if n > 4:
        assert body[0][1].text == f"fewer than {n}"
