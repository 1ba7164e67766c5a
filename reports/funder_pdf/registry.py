"""The builders a report job may run, in one place.

A builder is a function `build(params: dict) -> FunderReport`: given the parameters a person
asked with, it counts, formats and suppresses, and hands back plain values for the renderer.
`params` always holds `requested_by`, the id of the person who asked: a builder shows only what
that person may see, at the logistics tier, and suppresses cells of fewer than
`SMALL_CELL_MINIMUM` people itself.

A job names its builder by dotted path; only a path listed here is ever imported, so a
request cannot make the worker run any other function. Add a builder by adding its path and
the name people see for it.
"""

from collections.abc import Callable

from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from reports.funder_pdf.types import FunderReport

Builder = Callable[[dict], FunderReport]

BUILDERS: dict[str, str | Promise] = {
    "reports.funder_pdf.my_programs.build": _("Visits and hours in my programs"),
    "reports.rollup.pdf.build": _("Roll-up across your programs"),
}


def is_registered(path: str) -> bool:
    return path in BUILDERS


def builder(path: str) -> Builder:
    """The registered builder at `path`; ValueError for any path not registered."""
    if path not in BUILDERS:
        raise ValueError(f"{path!r} is not a registered report builder.")
    return import_string(path)
