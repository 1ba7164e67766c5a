"""`{{ value|number }}`: a measure as people write it (2.5, not 2.50; 3, not 3.00), with the
decimal separator of the reader's language (2,5 in Spanish)."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def number(value) -> str:
    if value is None or value == "":
        return ""
    try:
        normalized = Decimal(str(value)).normalize()
    except InvalidOperation:
        return str(value)
    return number_format(normalized)
