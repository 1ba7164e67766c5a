"""Dates written in the reader's language.

The templates and the code name their formats the American way ("M j, Y": Dec 3, 2026). In
Spanish the day comes first ("3 dic 2026"), so each such format is a translatable string (context
"date format"), and `local_format` gives the active language's. The template filters `|date` and
`|day` (core/templatetags/dates.py, a template builtin) go through it, so every page's dates
follow the language (and `|time` its times of day); Python code writes a date with
`format_day`, never with `strftime("%B")`, whose month names are always English.
"""

import datetime

from django.utils import formats
from django.utils.translation import pgettext_lazy

# The formats the site uses, each with its form in the active language. A format not listed
# is used as it is (named formats such as "SHORT_DATE_FORMAT" come from Django's locale files).
LOCAL_FORMATS = {
    "F j, Y": pgettext_lazy("date format", "F j, Y"),
    "M j, Y": pgettext_lazy("date format", "M j, Y"),
    "M j": pgettext_lazy("date format", "M j"),
    "F j": pgettext_lazy("date format", "F j"),
    "F Y": pgettext_lazy("date format", "F Y"),
    "M Y": pgettext_lazy("date format", "M Y"),
    "l, F j, Y": pgettext_lazy("date format", "l, F j, Y"),
    "l, F j": pgettext_lazy("date format", "l, F j"),
    "l, M j": pgettext_lazy("date format", "l, M j"),
    "D M j": pgettext_lazy("date format", "D M j"),
    "M j, Y, g:i A": pgettext_lazy("date format", "M j, Y, g:i A"),
    "M j, Y, H:i": pgettext_lazy("date format", "M j, Y, H:i"),
    # Times of day: "9:30 AM" in English, "9:30 a.m." in Spanish.
    "g:i A": pgettext_lazy("date format", "g:i A"),
}


def local_format(fmt: str) -> str:
    """`fmt` as the active language writes it."""
    local = LOCAL_FORMATS.get(fmt)
    return str(local) if local is not None else fmt


def format_day(value: datetime.date | datetime.datetime, fmt: str = "F j, Y") -> str:
    """`value` in the active language, `fmt` as for the `|date` filter ("F j": December 3)."""
    return formats.date_format(value, local_format(fmt))
