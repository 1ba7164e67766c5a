"""A program's participants: the list, enrolling someone (existing or new) and importing a
roster from CSV or an Excel workbook. Recording that someone left is
relationships/views/turnover.py, since it ends their relationships."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.http import AuthedRequest
from core.names import person_name
from programs import accounts, roster, services
from programs.forms import (
    EnrollForm,
    RosterConfirmForm,
    RosterUploadForm,
    add_service_error,
)
from programs.invitations import undelivered_invitations
from programs.models import Enrollment, Program, RosterImport
from programs.profiles import PREPARATION_FIELDS
from programs.views.access import csv_download, managed_program, posted
from programs.views.programs import PAGE_SIZE

# How often the page of a roster import that is not finished reloads itself.
REFRESH_SECONDS = 3
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

STATE_CHOICES = (
    ("current", _("Taking part")),
    ("left", pgettext_lazy("participants who", "Left")),
    ("all", _("Everyone")),
)


def participant_list(request: AuthedRequest, code: UUID) -> HttpResponse:
    program = managed_program(request, code)
    role = request.GET.get("role", "")
    state = request.GET.get("state", "current")
    q = (request.GET.get("q") or "").strip()[:100]
    enrollments = program.enrollments.select_related(
        "person",
        "person__mentor_profile",
        "person__protege_profile",
        "person__mentor_profile__organization",
        "person__protege_profile__organization",
    )
    if role in Enrollment.Role.values:
        enrollments = enrollments.filter(role=role)
    if state == "current":
        enrollments = enrollments.filter(left_on__isnull=True)
    elif state == "left":
        enrollments = enrollments.filter(left_on__isnull=False)
    for word in q.split():
        enrollments = enrollments.filter(
            Q(person__first_name__icontains=word)
            | Q(person__last_name__icontains=word)
            | Q(person__username__icontains=word)
            | Q(person__email__icontains=word)
        )
    # A person's details (email address, profile) show only while they take part in one of
    # this coordinator's programs; someone who left them all is a name and dates here.
    enrollments = enrollments.annotate(
        details_shown=Exists(
            Enrollment.objects.current().filter(
                person=OuterRef("person"), program__in=_programs_managed_by(request.user)
            )
        ),
        # A mentor who also coaches here, or a coach who also mentors (one enrollment each).
        holds_both_roles=Exists(
            Enrollment.objects.current()
            .supporting()
            .filter(program=program, person=OuterRef("person"))
            .exclude(role=OuterRef("role"))
        ),
    ).order_by("person__last_name", "person__first_name", "pk")
    page = Paginator(enrollments, PAGE_SIZE).get_page(request.GET.get("page"))
    asked = (
        program.enrollment_requests.pending()
        .select_related("person", "asked_by")
        .order_by("-asked_at", "-pk")
    )
    return render(
        request,
        "programs/enrollment_list.html",
        {
            "program": program,
            "asked": asked,
            "undelivered": undelivered_invitations(program),
            "page_obj": page,
            "enrollments": page.object_list,
            "role": role,
            "state": state,
            "q": q,
            "role_choices": [(r, Enrollment.Role(r).label) for r in program.offered_roles],
            "state_choices": STATE_CHOICES,
        },
    )


def _programs_managed_by(user: User) -> QuerySet[Program]:
    """The programs whose participants' details `user` sees: those they coordinate (every
    program, for an admin)."""
    if user.is_superuser:
        return Program.objects.all()
    return Program.objects.coordinated_by(user)


def enroll(request: AuthedRequest, code: UUID) -> HttpResponse:
    program = managed_program(request, code)
    initial = {"role": request.GET.get("role", ""), "person": request.GET.get("person", "")}
    form = EnrollForm(posted(request), program=program, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            added = _enroll_from_form(program, form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if isinstance(added, services.Asked):
                _asked_message(request, program, added)
            else:
                _enrolled_messages(request, added)
            if "add_another" in request.POST:
                return redirect("programs:enroll", code=program.code)
            return redirect("programs:participants", code=program.code)
    return render(request, "programs/enrollment_form.html", {"program": program, "form": form})


def _enroll_from_form(
    program: Program, data: dict, *, by: User
) -> services.Enrolled | services.Asked:
    """Enroll whom the coordinator's `EnrollForm` names (its cleaned data), or ask them."""
    new_person = None
    if data["who"] == EnrollForm.NEW:
        new_person = accounts.NewPerson(
            first_name=data["first_name"], last_name=data["last_name"], email=data["email"]
        )
    return services.enrollment_add(
        program=program,
        role=data["role"],
        reason=data["reason"],
        person=data.get("person_obj") if new_person is None else None,
        new_person=new_person,
        mentor=services.MentorDetails(
            organization=data["organization"],
            currently_teaching=data["currently_teaching"],
            years_teaching=data["years_teaching"],
            age_groups=data["age_groups"],
            caseload_limit=data["caseload_limit"],
            credentials=data["credentials"],
            **{name: data[name] for name in PREPARATION_FIELDS},
        ),
        protege=services.ProtegeDetails(
            organization=data["organization"],
            position=data["position"],
            career_stage=data["career_stage"],
            age_group_taught=data["age_group_taught"],
            supervisor=data.get("supervisor_obj"),
        ),
        invited_by=by,
    )


