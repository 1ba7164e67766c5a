"""Inviting a co-coordinator who has no account yet: their name and email address. The account
is created with no password; the invitation lets them choose one (programs/invitations.py)."""

from crispy_forms.layout import Div, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from core.formhelpers import fields_only
from programs.accounts import NewPerson


class CoordinatorInviteForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("The invitation goes here, with a link to choose a password."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.helper = fields_only()
        self.helper.layout = Layout(
            Div(
                Div("first_name", css_class="col-sm-6"),
                Div("last_name", css_class="col-sm-6"),
                css_class="row",
            ),
            "email",
        )

    def new_person(self) -> NewPerson:
        data = self.cleaned_data
        return NewPerson(
            first_name=data["first_name"], last_name=data["last_name"], email=data["email"]
        )
