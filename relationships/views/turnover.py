"""Someone leaving a program, and reassigning the caseload of a mentor or coach who left
(relationships/turnover.py).

Recording that someone left lives here rather than with the participants list, although its
URL and name are the programs' (`programs:leave`, joined in mentoring_site/urls.py): it ends a
protégé's relationships and takes the coordinator on to a mentor's caseload, which the
programs app below does not know.
"""

from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext

from core.http import AuthedRequest
from core.names import person_name
from programs.forms import LeaveForm, add_service_error
from programs.models import Enrollment, Program
from programs.views.access import managed_program, posted
from relationships import succession, turnover
from relationships.matching import Suggestion
from relationships.models import SupportRelationship
from relationships.succession import Successors

ALL = "all"


def leave(request: AuthedRequest, code: UUID, enrollment_code: UUID) -> HttpResponse:
    program = managed_program(request, code)
    enrollment = get_object_or_404(
        Enrollment.objects.visible_to(request.user).select_related("person", "program"),
        program=program,
        code=enrollment_code,
    )
    form = LeaveForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            left = turnover.participant_leave(
                enrollment=enrollment,
                reason=form.cleaned_data["leaving_reason"],
                note=form.cleaned_data["leaving_note"],
                left_on=form.cleaned_data["left_on"],
            )
        except forms.ValidationError as error:
            add_service_error(form, error)
        else:
            return _after_leaving(request, program, left)
    return render(
        request,
        "programs/enrollment_leave.html",
        {"program": program, "enrollment": enrollment, "form": form},
    )


def _after_leaving(request: AuthedRequest, program: Program, left: turnover.Left) -> HttpResponse:
    name = person_name(left.enrollment.person)
    messages.success(request, gettext("Recorded that %(name)s left.") % {"name": name})
    if left.ended:
        messages.info(
            request,
            ngettext(
                "Their %(count)s open relationship in %(program)s ended with them.",
                "Their %(count)s open relationships in %(program)s ended with them.",
                left.ended,
            )
            % {"count": left.ended, "program": program.name},
        )
    if left.to_reassign:
        return redirect(
            "relationships:reassign", program=program.code, enrollment=left.enrollment.code
        )
    return redirect("programs:participants", code=program.code)


# Reassigning a caseload ---------------------------------------------------------------------


def _field(relationship: SupportRelationship) -> str:
    return f"r-{relationship.code}"


def _choice_label(suggestion: Suggestion) -> str:
    notes = "; ".join([*suggestion.reasons, *suggestion.warnings])
    return f"{suggestion.label} ({notes})" if notes else suggestion.label


