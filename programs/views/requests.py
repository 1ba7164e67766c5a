"""A request to take part in a program, answered by the person asked: accept (and be
enrolled) or decline. Only they reach it; for anyone else it does not exist (404)."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext

from core.http import AuthedRequest
from core.names import person_name
from programs import services
from programs.models import EnrollmentRequest


def request_answer(request: AuthedRequest, code: UUID) -> HttpResponse:
    """GET: what the program asks and what accepting means; POST answer=accept or decline."""
    asked = get_object_or_404(
        EnrollmentRequest.objects.select_related("program", "program__sponsor", "asked_by"),
        code=code,
        person=request.user,
    )
    error = None
    if request.method == "POST" and asked.is_pending:
        answer = request.POST.get("answer")
        if answer not in {"accept", "decline"}:
            error = gettext("Choose whether you accept or decline.")
        else:
            try:
                services.enrollment_request_answer(
                    enrollment_request=asked, by=request.user, accept=answer == "accept"
                )
            except ValidationError as problem:
                error = " ".join(problem.messages)
            else:
                if answer == "accept":
                    messages.success(
                        request,
                        gettext("You take part in %(program)s now.")
                        % {"program": asked.program.name},
                    )
                else:
                    messages.info(
                        request,
                        gettext("You declined to take part in %(program)s.")
                        % {"program": asked.program.name},
                    )
                return redirect("home")
    coordinators = sorted(person_name(person) for person in asked.program.coordinators.all())
    return render(
        request,
        "programs/enrollmentrequest_answer.html",
        {"asked": asked, "coordinators": coordinators, "error": error},
    )
