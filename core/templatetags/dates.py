"""`{{ visit.date|day:"M j, Y" }}`: Django's `|date` for calendar dates, remembered, in the
reader's language; and `|date` itself, through the same formats (a template builtin, so every
template's `|date` goes through it).

The format a template names is the American one; `core.dates.local_format` gives the active
language's ("M j, Y" is "j M Y" in Spanish), so dates follow the language.

`|date` costs about 30 µs a call (Django's DateFormat looks up month and weekday names through
lazy translations every time), and list pages call it once or twice a row: 2–3 ms of the
relationship page and of the protégé's feedback list. A calendar date (a `date`, not a
`datetime`: no time of day, no time zone) with an explicit format formats the same way every
time in one language, so the text is kept in a bounded cache. Anything else (datetimes, named
formats such as "SHORT_DATE_FORMAT", which settings can change) goes straight to `|date`.
"""

import datetime

from django import template
from django.template.defaultfilters import date as django_date
from django.template.defaultfilters import time as django_time

from core.dates import calendar_day, local_format

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def day(value, fmt=None):
    if type(value) is datetime.date and fmt and not fmt.endswith("_FORMAT"):
        return calendar_day(value, fmt)
    return django_date(value, local_format(fmt) if fmt else fmt)


@register.filter(expects_localtime=True, is_safe=False)
def date(value, fmt=None):
    """Django's `|date`, with the format in the reader's language."""
    return django_date(value, local_format(fmt) if fmt else fmt)


@register.filter(expects_localtime=True, is_safe=False)
def time(value, fmt=None):
    """Django's `|time`, with the format in the reader's language ("g:i A": 9:30 a.m.)."""
    return django_time(value, local_format(fmt) if fmt else fmt)
