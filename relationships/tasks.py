"""Recounting the monthly summary rows after a write (relationships/summary_refresh.py;
docs/design.md, "Work that happens on its own")."""

from django.tasks import task

from relationships import summary_refresh
from relationships.models import SupportRelationship


@task()
def refresh_support_months(relationship_ids: list[int]) -> int:
    return summary_refresh.refresh(relationship_ids)


@task()
def refresh_program_months(program_id: int) -> int:
    ids = SupportRelationship.objects.filter(program_id=program_id).values_list("pk", flat=True)
    return summary_refresh.refresh(list(ids))
