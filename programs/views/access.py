"""Fetching a program for its coordinator: out of scope is a 404, in scope but not theirs to
manage is a 403."""

import itertools
from collections.abc import Iterable, Sequence
from typing import Protocol, Self
from uuid import UUID

import rules
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext

from core.http import AuthedRequest
from core.spreadsheet import csv_text
from programs.models import Program


class Scoped(Protocol):
    """A queryset whose records are scoped by who may see them."""

    def visible_to(self, user: User | AnonymousUser) -> Self: ...

    def exists(self) -> bool: ...


def managed_program(request: AuthedRequest, code: UUID) -> Program:
    """The program, for one of its coordinators; 403 for others who may see it; else 404.

    The coordinator's way is one plain query (the scope query is only needed to tell 403
    from 404, for everyone else)."""
    program = get_object_or_404(Program.objects.select_related("sponsor"), code=code)
    require_coordinator(request, program, Program.objects.filter(pk=program.pk))
    return program


def require_coordinator(request: AuthedRequest, program: Program, found: Scoped) -> None:
    """Let `program`'s coordinators through. For anyone else: 403 when they may see what was
    `found` (a queryset of the one object asked for), else 404, so nothing out of scope is
    even confirmed to exist."""
    if rules.test_rule("programs.manage_program", request.user, program):
        return
    if found.visible_to(request.user).exists():
        raise PermissionDenied(gettext("Only the program's coordinators can do this."))
    raise Http404("Not found.")


def refuse_if_read_only(request: HttpRequest, program: Program, to: str) -> HttpResponse | None:
    """For an archived or closed program, a redirect to the page `to` (named, taking the
    program's code) saying why nothing can change; None for any other."""
    if not program.is_read_only:
        return None
    messages.warning(request, program.read_only_message)
    return redirect(to, program.code)


def may_create_programs(user: User | AnonymousUser) -> bool:
    """The `programs.create_program` rule: coordinators and staff start new programs."""
    return rules.test_rule("programs.create_program", user)


# Rows read before the response starts: the header and the first row, whose reading runs the
# queries that depend on what was asked for (the dashboard's filters).
CHECKED_ROWS = 2


def csv_download(rows: Iterable[Sequence], filename: str) -> StreamingHttpResponse:
    """A CSV file to save, streamed, from rows of cells (the header first). Every download
    goes through here: text cells that a spreadsheet would run as formulas are made text
    (`core.spreadsheet`). It starts with a byte-order mark, so that spreadsheet programs
    read it as UTF-8 (the é of protégé) rather than their local encoding.

    The first rows are read before anything is sent: a query that fails then (a filter the
    database refuses) is an error page, not a 200 with a file cut short that looks complete."""
    rows = iter(rows)
    first = list(itertools.islice(rows, CHECKED_ROWS))
    response = StreamingHttpResponse(
        itertools.chain(["\ufeff"], csv_text(itertools.chain(first, rows))),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data on a POST (even an empty one), None otherwise: binds a form."""
    return request.POST if request.method == "POST" else None
