"""Form fields of the project's own, and typed access to a form's fields."""

from django import forms
from django.core.exceptions import ValidationError

# What a 64-bit integer column holds.
BIGINT_RANGE = range(-(2**63), 2**63)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's ModelMultipleChoiceField, which refuses an id too large for an integer column
    as an invalid choice. Django's own sends it to the database in an `IN (...)` (its `exact`
    lookups check the range, `in` does not): `members=18446744073709551616` in a post was a
    server error, on SQLite and PostgreSQL alike."""

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(pk)
            except (TypeError, ValueError):
                continue  # not a number: Django's own check refuses it if it must
            if number not in BIGINT_RANGE:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """The form's field `name`, which lists records (to set its `queryset`, `empty_label`)."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a ModelChoiceField")
    return field


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's field `name`, which offers choices (to set its `choices`)."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a ChoiceField")
    return field
