"""The evidence section of a visit log's page and of a goal's page, for the lower apps'
templates (`{% load evidence %}`), so that their Python never imports this app.

- `{% evidence_section visit %}` / `{% evidence_section goal %}`: the files the reader may
  read, with thumbnails, and the "Attach a file" link when they may add one.
- `{% attach_to_point_link entry %}`: the link that attaches a file to one data point.
"""

import rules
from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from evidence.selectors import evidence_section as build_section

register = template.Library()


@register.inclusion_tag("evidence/includes/attachment_list.html", takes_context=True)
def evidence_section(context, record) -> dict:
    section = build_section(record, context["request"].user)
    return {"section": section, "record": record}


@register.simple_tag(takes_context=True)
def attach_to_point_link(context, entry) -> SafeString | str:
    user = context["request"].user
    if not rules.test_rule("evidence.attach_to_progress_entry", user, entry):
        return ""
    return format_html(
        '<a class="small" href="{}">{}<span class="visually-hidden"> {}</span></a>',
        reverse("evidence:attach_to_progress_entry", args=[entry.code]),
        _("Attach a file"),
        _("to this data point"),
    )
