"""The roll-up page's long lists, built in Python: a state's per-program table has 300 rows of
eight cells and its leader may name the leaders of hundreds of organizations, and template loops
over them were most of the page's time (the filters' options: core's `{% options %}`). Every
value (a program's or organization's name, a heading, a figure's text, a link) is escaped by
`format_html` or `escape`."""

from uuid import UUID

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from reports.rollup.tables import Table

register = template.Library()


HIDDEN = format_html(' class="{}"', "fst-italic")  # a suppressed figure's cell


@register.simple_tag
def rollup_rows(table: Table) -> SafeString:
    """The body rows of a roll-up table (the total row is the template's): one `format_html`
    per row, each heading escaped once per table."""
    headings = [escape(heading) for heading in table.columns]
    row_format = '<tr><th scope="row" class="fw-normal" data-label="{}">{}</th>' + (
        '<td data-label="{}"{}>{}</td>' * (len(headings) - 1) + "</tr>"
    )
    links = table.links or (None,) * len(table.rows)
    lines = []
    for row, link in zip(table.rows, links, strict=True):
        first = row[0]
        label = format_html('<a href="{}">{}</a>', link, first.text) if link else first.text
        values: list = [headings[0], label]
        for cell, heading in zip(row[1:], headings[1:], strict=True):
            values += (heading, HIDDEN if cell.suppressed else "", cell.text)
        lines.append((format_html(row_format, *values),))
    return format_html_join("\n", "{}", lines)


@register.simple_tag
def leaders_links(managed) -> SafeString:
    """A link to each managed organization's leaders page (a state office manages hundreds):
    the URL is reversed once and each organization's code put in its place."""
    placeholder = UUID(int=0)
    pattern = reverse("organizations:leaders", args=[placeholder])
    return format_html_join(
        "",
        '<li><a href="{}">{}</a></li>',
        ((pattern.replace(str(placeholder), str(code)), _("Leaders of %(name)s") % {"name": name})
         for name, code in managed),
    )  # fmt: skip
