"""Django admin for organizations, programs, enrollments and people's profiles.

The small helpers at the top (no-delete, archive actions, the private fieldset and its
summaries, history) are shared by the admins of the apps above this one.
"""

from typing import TYPE_CHECKING

from django.contrib import admin, messages
from django.contrib.admin.utils import model_ngettext, unquote
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from simple_history.admin import SimpleHistoryAdmin

from core import clock, names
from core.access import Read, record_read
from programs.models import (
    Enrollment,
    EnrollmentRequest,
    MentorProfile,
    Organization,
    OrganizationLeader,
    Program,
    ProtegeProfile,
    RosterImport,
    Supervision,
)
from programs.profiles import PREPARATION_FIELDS
from programs.profiles_services import protege_profile_check, protege_profile_save
from programs.services import track_sharing

if TYPE_CHECKING:  # the stubs' type of a fieldset's options, which Django does not define
    from django.contrib.admin.options import _FieldOpts

PRIVATE_FIELDSET_TITLE = "Private (author only)"
PRIVATE_FIELDSET_DESCRIPTION = (
    "Only the author reads this: not the other person in the relationship, not coordinators, "
    "not supervisors, not admins. Admin shows whether it is written and how long it is, never "
    "its words; it is encrypted in the database and kept out of the history."
)


def private_fieldset(*fields: str) -> "tuple[str, _FieldOpts]":
    """The change-form fieldset for text only its author reads: the names of the summaries
    made by `private_text_summary`, never the fields themselves."""
    return (
        PRIVATE_FIELDSET_TITLE,
        {"description": PRIVATE_FIELDSET_DESCRIPTION, "fields": fields},
    )


def private_text_summary(field: str, description: str):
    """An admin display (a read-only field) for private text: whether it is written and its
    length, never its words. Set it as an attribute of the ModelAdmin or inline, and list its
    name in `readonly_fields` and `private_fieldset`."""

    @admin.display(description=description)
    def summary(model_admin, obj) -> str:
        text = getattr(obj, field, "") if obj is not None else ""
        if not text:
            return "Nothing written"
        return f"Written: {len(text)} characters (only its author can read it)"

    return summary


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin with a history list that costs a fixed number of queries.

    Private text is not in the history at all (`excluded_fields` on the models)."""

    show_full_result_count = False

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # simple_history calls select_related() with no names when a model has no foreign
        # keys, which Django 6.1 deprecates; name the relations instead.
        related = [
            field.name
            for field in history_manager.model.tracked_fields
            if isinstance(field, models.ForeignKey)
        ]
        return history_manager.filter(**{pk_name: object_id}).select_related(
            "history_user", *related
        )


class AccessLoggedMixin(admin.ModelAdmin):
    """For a model admin whose records show conversation-tier text or hold private fields:
    every view of one (its change form, its history, one version of it) is in the access log,
    and so are the relationships on a list page that shows such text (`logs_list_page`).
    Subclasses say what one record is a read of (`access_read`). It comes first among the
    admin's bases (`class VisitAdmin(AccessLoggedMixin, NoDeleteMixin, HistoryAdmin)`)."""

    logs_list_page = False

    def access_read(self, obj) -> Read:
        raise NotImplementedError

    def _record(self, request, objs) -> None:
        reads: dict[tuple[int | None, int | None, int | None], Read] = {}
        for obj in objs:
            read = self.access_read(obj)
            reads.setdefault((read.relationship_id, read.visit_id, read.goal_id), read)
        record_read(request, reads.values(), as_admin=True)

    def _record_one(self, request, object_id) -> None:
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            self._record(request, [obj])

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and object_id and response.status_code == 200:
            self._record_one(request, object_id)
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        if response.status_code == 200:
            self._record_one(request, object_id)
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if request.method == "GET" and response.status_code == 200:
            self._record_one(request, object_id)
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if self.logs_list_page and changelist is not None:
            # One read per relationship on the page, in one INSERT.
            reads = [self.access_read(obj) for obj in changelist.result_list]
            record_read(
                request,
                {read.relationship_id: read for read in reads}.values(),
                as_admin=True,
            )
        return response


