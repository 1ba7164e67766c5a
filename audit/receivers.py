"""Stores the reads the apps record (core/access.py): one INSERT per page, whatever the number
of relationships it showed."""

from django.dispatch import receiver

from audit.models import AccessLogEntry
from core import clock
from core.access import Read, read_recorded


@receiver(read_recorded, sender=Read, dispatch_uid="audit.store_reads")
def store_reads(sender, request, reads: list[Read], as_admin: bool, **kwargs) -> None:
    user = request.user
    role = AccessLogEntry.Role.ADMIN if as_admin else AccessLogEntry.Role.COORDINATOR
    at = clock.now()
    path = request.get_full_path()[:500]
    AccessLogEntry.objects.bulk_create(
        [
            AccessLogEntry(
                at=at,
                reader_id=user.pk,
                role=role,
                kind=read.kind,
                what=read.what[:200],
                path=path,
                relationship_id=read.relationship_id,
                program_id=read.program_id,
                visit_id=read.visit_id,
                goal_id=read.goal_id,
            )
            for read in reads
        ]
    )
