"""Django admin: the record of anonymizations (read only, with a link to the anonymize page),
and an action on people that anonymizes those who asked."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.names import person_name
from privacy import services
from privacy.models import Anonymization
from programs.admin import ReadOnlyAdmin


@admin.register(Anonymization)
class AnonymizationAdmin(ReadOnlyAdmin):
    list_display = ("done_at", "reason", "person", "relationship_code", "done_by")
    list_filter = ("reason",)
    list_select_related = ("person", "relationship", "done_by")
    date_hierarchy = "done_at"
    show_full_result_count = False

    @admin.display(description="relationship", ordering="relationship__code")
    def relationship_code(self, obj):
        return obj.relationship.code if obj.relationship_id else "—"


@admin.action(description=_("Anonymize the selected people (they asked)"))
def anonymize_selected(modeladmin, request, queryset):
    """Ask to confirm, as Django's delete action does; then anonymize each person."""
    if not request.user.is_superuser:
        messages.error(request, gettext("Only administrators anonymize people."))
        return None
    people = list(queryset.order_by("pk"))
    if request.POST.get("confirm") != "yes":
        return TemplateResponse(
            request,
            "admin/privacy/anonymize_confirmation.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": "Anonymize these people?",
                "people": people,
                "opts": modeladmin.model._meta,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )
    done = 0
    for person in people:
        name = person_name(person)
        try:
            services.person_anonymize(person=person, by=request.user)
        except ValidationError as error:
            messages.error(request, f"{name}: {' '.join(error.messages)}")
        else:
            done += 1
    if done:
        messages.success(
            request, gettext("%(count)d anonymized: what they wrote is removed.") % {"count": done}
        )
    return None


admin.site.unregister(User)


@admin.register(User)
class PersonAdmin(UserAdmin):
    """Django's own user admin, with the anonymize action."""

    actions = (anonymize_selected,)
