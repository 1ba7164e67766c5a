"""Django admin for observation tools (a program's configuration, with its history).

Observations themselves are the relationships' shared conversation: they are read in the app,
by the relationship's people, not in Django admin."""

from django.contrib import admin

from observations.models import ObservationDomain, ObservationTool
from programs.admin import HistoryAdmin, NoDeleteMixin


class ObservationDomainInline(admin.TabularInline):
    model = ObservationDomain
    fields = ("order", "name", "description", "retired_at")
    extra = 0
    show_change_link = False


@admin.register(ObservationTool)
class ObservationToolAdmin(NoDeleteMixin, HistoryAdmin):
    list_display = ("name", "program", "kind", "active")
    list_filter = ("kind", "active")
    list_select_related = ("program",)
    search_fields = ("name", "program__name")
    raw_id_fields = ("program", "copied_from")
    inlines = (ObservationDomainInline,)
