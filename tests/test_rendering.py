"""The shortcuts that make list and form pages cheaper to render give exactly what the slow way
gave: links by code equal reverse()'s, also under a script prefix; `|day` gives what `|date`
gives; the visit forms' lean crispy field template writes the Bootstrap 5 pack's markup
(labels, help text, errors next to the field, ids), so the pages, the tests that read them and
screen readers see no change."""

import datetime
import re
import uuid
from pathlib import Path

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.conf import settings
from django.forms import CheckboxSelectMultiple
from django.template import Context, Template
from django.template.loader import get_template
from django.urls import URLPattern, get_resolver, reverse, set_script_prefix

from core.urltools import code_url
from relationships.forms import VisitLogForm, VisitScheduleForm
from tests.factories import SupportRelationshipFactory


def _code_routes() -> list[str]:
    """Every named route whose one argument is `<uuid:code>`."""
    names = []
    for namespace, (_, resolver) in get_resolver().namespace_dict.items():
        for pattern in resolver.url_patterns:
            if (
                isinstance(pattern, URLPattern)
                and pattern.name
                and list(pattern.pattern.converters) == ["code"]
            ):
                names.append(f"{namespace}:{pattern.name}")
    return names


@pytest.mark.parametrize("prefix", ["/", "/mentoring/", "/sub dir/"])
def test_code_url_is_what_reverse_gives(prefix):
    routes = _code_routes()
    assert {"relationships:detail", "relationships:visit_detail", "goals:detail"} <= set(routes)
    code = uuid.uuid4()
    set_script_prefix(prefix)
    try:
        for name in routes:
            expected = reverse(name, kwargs={"code": code})
            assert code_url(name, code) == expected
            assert code_url(name, str(code)) == expected
    finally:
        set_script_prefix("/")


def _same_markup(html: str) -> str:
    """Whitespace between and inside tags is all that may differ."""
    html = re.sub(r"\s+", " ", html)
    return re.sub(r"\s*(<|>)\s*", r"\1", html).strip()


def _pack_field(bound_field) -> str:
    """The field through crispy-bootstrap5's own template, as without the form's helper."""
    return get_template("bootstrap5/field.html").render(
        {
            "field": bound_field,
            "form_show_errors": True,
            "form_show_labels": True,
            "label_class": "",
            "field_class": "",
        }
    )


@pytest.mark.django_db
@pytest.mark.parametrize("data", [None, {"date": "not a date", "duration_minutes": ""}])
def test_visit_forms_fields_render_as_the_bootstrap5_pack_does(data):
    relationship = SupportRelationshipFactory()
    forms = [VisitLogForm(data, relationship=relationship), VisitScheduleForm(data)]
    checked = 0
    for form in forms:
        if data is not None:
            assert not form.is_valid()
        for name, field in form.fields.items():
            if isinstance(field.widget, CheckboxSelectMultiple):
                continue  # checkbox lists: the page writes them out itself
            lean = as_crispy_field(form[name])
            assert _same_markup(lean) == _same_markup(_pack_field(form[name])), name
            checked += 1
    assert checked >= 18
    if data is not None:
        date = _same_markup(as_crispy_field(forms[0]["date"]))
        assert 'aria-describedby="id_date_error"' in date
        assert '<p id="error_1_id_date"><strong>Enter a valid date.</strong></p>' in date


@pytest.mark.parametrize(
    "value",
    [
        datetime.date(2026, 1, 5),
        datetime.date(2026, 11, 23),
        datetime.datetime(2026, 3, 8, 6, 30, tzinfo=datetime.UTC),
        None,
        "",
    ],
)
@pytest.mark.parametrize("fmt", ["M j, Y", "l, F j, Y", "Y-m-d", "SHORT_DATE_FORMAT", None])
def test_day_filter_is_the_date_filter(value, fmt):
    both = Template(
        "{% load dates %}{{ value|date:fmt }}|{{ value|day:fmt }}|{{ value|day:fmt }}"
    ).render(Context({"value": value, "fmt": fmt}))
    plain, remembered, again = both.split("|")
    assert remembered == plain and again == plain


def test_no_template_comment_spans_lines():
    """`{# … #}` ends on its own line or it is printed as text: longer comments need
    `{% comment %}`."""
    templates = Path(settings.BASE_DIR) / "templates"
    broken = [
        f"{path.relative_to(templates)}:{number}"
        for path in templates.rglob("*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert broken == []


def test_the_error_summary_links_each_error_to_a_field_on_the_page():
    from django import forms

    class ChoiceForm(forms.Form):
        name = forms.CharField()
        kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)

    form = ChoiceForm({})
    form.is_valid()
    html = get_template("includes/form_errors.html").render({"form": form})
    targets = re.findall(r'href="#([^"]*)"', html)
    assert targets == ["id_name", "id_kind_0"]  # a radio group: its first choice
    page = form.as_div()
    assert all(f'id="{target}"' in page for target in targets)


def test_the_options_tag_escapes_and_marks_the_chosen_one():
    """What the dashboard's filters wrote with a loop of `<option>`s, from one tag."""
    template = Template("{% load options %}{% options choices chosen %}")
    html = template.render(Context({"choices": [(1, "Ann <b>"), (2, 'O"Neil & co')], "chosen": 2}))
    assert html == (
        '<option value="1">Ann &lt;b&gt;</option>'
        '<option value="2" selected>O&quot;Neil &amp; co</option>'
    )
    assert "selected" not in template.render(Context({"choices": [(1, "Ann")], "chosen": None}))
    # A bound form's value is the text sent back; its choices' values may be numbers.
    assert "selected" in template.render(Context({"choices": [(7, "Ann")], "chosen": "7"}))
