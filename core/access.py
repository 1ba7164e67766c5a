"""Reads that a district can audit: a page or an export that showed conversation-tier text to
someone outside the relationship (a coordinator of a program that shares logs, an admin), every
export download, and every admin view of a record with private fields.

The apps send `read_recorded` from where the read happens, through `record_read`; the audit
app on the top floor stores each page's reads in one INSERT (audit/receivers.py). A signal
keeps the lower apps from importing the higher one (docs/design.md, "Audit").
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.dispatch import Signal

read_recorded = Signal()


@dataclass(frozen=True)
class Read:
    """What one page or download showed: `kind` is one of audit.models.AccessLogEntry.Kind.
    Give the relationship whose text was read (None for a download that showed no
    conversation), and the visit or goal when the page was about one."""

    kind: str
    what: str
    relationship_id: int | None = None
    program_id: int | None = None
    visit_id: int | None = None
    goal_id: int | None = None


def record_read(request, reads: Iterable[Read], *, as_admin: bool = False) -> None:
    """Record what `request.user` read, as a coordinator (or as an administrator): one INSERT
    for all of `reads`, none for no reads."""
    reads = list(reads)
    if reads:
        read_recorded.send(sender=Read, request=request, reads=reads, as_admin=as_admin)
