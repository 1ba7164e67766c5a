"""Forms for goals, action steps and progress. They parse and label; goals/services.py rules."""

from django import forms
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from core.hints import no_child_names
from core.versions import VersionedForm
from core.widgets import DateInput
from goals.models import ActionStep, Goal, GoalTemplate, ProgressEntry
from goals.owners import owner_choices
from goals.services import CLOSING_STATUSES, GOAL_FIELDS
from relationships.models import SupportRelationship


def _decimal_attrs(field: forms.Field) -> None:
    field.widget.attrs.update({"inputmode": "decimal", "step": "any"})


def _choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField), f"{name} is not a choice field"
    return field


def _model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField), f"{name} is not a model choice field"
    return field


class GoalForm(VersionedForm, forms.ModelForm):
    """A collaborative goal: statement, focus, measure (baseline, target, unit), target date."""

    class Meta:
        model = Goal
        fields = GOAL_FIELDS
        labels = {
            "title": _("Goal, in a few words"),
            "statement": _("Goal statement"),
            "measure_description": _("How you will measure progress"),
            "student_focused": _("Student-focused: the goal names a change for the children"),
        }
        help_texts = {
            "student_focused": "",
            "measure_description": _(
                "e.g. number of open-ended questions in a 20-minute read-aloud, counted from a "
                "video."
            ),
            "baseline": _("Where things stand now."),
            "target": _("The number that means the goal is met."),
            # xgettext:no-python-format
            "unit": _("e.g. questions, minutes, % of children."),
        }
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 3}),
            "target_date": DateInput(),
        }

    def __init__(self, *args, focus_areas: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs["autocomplete"] = "off"
        # In the reader's language: the reminder is joined on when the form is made.
        self.fields["statement"].help_text = no_child_names(
            gettext("What will be different, for whom, by when.")
        )
        for name in ("baseline", "target"):
            _decimal_attrs(self.fields[name])
        self.focus_areas = focus_areas or []
        if self.focus_areas:
            self.fields["focus_area"].widget.attrs["list"] = "focus-area-options"
            self.fields["focus_area"].help_text = gettext(
                "Pick one of the program's focus areas or type your own."
            )


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: GoalTemplate) -> str:
        label = obj.title
        if obj.focus_area:
            label += f" ({obj.focus_area})"
        return label


class GoalAssignForm(forms.Form):
    """Assign one of the program's prescribed goal templates."""

    template = TemplateChoiceField(
        queryset=GoalTemplate.objects.none(),
        widget=forms.RadioSelect,
        label=_("Goal template"),
        empty_label=None,
    )
    measure_description = forms.CharField(
        label=_("How you will measure progress"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to use the template's suggested measure."),
    )
    baseline = forms.DecimalField(
        label=_("Baseline"), max_digits=10, decimal_places=2, required=False
    )
    target = forms.DecimalField(label=_("Target"), max_digits=10, decimal_places=2, required=False)
    unit = forms.CharField(
        label=_("Unit"), max_length=60, required=False, help_text=_("e.g. minutes, questions.")
    )
    target_date = forms.DateField(required=False, widget=DateInput(), label=_("Target date"))

    def __init__(self, *args, templates: QuerySet[GoalTemplate], **kwargs):
        super().__init__(*args, **kwargs)
        _model_choice_field(self, "template").queryset = templates
        for name in ("baseline", "target"):
            _decimal_attrs(self.fields[name])

    def goal_fields(self) -> dict:
        data = {
            name: self.cleaned_data[name]
            for name in ("baseline", "target", "unit", "target_date")
            if self.cleaned_data.get(name) not in (None, "")
        }
        if self.cleaned_data.get("measure_description"):
            data["measure_description"] = self.cleaned_data["measure_description"]
        return data


class GoalCloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("How did it end?"),
        choices=[(s.value, s.label) for s in CLOSING_STATUSES],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = no_child_names(
            gettext("Needed when you close a goal without saying met or not met.")
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Goal.Status.CLOSED and not cleaned.get("reason", "").strip():
            self.add_error("reason", gettext("Give a reason for closing the goal."))
        return cleaned


class ActionStepForm(forms.ModelForm):
    class Meta:
        model = ActionStep
        fields = ("who", "what", "due_on")
        labels = {"who": _("Who"), "what": _("What"), "due_on": _("By when")}
        widgets = {"due_on": DateInput()}

    def __init__(self, *args, relationship: SupportRelationship, reader_role: str | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["what"].help_text = no_child_names()
        _choice_field(self, "who").choices = owner_choices(relationship, reader_role)


class StepDoneForm(forms.Form):
    step = forms.ModelChoiceField(queryset=ActionStep.objects.none(), widget=forms.HiddenInput)
    done = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, goal: Goal, **kwargs):
        super().__init__(*args, **kwargs)
        _model_choice_field(self, "step").queryset = goal.action_steps.all()


class VisitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        day = date_format(obj.date, pgettext("date format", "M j, Y"))
        return gettext("Visit of %(day)s") % {"day": day}


class ProgressForm(forms.ModelForm):
    visit = VisitChoiceField(
        queryset=None,
        required=False,
        label=_("Recorded at a visit"),
        empty_label=_("Not at a visit"),
        to_field_name="code",
    )

    class Meta:
        model = ProgressEntry
        fields = ("date", "value", "note", "visit")
        widgets = {"date": DateInput()}

    def __init__(self, *args, goal: Goal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].help_text = no_child_names(
            gettext("Optional: what you counted, or what was going on.")
        )
        _model_choice_field(self, "visit").queryset = goal.relationship.visits.logged().order_by(
            "-date", "-pk"
        )
        _decimal_attrs(self.fields["value"])
        if goal.unit:
            self.fields["value"].help_text = gettext("In %(unit)s.") % {"unit": goal.unit}


class ProgressCorrectForm(forms.ModelForm):
    """Correct a progress point: its date, value and note (the visit stays as recorded)."""

    class Meta:
        model = ProgressEntry
        fields = ("date", "value", "note")
        widgets = {"date": DateInput()}
        help_texts = {"note": _("Optional: what you counted, or what was going on.")}

    def __init__(self, *args, goal: Goal, **kwargs):
        super().__init__(*args, **kwargs)
        _decimal_attrs(self.fields["value"])
        if goal.unit:
            self.fields["value"].help_text = gettext("In %(unit)s.") % {"unit": goal.unit}