class ReassignForm(forms.Form):
    """One choice for each open relationship of the caseload: a successor from the ranked
    suggestions or the others eligible, or to end it."""

    def __init__(self, *args, rows: list[tuple[SupportRelationship, Successors]], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for relationship, successors in rows:
            choices: list = [("", gettext("Decide later"))]
            if successors.suggestions:
                suggested = [(s.person.pk, _choice_label(s)) for s in successors.suggestions]
                choices.append((gettext("Suggested, best first"), suggested))
            if successors.others:
                others = [(p.pk, person_name(p)) for p in successors.others]
                choices.append((gettext("Others in the program"), others))
            choices.append((turnover.END, gettext("End it, with no successor")))
            self.fields[_field(relationship)] = forms.ChoiceField(
                label=(
                    gettext("Who takes over %(name)s's coaching?")
                    if relationship.kind == "coaching"
                    else gettext("Who takes over %(name)s's mentoring?")
                )
                % {"name": relationship.supported_name},
                choices=choices,
                required=False,
                widget=forms.Select(attrs={"class": "form-select"}),
            )

    def bound_rows(self):
        """Each relationship with its field, for the template."""
        return [(relationship, self[_field(relationship)]) for relationship, _ in self.rows]

    def decisions(self, apply: str) -> list[turnover.Decision] | None:
        """The decisions to carry out: every row's (`apply` is ALL) or one row's (`apply` is
        its relationship's code). None, with errors on the rows, when one is missing."""
        people = {p.pk: p for _, successors in self.rows for p in successors.people}
        found = []
        for relationship, _ in self.rows:
            name = _field(relationship)
            if apply not in (ALL, str(relationship.code)):
                continue
            value = self.cleaned_data.get(name, "")
            if not value:
                self.add_error(name, gettext("Choose who takes over, or end it."))
                continue
            successor = None if value == turnover.END else people[int(value)]
            found.append(turnover.Decision(relationship=relationship, successor=successor))
        if not found and not self.errors:
            self.add_error(
                None, gettext("That relationship has been settled already: see the others.")
            )
        return None if self.errors else found


def _greedy_defaults(rows: list[tuple[SupportRelationship, Successors]]) -> dict[str, str]:
    """Preselect for each row the best suggestion that still has room once the rows above
    went to their choices, so that the caseload is spread rather than piled on one person."""
    taken: dict[int, int] = {}
    initial = {}
    for relationship, successors in rows:
        chosen = next(
            (
                s.person.pk
                for s in successors.suggestions
                if _room(s, successors) - taken.get(s.person.pk, 0) > 0
            ),
            None,
        )
        if chosen is None and successors.suggestions:
            chosen = successors.suggestions[0].person.pk
        if chosen is not None:
            taken[chosen] = taken.get(chosen, 0) + 1
            initial[_field(relationship)] = str(chosen)
    return initial


def _room(suggestion: Suggestion, successors: Successors) -> int:
    return successors.rooms.get(suggestion.person.pk, 0)


def _leaver(request: AuthedRequest, program_code: UUID, enrollment_code: UUID):
    program = managed_program(request, program_code)
    enrollment = get_object_or_404(
        Enrollment.objects.filter(program=program)
        .exclude(role=Enrollment.Role.PROTEGE)
        .select_related("person"),
        code=enrollment_code,
    )
    return program, enrollment


def reassign(request: AuthedRequest, program: UUID, enrollment: UUID) -> HttpResponse:
    """Reassign <name>'s caseload: for each of their open relationships in the program, a
    successor or its end; one by one or all at once, all or nothing."""
    found_program, leaver = _leaver(request, program, enrollment)
    mentor: User = leaver.person
    relationships = list(turnover.open_caseload(found_program, mentor))
    ranked = succession.successors(found_program, relationships)
    rows = [(relationship, ranked[relationship.pk]) for relationship in relationships]
    if request.method == "POST":
        form = ReassignForm(request.POST, rows=rows)
        apply = request.POST.get("apply", ALL)
        if form.is_valid() and (decisions := form.decisions(apply)) is not None:
            try:
                turnover.caseload_settle(decisions=decisions, ended_on=leaver.left_on)
            except turnover.CaseloadRefused as refused:
                for relationship, _ in rows:
                    for message in refused.errors.get(relationship.pk, []):
                        form.add_error(_field(relationship), message)
            else:
                return _settled(request, found_program, leaver, form, decisions)
    else:
        initial = _greedy_defaults(rows)
        # The choices kept from the rows not applied yet (`_settled`).
        initial.update({k: str(request.GET.get(k, "")) for k in request.GET if k.startswith("r-")})
        form = ReassignForm(initial=initial, rows=rows)
    return render(
        request,
        "relationships/coordinator/caseload_reassign.html",
        {
            "program": found_program,
            "leaver": leaver,
            "mentor_name": person_name(mentor),
            "form": form,
            "rows": form.bound_rows(),
            "ALL": ALL,
        },
    )


def _settled(
    request: AuthedRequest,
    program: Program,
    leaver: Enrollment,
    form: ReassignForm,
    decisions: list[turnover.Decision],
) -> HttpResponse:
    """Say what was done; back to the page for what is left (with the choices made in the
    other rows), or to the participants once nothing is."""
    taken_over = sum(1 for d in decisions if d.successor is not None)
    ended = len(decisions) - taken_over
    if taken_over and ended:
        notice = ngettext(
            "%(taken)s relationship taken over, %(ended)s ended.",
            "%(taken)s relationships taken over, %(ended)s ended.",
            taken_over,
        )
    elif taken_over:
        notice = ngettext(
            "%(taken)s relationship taken over.", "%(taken)s relationships taken over.", taken_over
        )
    else:
        notice = gettext("%(ended)s ended.")
    messages.success(request, notice % {"taken": taken_over, "ended": ended})
    done = {d.relationship.pk for d in decisions}
    left_over = {
        _field(relationship): str(form.cleaned_data.get(_field(relationship)) or "")
        for relationship, _ in form.rows
        if relationship.pk not in done
    }
    if not left_over:
        name = person_name(leaver.person)
        messages.info(
            request,
            gettext("%(name)s has no open relationship left in %(program)s.")
            % {"name": name, "program": program.name},
        )
        return redirect("programs:participants", code=program.code)
    url = reverse(
        "relationships:reassign", kwargs={"program": program.code, "enrollment": leaver.code}
    )
    kept = {name: value for name, value in left_over.items() if value}
    return redirect(f"{url}?{urlencode(kept)}" if kept else url)