def _enrolled_messages(request: HttpRequest, enrolled: services.Enrolled) -> None:
    person = enrolled.person
    messages.success(
        request,
        gettext("%(person)s is enrolled as %(role)s.")
        % {
            "person": person_name(person),
            "role": str(enrolled.enrollment.get_role_display()).lower(),
        },
    )
    if enrolled.invitation_queued:
        messages.info(
            request,
            gettext("An invitation to set their password was sent to %(email)s.")
            % {"email": person.email},
        )
    elif enrolled.person_created:
        messages.warning(
            request,
            gettext(
                "No email address was given, so no invitation was sent: add their "
                "address and send the invitation from the participants page before they "
                "can log in."
            ),
        )


def _asked_message(request: HttpRequest, program: Program, asked: services.Asked) -> None:
    names = {"person": person_name(asked.person), "sponsor": program.sponsor.name}
    if asked.email_queued:
        asked_text = gettext(
            "%(person)s already has an account and takes part in no program of %(sponsor)s, "
            "so they were asked to accept first (by email, and on their home page)."
        )
    else:
        asked_text = gettext(
            "%(person)s already has an account and takes part in no program of %(sponsor)s, "
            "so they were asked to accept first (on their home page)."
        )
    until = gettext(
        "Until they accept, they are not enrolled: you cannot see or edit their profile, or "
        "match them. The profile details you entered were not recorded."
    )
    messages.info(request, f"{asked_text % names} {until}")


def roster_template(request: AuthedRequest, code: UUID) -> StreamingHttpResponse:
    managed_program(request, code)  # only the program's coordinators
    return csv_download(roster.template_rows(), "roster-template.csv")


def roster_template_xlsx(request: AuthedRequest, code: UUID) -> HttpResponse:
    managed_program(request, code)  # only the program's coordinators
    response = HttpResponse(roster.template_workbook(roster.template_rows()), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="roster-template.xlsx"'
    return response


def roster_import(request: AuthedRequest, code: UUID) -> HttpResponse:
    """Upload, preview with every row's problems, then confirm: the rows are saved, all or
    none, by the task worker, and the import's own page says how it went."""
    program = managed_program(request, code)
    upload_form = RosterUploadForm()
    preview = None
    if request.method == "POST" and "confirm" in request.POST:
        confirm = RosterConfirmForm(request.POST)
        if confirm.is_valid():
            preview = roster.preview(program, confirm.cleaned_data["text"], by=request.user)
            if preview.is_valid:
                job = roster.roster_import_queue(program=program, result=preview, by=request.user)
                return redirect(
                    "programs:roster_import_status", code=program.code, import_code=job.code
                )
            messages.error(
                request, gettext("Nothing was saved: fix the rows marked below and try again.")
            )
    elif request.method == "POST":
        upload_form = RosterUploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            preview = _preview_upload(program, upload_form, request.user)
    return render(
        request,
        "programs/enrollment_import.html",
        {
            "program": program,
            "form": upload_form,
            "preview": preview,
            "confirm_form": RosterConfirmForm(initial={"text": preview.text})
            if preview is not None and preview.is_valid
            else None,
            "columns": list(roster.column_help().items()),
        },
    )


def _preview_upload(
    program: Program, upload_form: RosterUploadForm, by: User
) -> roster.RosterPreview | None:
    """The preview of the uploaded file; None when it cannot be read (the form says why)."""
    text, problems = roster.decode(upload_form.cleaned_data["file"])
    for problem in problems:
        upload_form.add_error("file", problem)
    return None if problems else roster.preview(program, text, by=by)


def roster_import_status(request: AuthedRequest, code: UUID, import_code: UUID) -> HttpResponse:
    """How a confirmed roster import is getting on, and what it saved or why it saved nothing."""
    program = managed_program(request, code)
    job = get_object_or_404(RosterImport.objects.filter(program=program), code=import_code)
    response = render(
        request,
        "programs/rosterimport_detail.html",
        {"program": program, "job": job, "notices": roster.done_notices(job)},
    )
    if not job.is_finished:
        # Browsers reload the page after 3 seconds, as a <meta http-equiv="refresh"> would; a
        # header, so that no page's HTML ever holds a refresh (tests/sweeps/test_markup_canary.py).
        response["Refresh"] = str(REFRESH_SECONDS)
    return response
