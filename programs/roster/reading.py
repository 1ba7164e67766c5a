"""Reading a roster file: a CSV file, or the first sheet of an Excel workbook (.xlsx, read
with openpyxl in read-only mode, values only). A workbook is turned into CSV text, which the
preview page carries in a hidden field like a CSV file's own text; the rows are then read from
that text, whichever file it came from."""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from programs.roster.columns import COLUMNS, MAX_BYTES, MAX_ROWS, REQUIRED_COLUMNS, norm

NOT_A_ROSTER = _(
    "The file is neither a CSV file nor an Excel workbook (.xlsx). Save it as CSV (UTF-8) or "
    "as an Excel workbook and try again."
)
# Columns read from a workbook's sheet: far more than the roster has, fewer than a runaway
# sheet's thousands.
MAX_SHEET_COLUMNS = 64
# Where a CSV row keeps the values past the last named column.
EXTRA = "_extra"


@dataclass
class RawRow:
    """A row as the file gives it: its line (a CSV line, or a sheet's row number), its values
    by column, and what makes it unreadable."""

    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)


@dataclass
class ReadFile:
    rows: list[RawRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)


def decode(upload) -> tuple[str, list[str]]:
    """The text of an uploaded roster as CSV, or the reasons why it cannot be read."""
    if upload.size > MAX_BYTES:
        return "", [
            gettext("The file is larger than %(size)s kB; split it into smaller ones.")
            % {"size": MAX_BYTES // 1000}
        ]
    raw = upload.read()
    if raw.startswith(b"PK\x03\x04"):  # a zip archive, as an .xlsx workbook is
        return _workbook_text(raw)
    # A NUL byte is never in a text CSV file (a spreadsheet's own binary format, or UTF-16
    # text, has them), and PostgreSQL refuses it in a query.
    if b"\x00" not in raw:
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return raw.decode(encoding), []
            except UnicodeDecodeError:
                continue
    return "", [str(NOT_A_ROSTER)]


def _workbook_text(raw: bytes) -> tuple[str, list[str]]:
    """The first sheet of a workbook, as CSV text."""
    from openpyxl import load_workbook  # only when a workbook comes

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        return "", [str(NOT_A_ROSTER)]
    try:
        if not workbook.worksheets:
            return "", [gettext("The workbook has no sheet.")]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        sheet = workbook.worksheets[0]
        for count, cells in enumerate(
            sheet.iter_rows(max_col=MAX_SHEET_COLUMNS, values_only=True), start=1
        ):
            if count > MAX_ROWS + 1 + 100:  # the header, the rows, some blank ones
                break
            values = [_cell_text(value) for value in cells]
            while values and not values[-1]:
                values.pop()
            writer.writerow(values)
        return out.getvalue(), []
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    """A cell's value as the CSV file would say it: 14, not 14.0; yes or no; a date."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()


def read_rows(text: str) -> ReadFile:
    """The rows of a roster's CSV text. What makes the whole file unusable goes to
    `file_errors`; a row with more values than there are columns comes with its error."""
    result = ReadFile()
    if not text.strip():
        result.file_errors.append(gettext("The file is empty."))
        return result
    reader = csv.DictReader(io.StringIO(text), restkey=EXTRA)
    try:
        header = [(norm(name or "").replace(" ", "_")) for name in (reader.fieldnames or [])]
    except csv.Error as error:
        result.file_errors.append(
            gettext("The file could not be read as CSV: %(error)s.") % {"error": error}
        )
        return result
    reader.fieldnames = header
    problem = _header_problem(header)
    if problem:
        result.file_errors.append(problem)
        return result
    try:
        _read_body(reader, result)
    except csv.Error as error:
        result.file_errors.append(
            gettext("The file could not be read as CSV: %(error)s.") % {"error": error}
        )
        return result
    if not result.rows and not result.file_errors:
        result.file_errors.append(gettext("The file has no rows under its header."))
    return result


def _read_body(reader: csv.DictReader, result: ReadFile) -> None:
    for raw in reader:
        if _is_blank(raw):
            continue
        if len(result.rows) >= MAX_ROWS:
            result.file_errors.append(
                gettext("At most %(count)s rows per file.") % {"count": MAX_ROWS}
            )
            return
        if any((value or "").strip() for value in raw.get(EXTRA) or []):
            row = RawRow(line=reader.line_num, values={})
            row.errors.append(gettext("This row has more values than there are columns."))
        else:
            values = {name: (raw.get(name) or "").strip() for name in COLUMNS}
            row = RawRow(line=reader.line_num, values=values)
        result.rows.append(row)


def _header_problem(header: list[str]) -> str:
    """What is wrong with the first line's column names ("" when nothing is)."""
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        return gettext(
            "The first line must name the columns; missing: %(columns)s. Download the "
            "template to see the expected columns."
        ) % {"columns": ", ".join(missing)}
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        return gettext("Unknown columns: %(columns)s. Use the template's columns.") % {
            "columns": ", ".join(unknown)
        }
    return ""


def _is_blank(raw: dict) -> bool:
    """A line with nothing in it. (Values past the last column come as a list under the key
    EXTRA, which this does not read.)"""
    return not any((value or "").strip() for value in raw.values() if isinstance(value, str))


def template_workbook(rows: list[list[str]]) -> bytes:
    """The template as an Excel workbook: one sheet, the header and the example rows, as text."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Roster")
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
