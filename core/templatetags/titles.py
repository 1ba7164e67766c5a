"""`{% filter short_title %}…{% endfilter %}`: the page's <title>, kept short.

Titles are read first by screen readers, shown on tabs and in search results, where about 60
characters fit. A page's title is "its name | site name"; when a program's or a goal's name makes
it longer than MAX_TITLE, the page's part is cut at a word and ends with "…", and the site's name
stays. base.html applies it to every page's title block.
"""

import html

from django import template
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString

register = template.Library()

MAX_TITLE = 60
SEPARATOR = " | "


@register.filter(is_safe=True)
def short_title(value: str) -> SafeString:
    """The rendered title block (escaped HTML) as at most MAX_TITLE characters of text."""
    text = " ".join(html.unescape(strip_tags(value)).split())
    if len(text) > MAX_TITLE:
        page, separator, site = text.rpartition(SEPARATOR)
        if not separator:
            page, site = text, ""
        text = _cut(page, MAX_TITLE - len(separator) - len(site)) + separator + site
    return escape(text)


def _cut(text: str, room: int) -> str:
    """`text` in at most `room` characters, cut at a word, with "…" when anything was cut."""
    if len(text) <= room:
        return text
    cut = text[: room - 1]
    if text[room - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,:;") + "…"
