"""Forms of the mentor and coach workspace: schedule, log, edit and cancel a visit.

The forms parse and label input; the rules live in relationships/services.py, whose
ValidationErrors the views put next to the fields they name.
"""

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.formfields import BoundedModelMultipleChoiceField
from core.formhelpers import fields_only
from core.hints import no_child_names
from core.versions import VersionedForm
from core.widgets import DateInput, TimeInput
from relationships.models import Visit
from relationships.services import LOG_FIELDS

SCHEDULE_FIELDS = ("date", "start_time", "duration_minutes", "location", "next_meeting_focus")

# The sections of the log page, in the shape of the Collaborative Assessment Log.
LOG_SECTIONS = (
    (
        _("When and where"),
        (
            "date",
            "start_time",
            "duration_minutes",
            "location",
            "adults_present",
            "children_present",
        ),
    ),
    (_("What you did"), ("activities", "goals")),
    (
        _("The conversation"),
        (
            "whats_working",
            "focus_challenges",
            "feedback",
            "protege_next_steps",
            "mentor_next_steps",
        ),
    ),
    (_("Next meeting"), ("next_meeting_on", "next_meeting_focus", "schedule_next")),
)


def stacked_field_helper() -> FormHelper:
    """A helper that renders `{{ form.field|as_crispy_field }}` through the lean field template
    (templates/includes/crispy_field.html): the same markup as the Bootstrap 5 pack's, without
    its nested includes, for forms whose fields are single inputs. The visit forms are the
    busiest in the app (bench key visit_form)."""
    helper = fields_only()
    helper.field_template = "includes/crispy_field.html"
    return helper


def _short_text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class GoalChoiceField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class VisitScheduleForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Visit
        fields = SCHEDULE_FIELDS
        labels = {"next_meeting_focus": _("Focus")}
        help_texts = {
            "duration_minutes": _("Planned length, in minutes."),
            "next_meeting_focus": no_child_names(
                _("What you plan to work on. Shared with the protégé.")
            ),
        }
        widgets = {"date": DateInput(), "start_time": TimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = stacked_field_helper()
        self.fields["duration_minutes"].widget.attrs.update(
            {"inputmode": "numeric", "min": 1, "step": 5}
        )


class VisitLogForm(VersionedForm, forms.ModelForm):
    """Log a visit (new, or a scheduled one), or edit a log. One page, in sections."""

    goals = GoalChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Goals addressed"),
    )
    schedule_next = forms.BooleanField(
        required=False,
        initial=True,
        label=_("Put the next meeting on the calendar as a scheduled visit"),
    )

    class Meta:
        model = Visit
        fields = LOG_FIELDS
        widgets = {
            "date": DateInput(),
            "start_time": TimeInput(),
            "next_meeting_on": DateInput(),
            "whats_working": _short_text(),
            "focus_challenges": _short_text(),
            "feedback": _short_text(4),
            "protege_next_steps": _short_text(),
            "mentor_next_steps": _short_text(),
            "private_notes": _short_text(4),
        }
        labels = {
            "date": _("Date of the visit"),
            "duration_minutes": _("Duration (minutes)"),
            "feedback": _("Feedback to the protégé"),
            "next_meeting_on": _("Date"),
            "next_meeting_focus": _("Focus"),
            "private_notes": _("Private notes"),
        }
        help_texts = {
            "whats_working": no_child_names(),
            "focus_challenges": no_child_names(),
            "feedback": no_child_names(
                _("An observation needs feedback, or the log shows as incomplete.")
            ),
            "protege_next_steps": no_child_names(),
            "mentor_next_steps": no_child_names(),
            "next_meeting_focus": no_child_names(),
            "private_notes": no_child_names(
                _("Only you can read these: never the protégé, the coordinator or anyone else.")
            ),
        }

    def __init__(self, *args, relationship, show_schedule_next=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = stacked_field_helper()
        # Goals live in the app above (docs/design.md): reach them through the reverse relation.
        addressable = Q(pk__in=relationship.goals.open().values("pk"))
        if self.instance.pk:
            addressable |= Q(visits=self.instance)
        goals = relationship.goals.filter(addressable).distinct()
        self.fields["goals"].queryset = goals.order_by("title")
        if not show_schedule_next:
            del self.fields["schedule_next"]
        self.fields["duration_minutes"].required = True
        self.fields["duration_minutes"].widget.attrs.update(
            {"inputmode": "numeric", "min": 1, "step": 5}
        )
        for name in ("adults_present", "children_present"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "min": 0})

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("schedule_next") and not cleaned.get("next_meeting_on"):
            cleaned["schedule_next"] = False
        return cleaned

    def sections(self):
        """(legend, [bound fields]) for each section of the page, private notes apart."""
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in LOG_SECTIONS
        ]


class VisitCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("The protégé sees this reason."),
    )
