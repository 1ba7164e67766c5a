"""A model field holding several values from one set of choices.

Programs, mentor profiles and visits pick several items from a list (purposes, age groups,
activities). The values are stored as a JSON list; forms show checkboxes, and `validate`
refuses anything outside the choices so a crafted POST cannot store unknown values.
"""

from functools import cached_property

from django import forms
from django.core import exceptions
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChoiceListField(models.JSONField):
    """A JSON list of values, each one of `choices` (a TextChoices class)."""

    def __init__(self, *args, choices_class=None, **kwargs):
        self.choices_class = choices_class
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("default") is list:
            del kwargs["default"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        # The choices class is a form/validation concern; it does not change the column.
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if not isinstance(value, list):
            raise exceptions.ValidationError(_("Choose from the list."), code="invalid")
        allowed = set(self.choices_class.values) if self.choices_class else None
        unknown = [item for item in value if allowed is not None and item not in allowed]
        if unknown:
            raise exceptions.ValidationError(
                _("%(value)s is not one of the available choices."),
                code="invalid_choice",
                params={"value": ", ".join(map(str, unknown))},
            )

    def formfield(self, **kwargs):
        if self.choices_class is None:
            return super().formfield(**kwargs)
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": self.choices_class.choices,
            "widget": forms.CheckboxSelectMultiple,
            "required": not self.blank,
            "label": self.verbose_name[:1].upper() + self.verbose_name[1:],
            "help_text": self.help_text,
        }
        defaults.update(kwargs)
        # Skip JSONField.formfield, which would force its own form class.
        return models.Field.formfield(self, **defaults)

    @cached_property
    def _label_of(self) -> dict:
        """Label by value, built once per field: list pages ask for labels on every row."""
        return dict(self.choices_class.choices) if self.choices_class else {}

    def labels(self, value) -> list[str]:
        return [str(self._label_of.get(item, item)) for item in value or []]


def choice_labels(instance: models.Model, name: str) -> list[str]:
    """The labels of the values a record's ChoiceListField `name` holds, in its order."""
    field = instance._meta.get_field(name)
    if not isinstance(field, ChoiceListField):
        raise TypeError(f"{name} is not a ChoiceListField")
    return field.labels(getattr(instance, name))


def choices_condition(field: str, choices_class) -> models.Q:
    """The condition that keeps a choice column inside its TextChoices."""
    return models.Q(**{f"{field}__in": choices_class.values})


def blank_or_choices_condition(field: str, choices_class) -> models.Q:
    return models.Q(**{field: ""}) | choices_condition(field, choices_class)