class NoDeleteMixin:
    """Records people wrote are archived, never deleted: no delete view, no delete action."""

    def has_delete_permission(self, request, obj=None):
        return False


def set_timestamp(request, queryset: QuerySet, *, field: str, value, done: str) -> None:
    """Set (or clear) a timestamp row by row, so each change is in the history."""
    if value is None:
        targets = queryset.filter(**{f"{field}__isnull": False})
    else:
        targets = queryset.filter(**{f"{field}__isnull": True})
    count = 0
    with transaction.atomic():
        for obj in targets:
            setattr(obj, field, value)
            obj._history_user = request.user
            obj.save(update_fields=[field])
            count += 1
    messages.success(request, f"{count} {model_ngettext(queryset, count)} {done}.")


@admin.action(description="Archive selected %(verbose_name_plural)s")
def archive_selected(modeladmin, request, queryset):
    set_timestamp(
        request,
        queryset,
        field="archived_at",
        value=clock.now(),
        done="archived",
    )


@admin.action(description="Restore selected archived %(verbose_name_plural)s")
def restore_selected(modeladmin, request, queryset):
    set_timestamp(
        request,
        queryset,
        field="archived_at",
        value=None,
        done="restored",
    )


class ArchivedListFilter(admin.SimpleListFilter):
    """Active / archived, on a nullable timestamp (``archived_at`` unless told otherwise)."""

    title = "archived"
    parameter_name = "archived"
    field_name = "archived_at"
    yes_label = "Archived"
    no_label = "Active"

    def lookups(self, request, model_admin):
        return [("no", self.no_label), ("yes", self.yes_label)]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(**{f"{self.field_name}__isnull": True})
        if self.value() == "yes":
            return queryset.filter(**{f"{self.field_name}__isnull": False})
        return queryset


def person_name(user) -> str:
    """A person's name in admin lists; a dash for nobody."""
    return "—" if user is None else names.person_name(user)


def person_column(field: str, description: str = "name"):
    """An admin list column (a display function): the name of the person in `field`, sorted
    by last name. Set it as an attribute of the ModelAdmin and list it in `list_display`."""

    @admin.display(description=description, ordering=f"{field}__last_name")
    def column(model_admin, obj) -> str:
        return person_name(getattr(obj, field))

    return column


PERSON_SEARCH = ("username", "first_name", "last_name", "email")


def person_search(prefix: str) -> tuple[str, ...]:
    """Search fields for a user reached through ``prefix`` (e.g. ``relationship__mentor``)."""
    return tuple(f"{prefix}__{field}" for field in PERSON_SEARCH)


@admin.register(OrganizationLeader)
class OrganizationLeaderAdmin(HistoryAdmin):
    """Program leaders; named in the app (organizations:leaders), listed here with history."""

    list_display = ("user", "organization", "granted_by", "granted_at")
    list_select_related = ("user", "organization", "granted_by")
    search_fields = ("user__username", "user__last_name", "organization__name")
    fields = ("organization", "user", "granted_by", "granted_at")
    readonly_fields = ("organization", "user", "granted_by", "granted_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization", "user", "granted_by")


@admin.register(Organization)
class OrganizationAdmin(NoDeleteMixin, HistoryAdmin):
    list_display = ("name", "kind", "parent", "city", "state", "is_archived")
    list_filter = ("kind", ArchivedListFilter, "state")
    list_select_related = ("parent",)
    search_fields = ("name", "city")
    readonly_fields = ("code",)
    fields = ("name", "kind", "parent", "city", "state", "archived_at", "code")
    actions = (archive_selected, restore_selected)

    @admin.display(description="archived", boolean=True, ordering="archived_at")
    def is_archived(self, obj):
        return obj.archived_at is not None


class EnrollmentInline(admin.TabularInline):
    """The program's enrollments, read-only here; change one through its own page.

    Read-only rows keep the program page at a fixed number of queries however many people
    are enrolled (an editable person widget looks its user up once per row).
    """

    model = Enrollment
    verbose_name_plural = "enrollments"
    fields = ("person", "role", "reason", "joined_on", "left_on", "leaving_reason")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "program")

    def has_add_permission(self, request, obj=None):
        return False


