"""The coordinator's goal templates: the prescribed goals a program offers its mentors and
coaches. Create, edit and retire; a retired template is kept for the goals made from it. A
template's focus area is one of the program's. The required ones a relationship lacks are
assigned from the dashboard (`assign_required`; goals/required.py)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from core.formhelpers import fields_only
from core.http import AuthedRequest
from core.querytools import subquery_count
from goals import services
from goals.models import Goal, GoalTemplate
from goals.required import missing_required
from programs.forms import add_service_error
from programs.models import Program
from programs.views.access import (
    managed_program,
    posted,
    refuse_if_read_only,
    require_coordinator,
)
from relationships.models import SupportRelationship

PAGE_SIZE = 25


class GoalTemplateForm(forms.ModelForm):
    class Meta:
        model = GoalTemplate
        fields = ["title", "description", "focus_area", "suggested_measure", "required"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "title": _("A short name mentors and coaches pick from, e.g. Interactive read-alouds."),
            "description": _("The goal statement a prescribed goal starts from."),
            "suggested_measure": _(
                "How progress is measured, e.g. open-ended questions per read-aloud (observed)."
            ),
            "required": _(
                "Every relationship works on it: it is assigned to each new relationship when it "
                "is matched, and the dashboard flags an open relationship without it."
            ),
        }

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        areas = program.focus_area_list()
        # One of the program's focus areas, or none; a value saved before (no longer one of
        # them) stays offered, so an edit shows it, and is refused with a reason on saving.
        current = self.instance.focus_area if self.instance.pk else ""
        offered = areas + ([current] if current and current not in areas else [])
        self.fields["focus_area"] = forms.ChoiceField(
            label=_("Focus area"),
            required=False,
            choices=[("", pgettext("focus area", "None"))] + [(area, area) for area in offered],
            help_text=(
                gettext("One of the program's focus areas.")
                if areas
                else gettext(
                    "The program lists no focus areas yet: add them to its configuration to "
                    "choose one here."
                )
            ),
        )
        self.program = program
        self.helper = fields_only()

    def clean_focus_area(self) -> str:
        area = self.cleaned_data.get("focus_area") or ""
        if area and area not in self.program.focus_area_list():
            raise ValidationError(
                gettext(
                    "“%(area)s” is not one of %(program)s's focus areas. Choose one of them, or "
                    "change the program's focus areas first."
                )
                % {"area": area, "program": self.program.name}
            )
        return area


def _managed_template(request: AuthedRequest, code) -> GoalTemplate:
    """The goal template, for its program's coordinators; 403 for others who may see it."""
    template = get_object_or_404(GoalTemplate.objects.select_related("program"), code=code)
    require_coordinator(request, template.program, GoalTemplate.objects.filter(pk=template.pk))
    return template


def template_list(request: AuthedRequest, program) -> HttpResponse:
    from goals.services import program_needs_templates

    program = managed_program(request, program)
    templates = program.goal_templates.annotate(
        goal_count=subquery_count(Goal.objects.filter(template=OuterRef("pk")))
    ).order_by("retired_at", "title", "pk")
    page = Paginator(templates, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "goals/templates/goaltemplate_list.html",
        {
            "program": program,
            "page_obj": page,
            "templates": page.object_list,
            "needs_templates": program_needs_templates(program),
        },
    )


def _form_page(
    request: AuthedRequest,
    program: Program,
    form: GoalTemplateForm,
    template: GoalTemplate | None,
) -> HttpResponse:
    """Save the posted template and go back to the list, or show the form (with its errors).
    `template`: the one edited, None for a new one."""
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.program = program
        try:
            services.goal_template_save(template=saved)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, gettext("The goal template “%(title)s” is saved.") % {"title": saved.title}
            )
            return redirect("goals:template_list", program=program.code)
    return render(
        request,
        "goals/templates/goaltemplate_form.html",
        {"program": program, "form": form, "template": template},
    )


def template_create(request: AuthedRequest, program) -> HttpResponse:
    program = managed_program(request, program)
    if refused := refuse_if_read_only(request, program, "goals:template_list"):
        return refused
    return _form_page(request, program, GoalTemplateForm(posted(request), program=program), None)


def template_edit(request: AuthedRequest, code) -> HttpResponse:
    template = _managed_template(request, code)
    program = template.program
    if refused := refuse_if_read_only(request, program, "goals:template_list"):
        return refused
    if template.retired_at:
        messages.warning(request, gettext("This template is retired; it can no longer be changed."))
        return redirect("goals:template_list", program=program.code)
    form = GoalTemplateForm(posted(request), instance=template, program=program)
    return _form_page(request, program, form, template)


def template_retire(request: AuthedRequest, code) -> HttpResponse:
    template = _managed_template(request, code)
    program = template.program
    if request.method == "POST":
        if template.retired_at is None:
            services.goal_template_retire(template=template)
            messages.success(
                request,
                gettext(
                    "“%(title)s” is retired: it is no longer offered for new goals. Goals made "
                    "from it keep it."
                )
                % {"title": template.title},
            )
        return redirect("goals:template_list", program=program.code)
    return render(
        request,
        "goals/templates/goaltemplate_retire.html",
        {
            "program": program,
            "template": template,
            "goal_count": template.goals.count(),
        },
    )


def assign_required(request: AuthedRequest, code) -> HttpResponse:
    """A relationship's missing required goals (goals/required.py), for its program's
    coordinators: the list, and a POST that assigns them all."""
    relationship = get_object_or_404(
        SupportRelationship.objects.select_related("program", "mentor", "protege", "team"),
        code=code,
    )
    program = relationship.program
    if program is None:  # an informal relationship: no coordinator
        raise Http404("Not found.")
    require_coordinator(request, program, SupportRelationship.objects.filter(pk=relationship.pk))
    missing = missing_required(SupportRelationship.objects.filter(pk=relationship.pk))
    templates = missing.get(relationship.pk, [])
    back = reverse("programs:detail", kwargs={"code": program.code})
    error = None
    if request.method == "POST" and templates:
        try:
            made = services.goal_assign_required(relationship=relationship, by=request.user)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            titles = ", ".join(f"“{goal.title}”" for goal in made)
            messages.success(
                request,
                gettext("Assigned to %(name)s: %(titles)s.")
                % {"name": relationship.supported_name, "titles": titles},
            )
            return redirect(back)
    return render(
        request,
        "goals/templates/assign_required.html",
        {
            "relationship": relationship,
            "program": program,
            "templates": templates,
            "back": back,
            "error": error,
        },
    )
