from django.contrib import admin

from outbox.models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The delivery log: what was sent to whom and when, and what could not be delivered.

    Read-only: a delivery is a record. The message itself is not kept (see outbox.models)."""

    list_display = [
        "created_at",
        "kind",
        "recipient",
        "status",
        "attempts",
        "sent_at",
        "short_error",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["recipient__username", "recipient__email", "address", "key"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    readonly_fields = [field.name for field in Delivery._meta.fields]

    @admin.display(description="error")
    def short_error(self, delivery: Delivery) -> str:
        return delivery.last_error[:80]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
