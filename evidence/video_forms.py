"""The forms of the video review page: a comment at a moment, and a reply under a comment."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.formhelpers import fields_only
from core.hints import no_child_names
from evidence.video_comments import format_moment
from evidence.video_services import BODY_MAX_LENGTH

# "1:42", "01:42", "1:02:03": minutes and seconds, with hours before them when there are any.
MOMENT = re.compile(r"^(?:(?P<hours>\d{1,2}):)?(?P<minutes>\d{1,3}):(?P<seconds>\d{1,2})$")


def parse_moment(text: str) -> int:
    """Seconds into the video from "mm:ss" (or "h:mm:ss"); a ValidationError that says how to
    write it otherwise."""
    match = MOMENT.match(text.strip().replace(".", ":"))
    if match is None:
        raise ValidationError(
            _("Write the moment as minutes and seconds, like 01:42."), code="format"
        )
    hours = int(match["hours"] or 0)
    minutes, seconds = int(match["minutes"]), int(match["seconds"])
    if seconds > 59 or (match["hours"] is not None and minutes > 59):
        raise ValidationError(
            _(
                "“%(moment)s” is not a moment of a video: seconds and minutes go from 00 to 59. "
                "Write it like 01:42."
            ),
            code="range",
            params={"moment": text.strip()},
        )
    return hours * 3600 + minutes * 60 + seconds


class MomentField(forms.CharField):
    """A moment typed as "01:42"; cleaned to whole seconds."""

    def prepare_value(self, value):
        if isinstance(value, int):
            return format_moment(value)
        return value

    def clean(self, value) -> int:
        text = super().clean(value)
        return parse_moment(text)


class VideoCommentForm(forms.Form):
    moment = MomentField(
        label=_("Moment in the video"),
        max_length=12,
        help_text=_("Minutes and seconds, like 01:42."),
        error_messages={"required": _("Say at which moment of the video: minutes and seconds.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "size": 8, "class": "moment"}
        ),
    )
    body = forms.CharField(
        label=_("Comment"),
        max_length=BODY_MAX_LENGTH,
        help_text=no_child_names(),
        error_messages={"required": _("Write a comment.")},
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = fields_only()


class VideoReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=BODY_MAX_LENGTH,
        help_text=no_child_names(),
        error_messages={"required": _("Write a reply.")},
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = fields_only()
