"""People around a program: its co-coordinators, participants' profiles after enrollment, and
sending the invitation to set a password again."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import pairwise
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from core import versions
from core.http import AuthedRequest
from core.names import person_name
from programs import invitations, services
from programs.coordinator_forms import CoordinatorInviteForm
from programs.forms import (
    CoordinatorAddForm,
    MentorProfileForm,
    ProtegeProfileForm,
    add_service_error,
)
from programs.models import Enrollment, MentorProfile, Program, ProtegeProfile
from programs.profiles_services import (
    MENTOR_PROFILE_FIELDS,
    PROTEGE_PROFILE_FIELDS,
    mentor_profile_save,
    protege_profile_save,
    supervisor_change_refusal,
)
from programs.views.access import managed_program


def coordinators(request: AuthedRequest, code: UUID) -> HttpResponse:
    """The program's coordinators; POST action=add (someone with an account), action=invite
    (someone new, by name and email), action=resend or action=remove (username)."""
    program = managed_program(request, code)
    action = request.POST.get("action", "add") if request.method == "POST" else ""
    form = CoordinatorAddForm(request.POST if action == "add" else None)
    invite_form = CoordinatorInviteForm(request.POST if action == "invite" else None)
    remove_error = None
    done: str | None = None
    if action == "remove":
        remove_error, done = _remove(request, program)
        if done == "self":
            messages.success(
                request,
                gettext("You are no longer a coordinator of %(program)s.")
                % {"program": program.name},
            )
            return redirect("programs:list")
    elif action == "resend":
        remove_error, done = _resend(request, program)
    elif action == "add" and form.is_valid():
        person = form.cleaned_data["person_obj"]
        try:
            services.coordinator_add(program=program, person=person)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            done = gettext("%(person)s is now a coordinator of this program.") % {
                "person": person_name(person)
            }
    elif action == "invite" and invite_form.is_valid():
        try:
            person = services.coordinator_invite(
                program=program, new=invite_form.new_person(), by=request.user
            )
        except ValidationError as error:
            add_service_error(invite_form, error)
        else:
            done = gettext(
                "%(person)s is now a coordinator of this program. An invitation to "
                "choose a password is on its way to %(email)s."
            ) % {"person": person_name(person), "email": person.email}
    if done:
        messages.success(request, done)
        return redirect("programs:coordinators", code=program.code)
    people = program.coordinators.order_by("last_name", "first_name", "username")
    changes = program.history.select_related("history_user").order_by(
        "-history_date", "-history_id"
    )[:30]
    return render(
        request,
        "programs/program_coordinators.html",
        {
            "program": program,
            "form": form,
            "invite_form": invite_form,
            "people": people,
            "remove_error": remove_error,
            "history": _coordinator_changes(changes),
        },
    )


def _posted_coordinator(request: AuthedRequest, program: Program) -> User | None:
    return program.coordinators.filter(username=request.POST.get("username", "")).first()


def _remove(request: AuthedRequest, program: Program) -> tuple[str | None, str | None]:
    """Remove the coordinator posted: (an error, or None; what was done, "self" when it was
    the person asking)."""
    person = _posted_coordinator(request, program)
    if person is None:
        return gettext("That person is not a coordinator of this program."), None
    try:
        services.coordinator_remove(program=program, person=person)
    except ValidationError as error:
        return " ".join(error.messages), None
    if person.pk == request.user.pk and not request.user.is_superuser:
        return None, "self"
    return None, gettext("%(person)s is no longer a coordinator.") % {"person": person_name(person)}


def _resend(request: AuthedRequest, program: Program) -> tuple[str | None, str | None]:
    """Send a coordinator who never logged in their invitation again."""
    person = _posted_coordinator(request, program)
    if person is None:
        return gettext("That person is not a coordinator of this program."), None
    try:
        invitations.invitation_resend(person, program, request.user, as_coordinator=True)
    except ValidationError as error:
        return " ".join(error.messages), None
    return None, gettext("The invitation was sent again to %(person)s at %(email)s.") % {
        "person": person_name(person),
        "email": person.email,
    }


def _coordinator_changes(records: Iterable) -> list[dict]:
    """Who was added or removed, from consecutive history records (newest first)."""
    records = list(records)
    # The coordinators of each record: rows of the history of the many-to-many table.
    rows = Program.history.model.coordinators.filter(
        history__in=[record.history_id for record in records]
    ).select_related("user")
    members: dict[int, set] = {}
    for row in rows:
        members.setdefault(row.history_id, set()).add(row.user)
    changes = []
    for newer, older in pairwise(records):
        now = members.get(newer.history_id, set())
        before = members.get(older.history_id, set())
        added, removed = now - before, before - now
        if added or removed:
            changes.append(
                {
                    "record": newer,
                    "added": sorted(added, key=person_name),
                    "removed": sorted(removed, key=person_name),
                }
            )
    return changes


def _current_enrollment(request: AuthedRequest, program: Program, code: UUID) -> Enrollment:
    return get_object_or_404(
        Enrollment.objects.visible_to(request.user)
        .current()
        .select_related("person", "person__mentor_profile", "person__protege_profile"),
        program=program,
        code=code,
    )


@dataclass(frozen=True)
class _ProfileEdit:
    """A participant's profile form, and how to save what it holds (which raises EditConflict
    or ValidationError)."""

    form: MentorProfileForm | ProtegeProfileForm
    save: Callable[[], object]


def profile_edit(request: AuthedRequest, code: UUID, enrollment_code: UUID) -> HttpResponse:
    """Edit a current participant's mentor/coach or protégé profile."""
    program = managed_program(request, code)
    enrollment = _current_enrollment(request, program, enrollment_code)
    person = enrollment.person
    is_mentor = enrollment.is_supporting
    edit = (
        _mentor_profile_edit(request, person, program)
        if is_mentor
        else _protege_profile_edit(request, person, program)
    )
    if request.method == "POST" and edit.form.is_valid():
        try:
            edit.save()
        except versions.EditConflict as conflict:
            keep_url = reverse("programs:participants", kwargs={"code": program.code})
            versions.show_conflict(edit.form, conflict, keep_url=keep_url)
        except ValidationError as error:
            add_service_error(edit.form, error)
        else:
            messages.success(
                request, gettext("Saved %(person)s’s profile.") % {"person": person_name(person)}
            )
            return redirect("programs:participants", code=program.code)
    return render(
        request,
        "programs/enrollment_profile.html",
        {
            "program": program,
            "enrollment": enrollment,
            "person": person,
            "form": edit.form,
            "is_mentor": is_mentor,
        },
    )


