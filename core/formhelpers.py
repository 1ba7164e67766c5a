"""crispy-forms helpers shared by the apps' forms."""

from crispy_forms.helper import FormHelper


def fields_only() -> FormHelper:
    """A helper for a form whose template writes the <form> tag and `{% csrf_token %}` itself:
    `{% crispy form %}` renders the fields and nothing else. crispy adds a CSRF token to every
    POST form unless told not to, even without the form tag, which gave such forms two."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper
