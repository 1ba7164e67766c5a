"""Django admin for classroom teams, support relationships, visits and acknowledgements.

Private text (a visit's private notes, a protégé's private reflection) never appears: not on a
list page, in search, in the history, or on the change form, which says only whether it is
written and how long it is.
"""

from django import forms
from django.contrib import admin
from django.db.models import Count, Model
from django.utils.translation import gettext_lazy as _

from core.access import Read
from programs.admin import (
    AccessLoggedMixin,
    ArchivedListFilter,
    HistoryAdmin,
    NoDeleteMixin,
    ReadOnlyAdmin,
    archive_selected,
    person_name,
    person_search,
    private_fieldset,
    private_text_summary,
    restore_selected,
)
from relationships.models import (
    Acknowledgement,
    ClassroomTeam,
    InformalInvitation,
    Pause,
    PersonSettings,
    SupportMonth,
    SupportMonthActivity,
    SupportRelationship,
    Visit,
)

RELATIONSHIP_SEARCH = (
    *person_search("mentor"),
    *person_search("protege"),
    "team__name",
    "program__name",
)
RELATIONSHIP_RELATED = ("mentor", "protege", "team", "program")


def _prefixed(prefix: str, names) -> tuple[str, ...]:
    return tuple(f"{prefix}__{name}" for name in names)


@admin.register(ClassroomTeam)
class ClassroomTeamAdmin(NoDeleteMixin, HistoryAdmin):
    list_display = (
        "name",
        "site",
        "program",
        "age_group",
        "member_count",
        "is_archived",
    )
    list_filter = ("age_group", ArchivedListFilter, "program", "site__kind")
    list_select_related = ("site", "program")
    search_fields = ("name", "site__name", "program__name")
    autocomplete_fields = ("program", "site", "members")
    readonly_fields = ("code",)
    fields = ("name", "site", "program", "age_group", "members", "archived_at", "code")
    actions = (archive_selected, restore_selected)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("site", "program")
            .annotate(member_count=Count("members"))
        )

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    @admin.display(description=_("archived"), boolean=True, ordering="archived_at")
    def is_archived(self, obj):
        return obj.archived_at is not None


class PauseInline(admin.TabularInline):
    """When the relationship was paused: written by pausing, resuming and ending it, and read
    by the dosage pace (relationships/pace.py)."""

    model = Pause
    fields = ("starts_on", "ends_on")
    extra = 0


@admin.register(SupportRelationship)
class SupportRelationshipAdmin(NoDeleteMixin, HistoryAdmin):
    inlines = (PauseInline,)
    list_display = (
        "__str__",
        "kind",
        "format",
        "program",
        "status",
        "starts_on",
        "ended_on",
    )
    list_filter = ("kind", "format", "status", "meeting_arrangement", "program")
    list_select_related = RELATIONSHIP_RELATED
    search_fields = RELATIONSHIP_SEARCH
    date_hierarchy = "starts_on"
    autocomplete_fields = ("program", "mentor", "protege", "team")
    readonly_fields = ("code", "created_at")
    fieldsets = (
        (
            _("Who"),
            {
                "fields": [
                    "program",
                    "kind",
                    "format",
                    "mentor",
                    "protege",
                    "team",
                    "meeting_arrangement",
                ]
            },
        ),
        (
            _("Status and dates"),
            {
                "fields": [
                    "status",
                    ("starts_on", "planned_end_on", "ended_on"),
                    "end_reason",
                ]
            },
        ),
        (
            _("Dosage expectations"),
            {
                "description": _("Leave empty to use the program's expectations."),
                "fields": [
                    "visits_per_month",
                    "minutes_per_month",
                    "days_to_first_visit",
                    "days_to_first_goal",
                ],
            },
        ),
        (_("Record"), {"fields": [("code", "created_at")]}),
    )

    def get_queryset(self, request):
        # __str__ names the mentor and the protégé or team; the autocomplete view uses this too.
        return super().get_queryset(request).select_related(*RELATIONSHIP_RELATED)


