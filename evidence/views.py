"""Attaching files to a visit log, a goal or a progress entry; opening and deleting them
(docs/design.md, "Classroom evidence").

A record the person may not open is a 404, as on its own page; one they may open but not add
to is a 403. A file is fetched by its code and read only through `evidence.read_attachment`:
anyone else, the protégé's supervisor included, gets a 404.
"""

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.access import Read, record_read
from core.http import AuthedRequest
from evidence import services, serving
from evidence.forms import AttachmentForm
from evidence.models import Attachment
from goals.models import Goal, ProgressEntry
from relationships.lookups import get_permitted_or_404
from relationships.rules import conversation_since
from relationships.visits import Visit

RELATIONSHIP = (
    "relationship",
    "relationship__program",
    "relationship__protege",
    "relationship__team",
    "relationship__mentor",
)


def _day(day) -> str:
    return date_format(day, _("M j, Y"))


def _attach(request: AuthedRequest, record, *, rule: str, heading: str, back: str):
    if not rules.test_rule(rule, request.user, record):
        raise PermissionDenied(_("Only the people of an open relationship can add files to it."))
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attachment_add(
                record=record,
                by=request.user,
                upload=form.cleaned_data["file"],
                tier=form.cleaned_data["tier"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("The file is attached."))
            return redirect(f"{back}#evidence")
    return render(
        request,
        "evidence/attachment_form.html",
        {"form": form, "heading": heading, "back": back},
        status=400 if form.errors else 200,
    )


def attach_to_visit(request: AuthedRequest, code) -> HttpResponse:
    visit = get_permitted_or_404(
        Visit.objects.select_related(*RELATIONSHIP),
        rule="relationships.open_visit_page",
        user=request.user,
        code=code,
    )
    heading = _("Attach a file to the visit log of %(day)s") % {"day": _day(visit.date)}
    return _attach(
        request,
        visit,
        rule="evidence.attach_to_visit",
        heading=heading,
        back=visit.get_absolute_url(),
    )


def attach_to_goal(request: AuthedRequest, code) -> HttpResponse:
    goal = get_permitted_or_404(
        Goal.objects.select_related(*RELATIONSHIP),
        rule="goals.read_goal",
        user=request.user,
        code=code,
    )
    heading = _("Attach a file to the goal “%(title)s”") % {"title": goal.title}
    return _attach(
        request,
        goal,
        rule="evidence.attach_to_goal",
        heading=heading,
        back=goal.get_absolute_url(),
    )


def attach_to_progress_entry(request: AuthedRequest, code) -> HttpResponse:
    entry = get_permitted_or_404(
        ProgressEntry.objects.select_related(*(f"goal__{name}" for name in RELATIONSHIP)),
        rule="goals.read_progress_entry",
        user=request.user,
        code=code,
    )
    heading = _("Attach a file to the data point of %(day)s (%(title)s)") % {
        "day": _day(entry.date),
        "title": entry.goal.title,
    }
    return _attach(
        request,
        entry,
        rule="evidence.attach_to_progress_entry",
        heading=heading,
        back=entry.goal.get_absolute_url(),
    )


def _readable(request: AuthedRequest, code) -> Attachment:
    """An attachment `evidence.read_attachment` lets the person read: else 404."""
    return get_permitted_or_404(
        Attachment.objects.select_related(
            "relationship",
            "relationship__program",
            "visit",
            "goal",
            "progress_entry",
            "progress_entry__goal",
        ),
        rule="evidence.read_attachment",
        user=request.user,
        code=code,
    )


def _record_outsider_read(request: AuthedRequest, attachment: Attachment) -> None:
    """A coordinator who reads shared logs opening a shared file is logged as reading the
    record it belongs to (docs/design.md, "Audit"); the relationship's people are not."""
    relationship = attachment.relationship
    if conversation_since(request.user, relationship) is None:
        return
    if attachment.visit is not None:
        read = Read(
            kind="visit",
            what=f"The file “{attachment.original_name}” of the visit log of "
            f"{attachment.visit.date:%Y-%m-%d}",
            relationship_id=relationship.pk,
            program_id=relationship.program_id,
            visit_id=attachment.visit_id,
        )
    else:
        goal = _goal_of(attachment)
        read = Read(
            kind="goal",
            what=f"The file “{attachment.original_name}” of the goal “{goal.title}”",
            relationship_id=relationship.pk,
            program_id=relationship.program_id,
            goal_id=goal.pk,
        )
    record_read(request, [read])


def attachment_file(request: AuthedRequest, code):
    """The file itself, to whoever may read it (evidence/serving.py)."""
    attachment = _readable(request, code)
    _record_outsider_read(request, attachment)
    return serving.serve(request, attachment)


def attachment_thumbnail(request: AuthedRequest, code):
    """A photo's thumbnail or a video's poster, once the worker has made it."""
    attachment = _readable(request, code)
    if not attachment.thumbnail:
        raise Http404("No thumbnail yet.")
    return serving.serve(request, attachment, thumbnail=True)


def _goal_of(attachment: Attachment) -> Goal:
    if attachment.goal is not None:
        return attachment.goal
    assert attachment.progress_entry is not None  # evidence_attachment_one_record
    return attachment.progress_entry.goal


def _record_url(attachment: Attachment) -> str:
    if attachment.visit is not None:
        return attachment.visit.get_absolute_url()
    return _goal_of(attachment).get_absolute_url()


def attachment_delete(request: AuthedRequest, code) -> HttpResponse:
    """Delete a file I added, after a confirmation page."""
    attachment = _readable(request, code)
    if not rules.test_rule("evidence.delete_attachment", request.user, attachment):
        raise PermissionDenied(_("Only the person who added a file can delete it."))
    back = _record_url(attachment)
    if request.method == "POST":
        services.attachment_delete(attachment=attachment, by=request.user)
        messages.success(request, _("“%(name)s” is deleted.") % {"name": attachment.original_name})
        return redirect(f"{back}#evidence")
    return render(
        request, "evidence/attachment_delete.html", {"attachment": attachment, "back": back}
    )
