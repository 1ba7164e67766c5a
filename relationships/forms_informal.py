"""The form that invites a colleague to an informal relationship. It parses and labels input;
the rules live in relationships/informal_services.py, whose errors the view puts next to the
fields they name."""

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from core.formhelpers import fields_only
from programs.accounts import find_person
from relationships.informal import InformalRole
from relationships.models import Kind

NOBODY = _(
    "Nobody with an account here has the username or email address “{identifier}”. Check the "
    "spelling, or ask them which address they log in with. Accounts are not made from this "
    "page: a program coordinator or an administrator adds people."
)


class InformalInviteForm(forms.Form):
    person = forms.CharField(
        label=_("Who do you invite?"),
        max_length=254,
        help_text=_("Their email address or username. They need an account here already."),
    )
    kind = forms.ChoiceField(
        label=_("Kind of support"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Mentoring looks at a teacher's growth as a whole; coaching works on "
            "specific practices."
        ),
    )
    by_role = forms.ChoiceField(
        label=_("Who supports whom?"),
        choices=[
            (InformalRole.PROTEGE, _("They support me: they will be my mentor or coach")),
            (InformalRole.MENTOR, _("I support them: I will be their mentor or coach")),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = fields_only()

    def clean_person(self) -> User:
        identifier = self.cleaned_data["person"].strip()
        person = find_person(identifier)
        if person is None or not person.is_active:
            raise forms.ValidationError(str(NOBODY).format(identifier=identifier))
        return person
