"""Dates written in the reader's language.

The templates and the code name their formats the American way ("M j, Y": Dec 3, 2026). In
Spanish the day comes first ("3 dic 2026"), so each such format is a translatable string (context
"date format"), and `local_format` gives the active language's. The template filters `|date` and
`|day` (core/templatetags/dates.py, a template builtin) go through it, so every page's dates
follow the language (and `|time` its times of day); Python code writes a date with
`format_day`, never with `strftime("%B")`, whose month names are always English.
"""

import datetime
from functools import lru_cache

from django.utils import formats
from django.utils.translation import get_language, pgettext_lazy

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


def calendar_day(value: datetime.date, fmt: str) -> str:
    """A calendar date (no time of day, no time zone) in the active language, `fmt` as for
    `format_day`: the same text every time in one language, so it is remembered (a bounded
    cache). `|day` (core/templatetags/dates.py) and the pages that write their rows' text in
    Python go through it."""
    return _remembered_day(value, str(fmt), get_language())


@lru_cache(maxsize=4096)
def _remembered_day(value: datetime.date, fmt: str, language: str) -> str:
    # `language` is part of the cache key: the text is in the active language.
    return formats.date_format(value, local_format(fmt))
