"""The link at the foot of every email that can be turned off.

It works without logging in: the signed token names the person and the kind, and nothing else
can be done with it. A mail program's one-click unsubscribe (RFC 8058) POSTs to the same
address, with no CSRF token, so the POST is exempt; a person's browser first sees a page with
a button, so that a link scanner opening the URL turns nothing off.
"""

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from outbox import kinds
from outbox.models import Optout
from outbox.services import read_unsubscribe_token, settings_url


@login_not_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = read_unsubscribe_token(token)
    if found is None:
        raise Http404("This link is not one of ours.")
    user_id, kind_name = found
    person = get_object_or_404(User, pk=user_id)
    kind = kinds.get(kind_name)
    if not kind.optional:
        raise Http404("This email cannot be turned off.")
    if request.method == "POST":
        Optout.objects.get_or_create(user=person, kind=kind.name)
    done = Optout.objects.filter(user=person, kind=kind.name).exists()
    return render(
        request,
        "outbox/unsubscribe.html",
        {"kind": kind, "done": done, "settings_url": settings_url()},
    )
