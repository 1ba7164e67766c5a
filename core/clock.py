"""The one place the project reads the clock.

Every "now" and "today" goes through here, in the program's time zone (`TIME_ZONE`,
`DJANGO_TIME_ZONE`): a date is the day on the wall clock where the program runs, never the
server's UTC date. Tests move the clock with time-machine (`time_machine.travel`), which these
functions follow; nothing else in the code calls `timezone.now()` or `date.today()`.
"""

import datetime

from django.utils import timezone


def now() -> datetime.datetime:
    """The current instant (aware, UTC)."""
    return timezone.now()


def today() -> datetime.date:
    """Today's date on the program's wall clock."""
    return timezone.localdate(timezone.now())


def local(moment: datetime.datetime) -> datetime.datetime:
    """An instant on the program's wall clock."""
    return timezone.localtime(moment)


def local_date(moment: datetime.datetime) -> datetime.date:
    """The program's date at an instant (a log written at 21:00 on 31 December is that day's)."""
    return timezone.localdate(moment)
