"""`{% code_url 'app:name' obj.code %}`: `{% url %}` for a route whose one argument is a code,
through core.urltools.code_url (no reverse() per row). Takes `as name` like `{% url %}`."""

from django import template

from core.urltools import code_url as _code_url

register = template.Library()


@register.simple_tag(name="code_url")
def code_url(viewname: str, code) -> str:
    return _code_url(viewname, code)
