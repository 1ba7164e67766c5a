"""The forms of the program year's pages (reports/views/years.py)."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.widgets import DateInput
from reports.year_end import Continuing

GRADUATE, CONTINUE, LEAVE = "graduate", "continue", "leave"


class CloseYearForm(forms.Form):
    """A confirmation: nothing to fill in."""


class NextYearForm(forms.Form):
    """The next year's name and dates, who carries on, and whether they keep their matches.

    Each continuing participant has a box `carry_<enrollment>`, ticked at first; a year-3
    resident has a choice `fate_<enrollment>` instead: graduates (at first), continues in year
    3, or does not continue."""

    name = forms.CharField(label=_("Name of the next year"), max_length=200)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput(), required=False)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput(), required=False)
    keep_matches = forms.BooleanField(
        label=_("Keep their matches"),
        required=False,
        initial=True,
        help_text=(
            _(
                "Each protégé carried over starts the new year with the same mentor or coach, "
                "when both carry on."
            )
        ),
    )

    def __init__(self, *args, continuing: list[Continuing], **kwargs):
        super().__init__(*args, **kwargs)
        self.continuing = continuing
        for row in continuing:
            if row.may_graduate:
                self.fields[f"fate_{row.pk}"] = forms.ChoiceField(
                    label=gettext("Next year for %(row)s") % {"row": row.name},
                    choices=[
                        (GRADUATE, "Graduates"),
                        (CONTINUE, gettext("Continues in year 3")),
                        (LEAVE, gettext("Does not continue")),
                    ],
                    initial=GRADUATE,
                    widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                )
            else:
                self.fields[f"carry_{row.pk}"] = forms.BooleanField(
                    label=gettext("Carry over %(row)s") % {"row": row.name},
                    required=False,
                    initial=True,
                    widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
                )

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", gettext("The end date must be on or after the start date."))
        return cleaned

    def rows(self) -> list[tuple[Continuing, forms.BoundField]]:
        """Each participant with their box or choice, for the table."""
        return [
            (row, self[f"fate_{row.pk}" if row.may_graduate else f"carry_{row.pk}"])
            for row in self.continuing
        ]

    def carried_ids(self) -> list[int]:
        carried = []
        for row in self.continuing:
            if row.may_graduate:
                if self.cleaned_data.get(f"fate_{row.pk}") == CONTINUE:
                    carried.append(row.pk)
            elif self.cleaned_data.get(f"carry_{row.pk}"):
                carried.append(row.pk)
        return carried

    def graduate_ids(self) -> list[int]:
        return [
            row.pk
            for row in self.continuing
            if row.may_graduate and self.cleaned_data.get(f"fate_{row.pk}") == GRADUATE
        ]
