"""Form fields of the project's own."""

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
