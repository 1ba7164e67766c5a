"""Links to one object by its code, without a reverse() per link.

List pages build a link per row (`get_absolute_url`, `{% code_url %}`), and reverse() walks
the URL resolver each time: about 40 µs, a few milliseconds on a page of 25 rows. A route's
path depends only on the URLconf and the script prefix, so it is reversed once with a
placeholder code and then filled in by string formatting, about a quarter of the cost. The
result is the same string reverse() gives, under any SCRIPT_NAME (the prefix is part of the
cache key, as is the URLconf).
"""

from functools import cache
from uuid import UUID

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

_PLACEHOLDER = UUID(int=0)


@cache
def _route(urlconf: str, prefix: str, viewname: str) -> tuple[str, str]:
    """The text before and after the code in `viewname`'s URL (reverse() adds the prefix)."""
    url = reverse(viewname, urlconf=urlconf, kwargs={"code": _PLACEHOLDER})
    before, found, after = url.partition(str(_PLACEHOLDER))
    if not found:
        raise ValueError(f"{viewname} has no <uuid:code> in its path")
    return before, after


def code_url(viewname: str, code: UUID | str) -> str:
    """reverse(viewname, kwargs={"code": code}) for a route whose only argument is a UUID code."""
    before, after = _route(get_urlconf(settings.ROOT_URLCONF), get_script_prefix(), viewname)
    return f"{before}{code}{after}"
