"""Django admin for two-step verification: who has it on, and deleting someone's turns it off
(for a person who lost their phone and their recovery codes). The secret and the codes never
show."""

from django.contrib import admin

from mentoring_site.models import TwoStep


@admin.register(TwoStep)
class TwoStepAdmin(admin.ModelAdmin):
    list_display = ("user", "confirmed_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__email")
    fields = ("user", "confirmed_at")
    readonly_fields = ("user", "confirmed_at")

    def has_add_permission(self, request) -> bool:
        return False