PRIVATE_REFLECTION = private_text_summary("private_reflection", "private reflection")


class AcknowledgementInline(admin.StackedInline):
    model = Acknowledgement
    extra = 0
    can_delete = False
    autocomplete_fields = ("protege",)
    private_reflection_summary = PRIVATE_REFLECTION
    readonly_fields = ("private_reflection_summary",)
    fieldsets = (
        (None, {"fields": ["protege", "acknowledged_at", "reflection"]}),
        private_fieldset("private_reflection_summary"),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("protege")


class VisitAdminForm(forms.ModelForm):
    """The visit's fields, and the goals it addressed: a field of goals.Goal, the app above
    (docs/design.md, "Shape of the code"), offered from the goals of the visit's relationship
    and set through the reverse relation `visit.goals`, which keeps them in the history."""

    # Of goals.Goal, which this app does not import (the layers): any model, for the checker.
    goals: "forms.ModelMultipleChoiceField[Model]" = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Goals addressed"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        goals = Visit._meta.get_field("goals").related_model.objects
        relationship_id = self.instance.relationship_id
        self.fields["goals"].queryset = (
            goals.filter(relationship_id=relationship_id).order_by("title")
            if relationship_id
            else goals.none()
        )
        if self.instance.pk:
            self.initial["goals"] = list(self.instance.goals.all())


@admin.register(Visit)
class VisitAdmin(AccessLoggedMixin, NoDeleteMixin, HistoryAdmin):
    form = VisitAdminForm
    list_display = (
        "date",
        "status",
        "mentor",
        "supported",
        "program",
        "duration_minutes",
        "is_incomplete",
    )
    list_filter = ("status", "relationship__kind", "relationship__program")
    list_select_related = _prefixed("relationship", RELATIONSHIP_RELATED)
    # Names and places only: never the log's text, and never the private notes.
    search_fields = (*_prefixed("relationship", RELATIONSHIP_SEARCH), "location")
    date_hierarchy = "date"
    autocomplete_fields = ("relationship", "created_by")
    private_notes_summary = private_text_summary("private_notes", "private notes")
    readonly_fields = ("code", "created_at", "private_notes_summary")
    inlines = (AcknowledgementInline,)
    fieldsets = (
        (
            None,
            {
                "fields": [
                    "relationship",
                    "status",
                    ("date", "start_time", "duration_minutes"),
                    "location",
                    ("adults_present", "children_present"),
                ]
            },
        ),
        (
            _("Collaborative assessment log"),
            {
                "fields": [
                    "activities",
                    "whats_working",
                    "focus_challenges",
                    "protege_next_steps",
                    "mentor_next_steps",
                    "feedback",
                    "goals",
                ]
            },
        ),
        (_("Next meeting"), {"fields": ["next_meeting_on", "next_meeting_focus"]}),
        (_("Cancellation"), {"fields": ["cancel_reason"]}),
        (_("Record"), {"fields": ["created_by", ("created_at", "logged_at"), "code"]}),
        private_fieldset("private_notes_summary"),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(*_prefixed("relationship", RELATIONSHIP_RELATED))
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.goals.set(form.cleaned_data["goals"])

    def access_read(self, obj) -> Read:
        return Read(
            kind="admin",
            what=f"The {obj.get_status_display().lower()} visit of {obj.date:%Y-%m-%d}, in admin",
            relationship_id=obj.relationship_id,
            visit_id=obj.pk,
        )

    @admin.display(description=_("mentor or coach"), ordering="relationship__mentor")
    def mentor(self, obj):
        return obj.relationship.mentor_name

    @admin.display(description=_("protégé or team"))
    def supported(self, obj):
        return obj.relationship.supported_name

    @admin.display(description=_("program"), ordering="relationship__program__name")
    def program(self, obj):
        return obj.relationship.program or "—"

    @admin.display(description=_("complete?"))
    def is_incomplete(self, obj):
        # A red cross on every complete row would read as a fault; name the gap instead.
        return _("Observation without feedback") if obj.is_incomplete else ""


@admin.register(Acknowledgement)
class AcknowledgementAdmin(AccessLoggedMixin, NoDeleteMixin, HistoryAdmin):
    list_display = ("protege", "full_name", "visit", "visit_mentor", "acknowledged_at")
    list_select_related = ("protege", *_prefixed("visit__relationship", ["mentor"]))
    list_filter = ("visit__status", "visit__relationship__kind")
    # Names only: never the reflections.
    search_fields = (
        *person_search("protege"),
        *person_search("visit__relationship__mentor"),
    )
    date_hierarchy = "acknowledged_at"
    autocomplete_fields = ("visit", "protege")
    private_reflection_summary = PRIVATE_REFLECTION
    readonly_fields = ("private_reflection_summary",)
    fieldsets = (
        (None, {"fields": ["visit", "protege", "acknowledged_at", "reflection"]}),
        private_fieldset("private_reflection_summary"),
    )

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("protege", "visit__relationship__mentor")
        )

    @admin.display(description=_("name"), ordering="protege__last_name")
    def full_name(self, obj):
        return person_name(obj.protege)

    @admin.display(description=_("mentor or coach"))
    def visit_mentor(self, obj):
        return obj.visit.relationship.mentor_name

    def access_read(self, obj) -> Read:
        return Read(
            kind="admin",
            what=f"An acknowledgement of the visit of {obj.visit.date:%Y-%m-%d}, in admin",
            relationship_id=obj.visit.relationship_id,
            visit_id=obj.visit_id,
        )


@admin.register(Pause)
class PauseAdmin(admin.ModelAdmin):
    """Every pause of every relationship, for a look across them (edit one from its
    relationship)."""

    list_display = ("relationship", "starts_on", "ends_on")
    list_select_related = _prefixed("relationship", RELATIONSHIP_RELATED)
    date_hierarchy = "starts_on"
    autocomplete_fields = ("relationship",)


class SupportMonthActivityInline(admin.TabularInline):
    model = SupportMonthActivity
    fields = ("activity", "visits", "minutes")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SupportMonth)
