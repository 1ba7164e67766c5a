"""Calendar months, as the dosage expectations count them ("visits per month")."""

import datetime


def month_bounds(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first day of today's month and the first day of the next."""
    start = today.replace(day=1)
    following = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, following
