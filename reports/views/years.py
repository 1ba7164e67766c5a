"""The coordinator's program-year pages: "Close the year" (the year's figures, then the close)
and "Start the next year" (a copy of the program, with the people who carry on).

They read relationships, visits and goals, and their writes reach the goals app, so they sit
in reports (docs/design.md, the layers); their URLs keep the programs namespace.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext

from core import clock
from core.http import AuthedRequest
from cycles.services import cycle_stages_copy
from goals.years import NextYear, program_next_year
from observations.services import observation_tools_copy
from programs.forms import add_service_error
from programs.models import Program
from programs.views.access import managed_program, posted
from programs.years import next_year_proposal
from relationships.years import program_year_close
from reports import year_end
from reports.year_forms import CloseYearForm, NextYearForm


def program_close(request: AuthedRequest, code) -> HttpResponse:
    """The year's figures; confirming closes the year. A closed year shows its figures."""
    program = managed_program(request, code)
    form = CloseYearForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if program.is_closed:
            messages.info(
                request,
                gettext("The year of %(program)s was already closed.") % {"program": program},
            )
            return redirect("programs:detail", code=program.code)
        try:
            program_year_close(program=program)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                gettext(
                    "The year of %(program)s is closed: its open relationships and "
                    "enrollments are completed, and its records are kept. Next: start the "
                    "next year."
                )
                % {"program": program},
            )
            return redirect("programs:next_year", code=program.code)
    context = {
        "program": program,
        "form": form,
        "summary": year_end.year_summary(program),
        "today": clock.today(),
    }
    return render(request, "programs/program_close.html", context)


@transaction.atomic
def _next_year_with_its_tools(program: Program, **options) -> NextYear:
    """The next year (goals/years.py), with this year's coaching-cycle stages and observation
    tools, which live on the floor above."""
    started = program_next_year(program=program, **options)
    cycle_stages_copy(old=program, new=started.program)
    observation_tools_copy(old=program, new=started.program)
    return started


def program_next(request: AuthedRequest, code) -> HttpResponse:
    """Start the next year of a closed program."""
    program = managed_program(request, code)
    following = Program.objects.filter(previous=program).only("code", "name").first()
    if following is not None:
        messages.info(
            request,
            gettext("The next year has been started already: %(following)s.")
            % {"following": following},
        )
        return redirect("programs:detail", code=following.code)
    if not program.is_closed:
        messages.warning(request, gettext("Close this year before starting the next one."))
        return redirect("programs:close_year", code=program.code)
    form = NextYearForm(
        posted(request),
        initial=next_year_proposal(program),
        continuing=year_end.continuing(program),
    )
    if request.method == "POST" and form.is_valid():
        try:
            started = _next_year_with_its_tools(
                program,
                by=request.user,
                name=form.cleaned_data["name"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                carried_ids=form.carried_ids(),
                graduate_ids=form.graduate_ids(),
                keep_matches=form.cleaned_data["keep_matches"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            names = {
                "program": started.program,
                "count": started.carried,
                "kept": started.matches_kept,
            }
            if started.matches_kept:
                text = ngettext(
                    "%(program)s is set up with %(count)s participant carried over and "
                    "%(kept)s matches kept.",
                    "%(program)s is set up with %(count)s participants carried over and "
                    "%(kept)s matches kept.",
                    started.carried,
                )
            else:
                text = ngettext(
                    "%(program)s is set up with %(count)s participant carried over.",
                    "%(program)s is set up with %(count)s participants carried over.",
                    started.carried,
                )
            messages.success(request, text % names)
            if refused := started.matches_refused:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)s match could not be kept (the supervision firewall, or a kind "
                        "the program no longer offers): match them again.",
                        "%(count)s matches could not be kept (the supervision firewall, or a "
                        "kind the program no longer offers): match them again.",
                        refused,
                    )
                    % {"count": refused},
                )
            return redirect("programs:detail", code=started.program.code)
    return render(request, "programs/program_next_year.html", {"program": program, "form": form})
