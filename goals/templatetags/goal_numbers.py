"""`{{ value|number }}`: a measure as people write it (2.5, not 2.50; 3, not 3.00)."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def number(value) -> str:
    if value is None or value == "":
        return ""
    try:
        normalized = Decimal(str(value)).normalize()
    except InvalidOperation:
        return str(value)
    return format(normalized, "f")
