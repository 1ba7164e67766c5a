"""`{% options %}` (core/templatetags/options.py) prints what `{{ }}` would: names with markup
are escaped, the chosen value is selected whether it comes back as text or as a number."""

from django.template import Context, Template
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

SELECT = Template("{% load options %}<select>{% options choices selected %}</select>")


def rendered(choices, selected) -> str:
    return SELECT.render(Context({"choices": choices, "selected": selected}))


def test_a_name_with_markup_is_escaped_as_text():
    page = rendered([(1, '<script>alert("x")</script> & Co'), ('"2"', "Ann")], None)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in page
    assert '<option value="&quot;2&quot;">Ann</option>' in page


def test_the_value_sent_back_as_text_is_selected():
    page = rendered([(1, "Ann"), (12, "Bo")], "12")
    assert '<option value="12" selected>Bo</option>' in page
    assert '<option value="1">Ann</option>' in page
    assert "selected" not in rendered([(1, "Ann")], None)


def test_labels_already_html_or_translated_print_as_they_would_in_the_page():
    page = rendered([("a", format_html("<b>{}</b>", "&")), ("b", gettext_lazy("Any flag"))], "")
    assert '<option value="a"><b>&amp;</b></option>' in page
    assert '<option value="b">Any flag</option>' in page