def _mentor_profile_edit(request: AuthedRequest, person: User, program: Program) -> _ProfileEdit:
    profile = MentorProfile.objects.filter(user=person).first() or MentorProfile(user=person)
    form = MentorProfileForm(
        request.POST if request.method == "POST" else None,
        initial={name: getattr(profile, name) for name in MentorProfileForm.FIELDS},
        program=program,
    )
    version = versions.carry(
        form, request, lambda: versions.values_of(profile, MENTOR_PROFILE_FIELDS)
    )

    def save() -> MentorProfile:
        for name in MentorProfileForm.FIELDS:
            setattr(profile, name, form.cleaned_data[name])
        return mentor_profile_save(profile=profile, version=version)

    return _ProfileEdit(form=form, save=save)


def _protege_profile_edit(request: AuthedRequest, person: User, program: Program) -> _ProfileEdit:
    profile = ProtegeProfile.objects.filter(user=person).select_related(
        "supervisor"
    ).first() or ProtegeProfile(user=person)
    initial = {name: getattr(profile, name) for name in ProtegeProfileForm.FIELDS}
    initial["supervisor"] = profile.supervisor.username if profile.supervisor else ""
    # Who may change the supervisor is the service's rule; the form only shows the field as
    # fixed, with the reason, to those it would refuse (a posted value is ignored).
    supervisor_refusal = supervisor_change_refusal(
        protege=person, new_supervisor_id=None, by=request.user
    )
    form = ProtegeProfileForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        supervisor_fixed=supervisor_refusal,
        program=program,
    )
    version = versions.carry(
        form, request, lambda: versions.values_of(profile, PROTEGE_PROFILE_FIELDS)
    )

    def save() -> ProtegeProfile:
        for name in ProtegeProfileForm.FIELDS:
            setattr(profile, name, form.cleaned_data[name])
        if not supervisor_refusal:
            supervisor = form.cleaned_data["supervisor_obj"]
            if supervisor is not None and supervisor.pk == person.pk:
                raise ValidationError(
                    {"supervisor": gettext("Nobody can be their own supervisor.")}
                )
            profile.supervisor = supervisor
        return protege_profile_save(profile=profile, by=request.user, version=version)

    return _ProfileEdit(form=form, save=save)


def invite(request: AuthedRequest, code: UUID, enrollment_code: UUID) -> HttpResponse:
    """Send the invitation to set a password again (GET: the confirmation page)."""
    program = managed_program(request, code)
    enrollment = _current_enrollment(request, program, enrollment_code)
    person = enrollment.person
    error = None
    if request.method == "POST":
        try:
            invitations.invitation_resend(person, program, request.user)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(
                request,
                gettext("The invitation was sent again to %(person)s at %(email)s.")
                % {"person": person_name(person), "email": person.email},
            )
            return redirect("programs:participants", code=program.code)
    return render(
        request,
        "programs/enrollment_invite.html",
        {
            "program": program,
            "enrollment": enrollment,
            "person": person,
            "error": error,
            "can_invite": invitations.can_invite(person),
        },
    )
