"""The form that asks for a PDF report (reports/views/report_jobs.py)."""

import datetime

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import clock
from core.formhelpers import fields_only
from core.months import month_bounds
from core.widgets import DateInput

# A longer period is a report nobody reads and a long wait for the worker.
MAX_DAYS = 3 * 366


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last twelve months, this one included: from the first of the month eleven months
    ago to today."""
    start = today.replace(day=1)
    for __ in range(11):
        start = month_bounds(start - datetime.timedelta(days=1))[0]
    return start, today


class ReportPeriodForm(forms.Form):
    starts_on = forms.DateField(label=gettext_lazy("From"), widget=DateInput())
    ends_on = forms.DateField(label=gettext_lazy("To"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = fields_only()
        start, end = default_period(clock.today())
        self.fields["starts_on"].initial = start
        self.fields["ends_on"].initial = end

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on:
            if ends_on < starts_on:
                self.add_error("ends_on", _("The end must be on or after the start."))
            elif (ends_on - starts_on).days > MAX_DAYS:
                self.add_error("ends_on", _("A report covers three years at most."))
        return data