class SupportMonthAdmin(ReadOnlyAdmin):
    """The monthly summary rows (docs/design.md, "Monthly summaries"): counted by the app from
    the visits, never edited; `manage.py rebuild_summaries` counts them all afresh."""

    list_display = (
        "relationship",
        "program",
        "month",
        "visits",
        "minutes",
        "visits_owed",
        "minutes_owed",
        "on_pace",
        "complete",
    )
    list_filter = ("on_pace", "complete")
    list_select_related = ("program", *_prefixed("relationship", RELATIONSHIP_RELATED))
    search_fields = tuple(f"relationship__{field}" for field in RELATIONSHIP_SEARCH)
    date_hierarchy = "month"
    inlines = [SupportMonthActivityInline]


@admin.register(SupportMonthActivity)
class SupportMonthActivityAdmin(ReadOnlyAdmin):
    """The minutes of each activity in a monthly summary (read them on the summary)."""

    list_display = ("summary", "activity", "visits", "minutes")
    list_filter = ("activity",)
    list_select_related = ("summary",)


@admin.register(PersonSettings)
class PersonSettingsAdmin(admin.ModelAdmin):
    """A person's notification and calendar settings (the calendar key stays out of sight)."""

    list_display = (
        "user",
        "calendar_enabled",
    )
    list_filter = ("calendar_enabled",)
    list_select_related = ("user",)
    search_fields = person_search("user")
    autocomplete_fields = ("user",)
    fields = ("user", "calendar_enabled")


@admin.register(InformalInvitation)
class InformalInvitationAdmin(ReadOnlyAdmin):
    """Invitations to informal relationships, between colleagues; they answer them in the app
    (relationships/views/informal.py)."""

    list_display = ("inviter", "invitee", "kind", "inviter_role", "status", "created_at")
    list_filter = ("status", "kind")
    list_select_related = ("inviter", "invitee")
    search_fields = (*person_search("inviter"), *person_search("invitee"))
    date_hierarchy = "created_at"
