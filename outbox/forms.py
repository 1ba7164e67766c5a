"""The email switches on a person's settings page: one per kind of email they can turn off."""

from django import forms
from django.contrib.auth.models import User

from outbox import kinds, services

PREFIX = "email_"


def add_switches(form: forms.Form, user: User, roles: frozenset[str]) -> list[str]:
    """Add to `form` a box per kind of email that can concern someone with `roles`, ticked
    when it is on; the names of the fields added."""
    off = services.turned_off(user)
    names = []
    for kind in kinds.optional_kinds(roles):
        name = f"{PREFIX}{kind.name}"
        form.fields[name] = forms.BooleanField(
            label=kind.switch, required=False, initial=kind.name not in off
        )
        names.append(name)
    return names


def switches(cleaned_data: dict) -> dict[str, bool]:
    """The kinds of email a submitted form turns on (True) or off (False)."""
    return {
        name.removeprefix(PREFIX): bool(value)
        for name, value in cleaned_data.items()
        if name.startswith(PREFIX) and kinds.is_kind(name.removeprefix(PREFIX))
    }
