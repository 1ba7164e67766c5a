"""Every roll-up table as a download: CSV, or an .xlsx workbook (openpyxl). Both hold exactly
the cells the page shows, suppressed ones as their words ("fewer than 5"), and every text cell
goes through the spreadsheet rule of the program exports (core/spreadsheet.py), so no cell
starts a formula."""

import datetime
import io

from django.http import HttpResponse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.spreadsheet import csv_text, safe_cell
from reports.rollup.filters import Filters
from reports.rollup.suppression import minimum
from reports.rollup.tables import Cell, Table

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_rows(table: Table) -> list[list]:
    """The heading row, then each row as its readers see it (the total last)."""
    return [list(table.columns)] + [[_shown(cell) for cell in row] for row in table.all_rows]


def _shown(cell: Cell):
    """A figure as a number; a share as the page writes it ("40%"), so it reads as one."""
    if cell.text.endswith("%") and not cell.suppressed:
        return cell.text
    return cell.shown


def method_note() -> str:
    return _(
        "No figure describes fewer than %(n)s people: such cells read “fewer than %(n)s”. "
        "Where one cell of a row or column that adds up is hidden, another is “withheld” "
        "so that it cannot be worked out from the total."
    ) % {"n": minimum()}


def filename(table: Table, filters: Filters, extension: str) -> str:
    return f"rollup-{table.slug}-{filters.starts_on:%Y%m%d}-{filters.ends_on:%Y%m%d}.{extension}"


def csv_response(table: Table, filters: Filters) -> HttpResponse:
    response = HttpResponse(
        "".join(csv_text(table_rows(table))), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename(table, filters, "csv")}"'
    return response


def xlsx_bytes(table: Table, filters: Filters, counted_at: datetime.datetime) -> bytes:
    """A workbook of one sheet: the title, the period and when it was counted, the table,
    then the note on method."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.slug[:31])
    sheet.append([safe_cell(table.title)])
    when = date_format(localtime(counted_at), "DATETIME_FORMAT")
    sheet.append(
        [safe_cell(_("%(period)s · counted %(when)s") % {"period": filters.label, "when": when})]
    )
    sheet.append([])
    for row in table_rows(table):
        sheet.append([safe_cell(value) for value in row])
    sheet.append([])
    if table.note:
        sheet.append([safe_cell(table.note)])
    sheet.append([safe_cell(method_note())])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(table: Table, filters: Filters, counted_at: datetime.datetime) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(table, filters, counted_at), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename(table, filters, "xlsx")}"'
    return response
