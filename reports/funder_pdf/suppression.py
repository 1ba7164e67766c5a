"""Small-cell suppression for report cells: no figure describes fewer than
`SMALL_CELL_MINIMUM` people (5 unless set otherwise)."""

from django.conf import settings
from django.utils.translation import gettext as _


def minimum() -> int:
    return settings.SMALL_CELL_MINIMUM


def suppressed_text() -> str:
    return _("fewer than %(n)s") % {"n": minimum()}


def is_small(people: int) -> bool:
    """Whether a figure about `people` people must not be shown. None counted is no one to
    single out: an empty row shows its zeros."""
    return 0 < people < minimum()


def cell(value: str, people: int) -> str:
    """`value` (already formatted), or "fewer than 5" when it describes too few people."""
    return suppressed_text() if is_small(people) else value
