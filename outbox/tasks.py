"""The outbox's one task: send a delivery, by id (docs/design.md, "Work that happens on its
own")."""

from django.tasks import task

from outbox import services


@task()
def deliver(delivery_id: int) -> str:
    return services.attempt(delivery_id)
