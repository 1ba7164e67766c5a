"""Forms of the administrator's anonymize page: find the person, then confirm."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.formhelpers import fields_only
from programs.forms import named_person


class FindPersonForm(forms.Form):
    person = forms.CharField(
        label=_("Username or email address"),
        max_length=254,
        help_text=_("The person who asked to be anonymized."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].widget.attrs["autocomplete"] = "off"
        self.helper = fields_only()

    def clean(self):
        data = super().clean()
        data["person_obj"] = named_person(self, "person")
        return data


class AnonymizeForm(FindPersonForm):
    asked = forms.BooleanField(
        label=_("This person asked to be anonymized, and I have checked that it is them"),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "confirm_%s")  # the page's find form has its own id_person
        super().__init__(*args, **kwargs)
        self.fields["person"].widget = forms.HiddenInput()
