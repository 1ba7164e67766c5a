"""Importing a roster of participants from a CSV file or an Excel workbook (.xlsx).

The coordinator downloads a template, fills one row per person, uploads it and sees a preview:
row by row, what will be added, what will change ("field: old -> new") and what stays as it
is, with every row's problems. Saving is all or nothing: when any row is bad, no row is saved;
when all are good, every row is. Importing an updated roster again updates the people already
there, their role included.

The preview is stateless: the page carries the file's text (a workbook's first sheet as CSV) in
a hidden field. Confirming checks it again and stores the rows in a `RosterImport`; the task
worker saves them (`programs.tasks.roster_import_save`), checking them once more against the
database, inside one transaction, while the coordinator's page says how far it has got.

The modules, in the order a roster goes through them: columns (what each column takes),
reading (the file), known (what is already here, in a fixed number of queries), checking
(row by row), changes (what saving each row does), preview, saving (in bulk) and jobs (the
background save).
"""

from programs.roster.columns import COLUMNS, MAX_ROWS, column_help, template_rows
from programs.roster.jobs import done_notices, roster_import_queue, roster_import_run
from programs.roster.preview import RosterPreview, preview, recheck, stored_rows
from programs.roster.reading import decode, template_workbook

__all__ = [
    "COLUMNS",
    "MAX_ROWS",
    "RosterPreview",
    "column_help",
    "decode",
    "done_notices",
    "preview",
    "recheck",
    "roster_import_queue",
    "roster_import_run",
    "stored_rows",
    "template_rows",
    "template_workbook",
]
