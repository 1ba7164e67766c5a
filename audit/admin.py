"""The access log in Django admin: the whole log, filtered and searched, never changed."""

from django.contrib import admin

from audit.models import AccessLogEntry
from programs.admin import ReadOnlyAdmin, person_column, person_search


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "reader_name", "role", "kind", "what", "program", "relationship")
    list_filter = ("role", "kind", ("program", admin.RelatedOnlyFieldListFilter))
    list_select_related = (
        "reader",
        "program",
        "relationship__mentor",
        "relationship__protege",
        "relationship__team",
    )
    search_fields = (*person_search("reader"), "what", "path")
    date_hierarchy = "at"
    show_full_result_count = False
    fields = (
        "at",
        "reader",
        "role",
        "kind",
        "what",
        "path",
        "program",
        "relationship",
        "visit",
        "goal",
    )
    readonly_fields = fields
    reader_name = person_column("reader", "read by")
