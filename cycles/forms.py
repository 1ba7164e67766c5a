"""The forms of coaching cycles: a program's stage, and starting a relationship's cycle."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.formhelpers import fields_only
from cycles.models import CycleStage
from goals.models import Goal
from relationships.models import SupportRelationship


class CycleStageForm(forms.ModelForm):
    class Meta:
        model = CycleStage
        fields = ["name", "description", "cadence_days"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "name": _("As the program calls it, e.g. Observe."),
            "description": _("What happens in this stage, for the mentors, coaches and teachers."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = fields_only()


class CycleStartForm(forms.Form):
    goal = forms.ModelChoiceField(
        label=_("Goal this cycle works on"),
        queryset=Goal.objects.none(),
        required=False,
        empty_label=_("No goal for now"),
    )
    focus = forms.CharField(
        label=_("Focus"),
        max_length=200,
        required=False,
        help_text=_(
            "What this cycle works on, in a few words. Only the two of you (the team, for a "
            "team) read it."
        ),
    )

    def __init__(self, *args, relationship: SupportRelationship, **kwargs):
        super().__init__(*args, **kwargs)
        goal = self.fields["goal"]
        assert isinstance(goal, forms.ModelChoiceField)
        goal.queryset = relationship.goals.open().order_by("-created_at", "-pk")
        self.helper = fields_only()
