"""A service's refusal is shown next to the field the person filled in, whatever the model
calls it; what no field asks for is shown at the top of the form."""

from django import forms
from django.core.exceptions import ValidationError

from programs.forms import add_service_error


class EndForm(forms.Form):
    reason = forms.CharField()
    ended_on = forms.DateField(required=False)


def _form() -> EndForm:
    form = EndForm({"reason": "  "})
    form.is_valid()
    form.errors.clear()  # as a valid form would be, before the service is asked
    return form


def test_errors_go_next_to_the_field_the_form_names_them_by():
    form = _form()
    error = ValidationError(
        {"end_reason": "Say why it ends.", "ended_on": "Not before it started."}
    )
    add_service_error(form, error, {"end_reason": "reason"})
    assert form.errors["reason"] == ["Say why it ends."]
    assert form.errors["ended_on"] == ["Not before it started."]
    assert not form.non_field_errors()


def test_errors_no_field_asks_for_go_to_the_top():
    form = _form()
    add_service_error(form, ValidationError({"mentor": "Is the protégé's supervisor."}))
    add_service_error(form, ValidationError("The program is archived."))
    assert form.non_field_errors() == ["Is the protégé's supervisor.", "The program is archived."]
    assert "reason" not in form.errors