class NewEnrollmentInline(admin.TabularInline):
    """Blank rows to enroll more people from the program page."""

    model = Enrollment
    verbose_name = "new enrollment"
    verbose_name_plural = "enroll people"
    fields = ("person", "role", "reason", "joined_on")
    autocomplete_fields = ("person",)
    extra = 1
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Program)
class ProgramAdmin(NoDeleteMixin, HistoryAdmin):
    list_display = (
        "name",
        "sponsor",
        "support_model",
        "goal_policy",
        "starts_on",
        "ends_on",
        "is_archived",
    )
    list_filter = (
        "support_model",
        "goal_policy",
        "goal_scope",
        ArchivedListFilter,
        "coordinators_read_shared_logs",
        "sponsor__kind",
    )
    list_select_related = ("sponsor",)
    search_fields = ("name", "sponsor__name")
    date_hierarchy = "starts_on"
    autocomplete_fields = ("sponsor", "coordinators")
    readonly_fields = ("code", "created_at", "shared_logs_since")
    actions = (archive_selected, restore_selected)
    inlines = (EnrollmentInline, NewEnrollmentInline)
    fieldsets = (
        (
            "Basics",
            {
                "fields": [
                    "name",
                    "sponsor",
                    "description",
                    "support_model",
                    "archived_at",
                    ("code", "created_at"),
                ]
            },
        ),
        (
            "Purpose and outcomes",
            {"fields": ["purposes", "purpose_other", "outcomes", "outcome_details"]},
        ),
        (
            "Mentors and coaches",
            {
                "fields": [
                    "mentor_organization",
                    "mentors_currently_teaching",
                    "director_involvement",
                ]
            },
        ),
        ("Goals", {"fields": ["goal_policy", "goal_scope", "focus_areas"]}),
        (
            "Who and when",
            {
                "fields": [
                    "age_groups",
                    ("starts_on", "ends_on"),
                    "typical_duration_weeks",
                ]
            },
        ),
        (
            "Dosage expectations",
            {
                "fields": [
                    "visits_per_month",
                    "minutes_per_month",
                    "days_to_first_visit",
                    "days_to_first_goal",
                ]
            },
        ),
        (
            "Sharing",
            {
                "fields": [
                    "coordinators_read_shared_logs",
                    "shared_logs_since",
                    "proteges_record_progress",
                    "record_retention_years",
                ]
            },
        ),
        (
            "Role descriptions",
            {"fields": ["mentor_role_description", "coach_role_description"]},
        ),
        ("Coordinators", {"fields": ["coordinators"]}),
    )

    @admin.display(description="archived", boolean=True, ordering="archived_at")
    def is_archived(self, obj):
        return obj.archived_at is not None

    def save_model(self, request, obj, form, change):
        track_sharing(obj)
        super().save_model(request, obj, form, change)


class CurrentEnrollmentFilter(ArchivedListFilter):
    title = "current"
    parameter_name = "current"
    field_name = "left_on"
    yes_label = "Left"
    no_label = "Current"


@admin.register(Enrollment)
class EnrollmentAdmin(NoDeleteMixin, HistoryAdmin):
    list_display = (
        "person",
        "full_name",
        "program",
        "role",
        "reason",
        "joined_on",
        "left_on",
    )
    list_filter = (
        "role",
        CurrentEnrollmentFilter,
        "reason",
        "leaving_reason",
        "program__support_model",
    )
    list_select_related = ("person", "program")
    search_fields = (*person_search("person"), "program__name")
    date_hierarchy = "joined_on"
    autocomplete_fields = ("program", "person")
    readonly_fields = ("code",)
    fieldsets = (
        (None, {"fields": ["program", "person", "role", "reason", "joined_on"]}),
        ("Leaving", {"fields": ["left_on", "leaving_reason", "leaving_note"]}),
        ("Record", {"fields": ["code"]}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "program")

    full_name = person_column("person")


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record the app writes and nobody edits: admins read it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EnrollmentRequest)
class EnrollmentRequestAdmin(ReadOnlyAdmin):
    """Requests to take part, from coordinators to people outside their organization's
    programs; the person answers them in the app (programs/views/requests.py)."""

    list_display = ("person", "full_name", "program", "role", "status", "asked_at", "asked_by")
    list_filter = ("status", "role")
    list_select_related = ("person", "program", "asked_by")
    search_fields = (*person_search("person"), "program__name")
    date_hierarchy = "asked_at"

    full_name = person_column("person")


