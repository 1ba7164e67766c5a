"""The browser's own date and time pickers, for every form of the app.

Values are written in the formats those inputs read (ISO dates, 24-hour times), whatever the
display formats are."""

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")
