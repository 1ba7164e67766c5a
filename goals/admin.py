"""Django admin for goal templates, goals, action steps and progress entries."""

from typing import cast

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from core.access import Read
from goals.models import ActionStep, Goal, GoalTemplate, ProgressEntry
from goals.services import goal_template_retire
from programs.admin import (
    AccessLoggedMixin,
    ArchivedListFilter,
    HistoryAdmin,
    NoDeleteMixin,
    person_name,
    person_search,
    set_timestamp,
)

GOAL_RELATED = (
    "relationship__mentor",
    "relationship__protege",
    "relationship__team",
    "relationship__program",
)
GOAL_SEARCH = (
    "title",
    *person_search("relationship__mentor"),
    *person_search("relationship__protege"),
    "relationship__team__name",
)


# Lazy labels (cast: the base class types them as str), read in the reader's language.
class RetiredListFilter(ArchivedListFilter):
    title = cast(str, _("retired"))
    parameter_name = "retired"
    field_name = "retired_at"
    yes_label = cast(str, _("Retired"))
    no_label = cast(str, _("In use"))


class DoneListFilter(ArchivedListFilter):
    title = cast(str, _("done"))
    parameter_name = "done"
    field_name = "done_at"
    yes_label = cast(str, _("Done"))
    no_label = cast(str, _("Not done"))


@admin.action(description=_("Retire selected %(verbose_name_plural)s"))
def retire_selected(modeladmin, request, queryset):
    count = 0
    for template in queryset.filter(retired_at__isnull=True):
        template._history_user = request.user
        goal_template_retire(template=template)
        count += 1
    messages.success(
        request,
        ngettext("%(count)d goal template retired.", "%(count)d goal templates retired.", count)
        % {"count": count},
    )


@admin.action(description=_("Bring back selected retired %(verbose_name_plural)s"))
def unretire_selected(modeladmin, request, queryset):
    set_timestamp(
        request,
        queryset,
        field="retired_at",
        value=None,
        done="brought back",
    )


@admin.register(GoalTemplate)
class GoalTemplateAdmin(NoDeleteMixin, HistoryAdmin):
    list_display = ("title", "program", "focus_area", "required", "is_retired")
    list_filter = ("required", RetiredListFilter, "program")
    list_select_related = ("program",)
    search_fields = ("title", "focus_area", "program__name")
    autocomplete_fields = ("program",)
    readonly_fields = ("code",)
    fields = (
        "program",
        "title",
        "description",
        "focus_area",
        "suggested_measure",
        "required",
        "retired_at",
        "code",
    )
    actions = (retire_selected, unretire_selected)

    @admin.display(description=_("retired"), boolean=True, ordering="retired_at")
    def is_retired(self, obj):
        return obj.retired_at is not None


class ActionStepInline(admin.TabularInline):
    model = ActionStep
    fields = ("who", "what", "due_on", "done_at", "done_by")
    autocomplete_fields = ("done_by",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("done_by")


class ProgressEntryInline(admin.TabularInline):
    model = ProgressEntry
    fields = ("date", "value", "note", "recorded_by", "visit", "withdrawn_at")
    autocomplete_fields = ("recorded_by", "visit")
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by", "visit")


@admin.register(Goal)
class GoalAdmin(AccessLoggedMixin, NoDeleteMixin, HistoryAdmin):
    list_display = (
        "title",
        "mentor",
        "supported",
        "program",
        "origin",
        "status",
        "target_date",
        "created_at",
    )
    list_filter = (
        "status",
        "origin",
        "student_focused",
        "relationship__kind",
        "relationship__program",
    )
    list_select_related = GOAL_RELATED
    search_fields = (*GOAL_SEARCH, "focus_area")
    date_hierarchy = "created_at"
    autocomplete_fields = ("relationship", "template", "created_by")
    readonly_fields = ("code", "created_at")
    inlines = (ActionStepInline, ProgressEntryInline)
    fieldsets = (
        (
            None,
            {
                "fields": [
                    "relationship",
                    ("origin", "template"),
                    "title",
                    "statement",
                    "focus_area",
                    "student_focused",
                ]
            },
        ),
        (
            _("Measuring progress"),
            {
                "fields": [
                    "measure_description",
                    ("baseline", "target", "unit"),
                    "target_date",
                ]
            },
        ),
        (
            _("Status"),
            {
                "fields": [
                    "status",
                    "close_reason",
                    ("mentor_agreed_at", "protege_agreed_at", "agreed_at"),
                    "closed_at",
                ]
            },
        ),
        (
            pgettext_lazy("admin section", "Record"),
            {"fields": ["created_by", "created_at", "code"]},
        ),
    )

    def get_queryset(self, request):
        # The autocomplete view (visits pick the goals they addressed) uses this too.
        return super().get_queryset(request).select_related(*GOAL_RELATED)

    @admin.display(description=_("mentor or coach"), ordering="relationship__mentor")
    def mentor(self, obj):
        return obj.relationship.mentor_name

    @admin.display(description=_("protégé or team"))
    def supported(self, obj):
        return obj.relationship.supported_name

    @admin.display(description=_("program"), ordering="relationship__program__name")
    def program(self, obj):
        return obj.relationship.program or "—"

    def access_read(self, obj) -> Read:
        return _goal_read(obj, "The goal")


def _goal_read(goal: Goal, what: str) -> Read:
    return Read(
        kind="admin",
        what=f"{what} “{goal.title}”, in admin",
        relationship_id=goal.relationship_id,
        goal_id=goal.pk,
    )


@admin.register(ActionStep)
class ActionStepAdmin(AccessLoggedMixin, HistoryAdmin):
    logs_list_page = True  # the list shows the steps' words
    list_display = ("what", "goal", "who", "due_on", "done_at", "done_by")
    list_filter = ("who", DoneListFilter)
    list_select_related = ("goal", "done_by")
    search_fields = ("what", "goal__title")
    date_hierarchy = "due_on"
    autocomplete_fields = ("goal", "done_by")
    fields = ("goal", "who", "what", "due_on", "done_at", "done_by")

    def access_read(self, obj) -> Read:
        return _goal_read(obj.goal, "Action steps of the goal")


@admin.register(ProgressEntry)
class ProgressEntryAdmin(AccessLoggedMixin, HistoryAdmin):
    logs_list_page = True  # the list shows the progress notes
    list_display = ("goal", "date", "value", "note", "recorded_by_name", "visit", "withdrawn_at")
    list_select_related = ("goal", "recorded_by", "visit")
    search_fields = ("goal__title", *person_search("recorded_by"))
    date_hierarchy = "date"
    autocomplete_fields = ("goal", "recorded_by", "visit")
    readonly_fields = ("code", "created_at")
    fields = (
        "goal",
        "date",
        "value",
        "note",
        "recorded_by",
        "visit",
        "withdrawn_at",
        "code",
        "created_at",
    )

    @admin.display(description=_("recorded by"), ordering="recorded_by__last_name")
    def recorded_by_name(self, obj):
        return person_name(obj.recorded_by)

    def access_read(self, obj) -> Read:
        return _goal_read(obj.goal, "Progress on the goal")
