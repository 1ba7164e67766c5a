"""What a leader asked the roll-up for: a period (a program year, or dates of their own) and
the organization, site, program, kind of support, career stage and cohort (the year a
protégé joined) to count. Parsed from the page's GET form; bad values are shown by their
field and the figures follow what was valid."""

import datetime
from dataclasses import dataclass, replace
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from core import clock
from core.dates import format_day
from programs.served import CareerStage
from relationships.models import Kind
from reports.rollup.scope import Scope, site_choices
from reports.years import program_year

YEARS_BACK = 5  # program years offered before this one
LONGEST_SPAN_DAYS = 366 * 5


@dataclass(frozen=True)
class Filters:
    starts_on: datetime.date
    ends_on: datetime.date  # included
    organization: int | None = None
    site: int | None = None
    program: int | None = None
    kind: str = ""
    stage: str = ""
    cohort: int | None = None
    sort: str = ""

    @classmethod
    def this_year(cls, today: datetime.date | None = None) -> "Filters":
        """The program year (August to July) that holds today."""
        year = program_year(None, None, today or clock.today())
        return cls(starts_on=year.starts_on, ends_on=year.ends_on)

    @property
    def label(self) -> str:
        first, last = self.starts_on, self.ends_on
        return f"{format_day(first, 'M j, Y')} – {format_day(last, 'M j, Y')}"

    def as_query(self) -> dict[str, str]:
        """The GET parameters that ask for these filters (for the downloads' links)."""
        values = {
            "starts_on": self.starts_on.isoformat(),
            "ends_on": self.ends_on.isoformat(),
            "organization": str(self.organization or ""),
            "site": str(self.site or ""),
            "program": str(self.program or ""),
            "kind": self.kind,
            "stage": self.stage,
            "cohort": str(self.cohort or ""),
            "sort": self.sort,
        }
        return {name: value for name, value in values.items() if value}


def year_choices(today: datetime.date) -> list[tuple[str, str]]:
    current = program_year(None, None, today).starts_on.year
    choices = []
    for start in range(current, current - YEARS_BACK - 1, -1):
        year = program_year(None, None, datetime.date(start, 9, 1))
        choices.append((str(start), year.label))
    return choices


class RollupForm(forms.Form):
    year = forms.ChoiceField(label=_("Program year"), required=False)
    starts_on = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    organization = forms.TypedChoiceField(
        label=_("Organization"), required=False, coerce=int, empty_value=None
    )
    site = forms.TypedChoiceField(label=_("Site"), required=False, coerce=int, empty_value=None)
    program = forms.TypedChoiceField(
        label=_("Program"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(
        label=_("Support"),
        required=False,
        choices=[("", _("Mentoring and coaching")), *Kind.choices],
    )
    stage = forms.ChoiceField(
        label=_("Career stage"),
        required=False,
        choices=[("", _("Every stage")), *CareerStage.choices],
    )
    cohort = forms.IntegerField(
        label=_("Cohort (year joined)"), required=False, min_value=1990, max_value=2100
    )
    sort = forms.CharField(required=False, widget=forms.HiddenInput, max_length=40)

    def __init__(self, data, *, scope: Scope, today: datetime.date):
        super().__init__(data)
        self.today = today
        fields = cast(dict[str, forms.ChoiceField], self.fields)
        fields["year"].choices = [("", _("Dates below")), *year_choices(today)]
        fields["organization"].choices = [("", _("All of mine")), *site_choices(scope)]
        fields["site"].choices = [("", _("Every site")), *site_choices(scope)]
        fields["program"].choices = [
            ("", _("Every program")),
            *((pk, program.name) for pk, program in scope.programs.items()),
        ]

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end must be on or after the start."))
        elif starts_on and ends_on and (ends_on - starts_on).days > LONGEST_SPAN_DAYS:
            self.add_error("ends_on", _("Choose at most five years."))
        elif bool(starts_on) != bool(ends_on):
            missing = "ends_on" if starts_on else "starts_on"
            self.add_error(missing, _("Give both dates, or choose a program year."))
        return data

    def filters(self) -> Filters:
        """The filters asked for; a field with a bad value counts as not asked."""
        chosen = Filters.this_year(self.today)
        if not self.is_bound:
            return chosen
        errors = self.errors  # cleans the form
        valid = dict(getattr(self, "cleaned_data", {}))
        if errors:
            valid = {name: value for name, value in valid.items() if name not in errors}
            if "starts_on" in errors or "ends_on" in errors:
                valid.pop("starts_on", None)
                valid.pop("ends_on", None)
        if valid.get("starts_on") and valid.get("ends_on"):
            chosen = replace(chosen, starts_on=valid["starts_on"], ends_on=valid["ends_on"])
        elif valid.get("year"):
            year = program_year(None, None, datetime.date(int(valid["year"]), 9, 1))
            chosen = replace(chosen, starts_on=year.starts_on, ends_on=year.ends_on)
        return replace(
            chosen,
            organization=valid.get("organization"),
            site=valid.get("site"),
            program=valid.get("program"),
            kind=valid.get("kind") or "",
            stage=valid.get("stage") or "",
            cohort=valid.get("cohort"),
            sort=(valid.get("sort") or "").strip(),
        )