@admin.register(RosterImport)
class RosterImportAdmin(ReadOnlyAdmin):
    """Confirmed roster imports, saved by the task worker: what they saved, or what stopped
    them. The rows themselves are not shown (they are gone once an import is finished)."""

    list_display = (
        "created_at",
        "program",
        "uploaded_by",
        "row_count",
        "status",
        "enrolled_count",
        "updated_count",
        "asked_count",
        "invited_count",
        "supervisor_count",
        "finished_at",
    )
    list_filter = ("status",)
    list_select_related = ("program", "uploaded_by")
    search_fields = ("program__name", *person_search("uploaded_by"))
    date_hierarchy = "created_at"
    exclude = ("rows",)


@admin.register(MentorProfile)
class MentorProfileAdmin(NoDeleteMixin, HistoryAdmin):
    list_display = (
        "user",
        "full_name",
        "organization",
        "currently_teaching",
        "years_teaching",
        "caseload_limit",
    )
    list_filter = (
        "currently_teaching",
        *PREPARATION_FIELDS,
        "organization__kind",
    )
    list_select_related = ("user", "organization")
    search_fields = (*person_search("user"), "organization__name")
    autocomplete_fields = ("user", "organization")
    fieldsets = (
        (
            None,
            {
                "fields": [
                    "user",
                    "organization",
                    "currently_teaching",
                    "years_teaching",
                    "age_groups",
                    "caseload_limit",
                ]
            },
        ),
        (
            "Preparation",
            {"fields": [*PREPARATION_FIELDS, "credentials"]},
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "organization")

    full_name = person_column("user")


@admin.register(ProtegeProfile)
class ProtegeProfileAdmin(NoDeleteMixin, HistoryAdmin):
    list_display = (
        "user",
        "full_name",
        "organization",
        "position",
        "career_stage",
        "age_group_taught",
        "supervisor",
    )
    list_filter = ("career_stage", "age_group_taught", "organization__kind")
    list_select_related = ("user", "organization", "supervisor")
    search_fields = (
        *person_search("user"),
        "organization__name",
        "position",
        *person_search("supervisor"),
    )
    autocomplete_fields = ("user", "organization", "supervisor")
    fields = (
        "user",
        "organization",
        "position",
        "career_stage",
        "age_group_taught",
        "supervisor",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "organization", "supervisor")

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The services' rules next to the fields (programs.profiles_services): who may change
        the supervisor (never the supervisor themself, nor a former one), and no supervisor
        who mentors the protégé."""
        form = super().get_form(request, obj, change=change, **kwargs)

        class ProtegeProfileAdminForm(form):
            def _post_clean(self):
                super()._post_clean()
                if not self.errors:
                    try:
                        protege_profile_check(profile=self.instance, by=request.user)
                    except ValidationError as error:
                        self.add_error(None, error)

        return ProtegeProfileAdminForm

    def save_model(self, request, obj, form, change):
        """Through the service, so a change of supervisor is kept and shown to the protégé."""
        protege_profile_save(profile=obj, by=request.user)

    full_name = person_column("user")


@admin.register(Supervision)
class SupervisionAdmin(ReadOnlyAdmin):
    """Who supervised whom, from when to when, and who recorded it: written by
    `protege_profile_save` on every change, read by the supervision firewall."""

    list_display = ("protege", "supervisor", "started_at", "recorded_by", "ended_at", "ended_by")
    list_select_related = ("protege", "supervisor", "recorded_by", "ended_by")
    search_fields = (*person_search("protege"), *person_search("supervisor"))
    date_hierarchy = "started_at"
