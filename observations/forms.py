"""The forms of observation tools (the coordinator's) and of an observation (the mentor's, made
for a phone: a radio button per point of the scale, a checkbox per look-for)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.formhelpers import fields_only
from core.hints import no_child_names
from core.versions import VersionedForm
from observations.models import ObservationDomain, ObservationItem, ObservationTool
from observations.services import DomainSpec
from relationships.models import Visit


class ToolForm(forms.ModelForm):
    class Meta:
        model = ObservationTool
        fields = ["name", "kind", "description", "scale_min", "scale_max"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "kind": forms.RadioSelect,
        }
        help_texts = {
            "name": _("What mentors and coaches pick, e.g. Classroom interactions."),
            "description": _("When and how to use it, shown above the form."),
            "scale_min": _("For a rubric: the lowest point of its scale."),
            "scale_max": _("For a rubric: the highest point, e.g. 7. At most 10 points."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = fields_only()


class DomainForm(forms.Form):
    """A domain of the tool: a row of the formset. A row left blank is no domain."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Domain"), max_length=200, required=False)
    description = forms.CharField(
        label=_("What it looks at"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    items = forms.CharField(
        label=_("Look-fors or indicators, one a line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "A checklist's look-fors are ticked seen or not; a rubric's indicators describe "
            "the domain for whoever scores it."
        ),
    )
    remove = forms.BooleanField(label=_("Remove this domain"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = fields_only()
        # Only a domain already saved can be removed; a new row is left blank instead.
        saved = self.initial.get("id") or (self.is_bound and self.data.get(self.add_prefix("id")))
        if not saved:
            del self.fields["remove"]

    def clean(self):
        data = super().clean()
        if not data.get("remove") and not (data.get("name") or "").strip():
            if (data.get("items") or "").strip() or (data.get("description") or "").strip():
                self.add_error("name", gettext("Name the domain, or clear the row."))
        return data

    def spec(self) -> DomainSpec | None:
        """The domain this row asks for; None for a blank or removed row."""
        data = self.cleaned_data
        if data.get("remove") or not (data.get("name") or "").strip():
            return None
        return DomainSpec(
            name=data["name"],
            description=data.get("description") or "",
            items=(data.get("items") or "").splitlines(),
            pk=data.get("id"),
        )


DomainFormSet = forms.formset_factory(DomainForm, extra=0, max_num=30, validate_max=True)


def domain_initial(tool: ObservationTool | None) -> list[dict]:
    """The tool's domains in use, as the formset's first rows."""
    if tool is None:
        return []
    domains = tool.domains.filter(retired_at__isnull=True).prefetch_related("items")
    return [
        {
            "id": domain.pk,
            "name": domain.name,
            "description": domain.description,
            "items": "\n".join(item.text for item in domain.items.all() if item.retired_at is None),
        }
        for domain in domains
    ]


class CopyForm(forms.Form):
    def __init__(self, *args, tools: list[ObservationTool], **kwargs):
        super().__init__(*args, **kwargs)
        self.tools = {str(tool.code): tool for tool in tools}
        self.fields["tool"] = forms.ChoiceField(
            label=_("Tool to copy"),
            widget=forms.RadioSelect,
            choices=[(str(tool.code), f"{tool.name} ({tool.program.name})") for tool in tools],
        )
        self.helper = fields_only()

    def chosen(self) -> ObservationTool:
        return self.tools[self.cleaned_data["tool"]]


NOT_OBSERVED = ""


class ObservationForm(VersionedForm, forms.Form):
    """An observation with one tool: the day, the visit, a score (rubric) or look-fors seen
    (checklist) for each domain, a note per domain and one overall."""

    observed_on = forms.DateField(
        label=_("Observed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Overall note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=no_child_names(),
    )

    def __init__(
        self,
        *args,
        tool: ObservationTool,
        domains: list[ObservationDomain],
        visits: list[Visit],
        fixed_visit: Visit | None = None,
        items: dict[int, list[ObservationItem]] | None = None,
        **kwargs,
    ):
        """`items`: each domain's look-fors (by domain id) when they are not the domain's
        current ones: an observation corrected later keeps the look-fors it was made with."""
        super().__init__(*args, **kwargs)
        self.tool = tool
        self.domains = domains
        self.items = items or {
            domain.pk: [item for item in domain.items.all() if item.retired_at is None]
            for domain in domains
        }
        self.fixed_visit = fixed_visit
        self.visits = {str(visit.code): visit for visit in visits}
        if fixed_visit is None:
            self.fields["visit"] = forms.ChoiceField(
                label=_("At the visit"),
                required=False,
                choices=[("", gettext("Not at a visit"))]
                + [(code, visit_label(visit)) for code, visit in self.visits.items()],
            )
            self.order_fields(["observed_on", "visit", "note"])
        for domain in domains:
            if tool.is_rubric:
                self.fields[f"score_{domain.pk}"] = forms.ChoiceField(
                    label=domain.name,
                    required=False,
                    choices=[(str(point), str(point)) for point in tool.scale]
                    + [(NOT_OBSERVED, gettext("Not observed"))],
                    widget=forms.RadioSelect(attrs={"class": "btn-check"}),
                )
            else:
                self.fields[f"seen_{domain.pk}"] = forms.MultipleChoiceField(
                    label=domain.name,
                    required=False,
                    choices=[(str(item.pk), item.text) for item in self.items[domain.pk]],
                    widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                )
            self.fields[f"note_{domain.pk}"] = forms.CharField(
                label=gettext("Note on %(domain)s") % {"domain": domain.name},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[dict]:
        """Each domain with its fields, in order, for the template."""
        kind = "score" if self.tool.is_rubric else "seen"
        return [
            {
                "domain": domain,
                "indicators": self.items[domain.pk],
                "field": self[f"{kind}_{domain.pk}"],
                "note": self[f"note_{domain.pk}"],
            }
            for domain in self.domains
        ]

    def clean_visit(self) -> Visit | None:
        code = self.cleaned_data.get("visit")
        if not code:
            return None
        if code not in self.visits:
            raise ValidationError(gettext("Choose a visit of this relationship."))
        return self.visits[code]

    def chosen_visit(self) -> Visit | None:
        return self.fixed_visit or self.cleaned_data.get("visit")

    def observation(self) -> dict:
        """What the services record or correct, from a valid form: the day, the visit, the
        overall note, the scores or look-fors seen, the domains' notes."""
        return {
            "observed_on": self.cleaned_data["observed_on"],
            "visit": self.chosen_visit(),
            "note": self.cleaned_data["note"],
            "scores": self.scores(),
            "seen": self.seen(),
            "notes": self.notes(),
        }

    def scores(self) -> dict[int, int | None]:
        if not self.tool.is_rubric:
            return {}
        found: dict[int, int | None] = {}
        for domain in self.domains:
            value = self.cleaned_data.get(f"score_{domain.pk}")
            found[domain.pk] = int(value) if value else None
        return found

    def seen(self) -> set[int]:
        if self.tool.is_rubric:
            return set()
        return {
            int(pk)
            for domain in self.domains
            for pk in self.cleaned_data.get(f"seen_{domain.pk}") or []
        }

    def notes(self) -> dict[int, str]:
        return {
            domain.pk: self.cleaned_data.get(f"note_{domain.pk}") or "" for domain in self.domains
        }


def visit_label(visit: Visit) -> str:
    return gettext("%(day)s (%(status)s)") % {
        "day": date_format(visit.date, gettext("M j, Y")),
        "status": visit.get_status_display(),
    }


class MeasureForm(forms.Form):
    def __init__(self, *args, domains: list[ObservationDomain], **kwargs):
        super().__init__(*args, **kwargs)
        self.domains = {str(domain.pk): domain for domain in domains}
        self.fields["domain"] = forms.ChoiceField(
            label=_("Measure the goal by"),
            widget=forms.RadioSelect,
            required=False,
            choices=[("", gettext("Its own data points"))]
            + [(str(domain.pk), f"{domain.tool.name}: {domain.name}") for domain in domains],
        )
        self.helper = fields_only()

    def chosen(self) -> ObservationDomain | None:
        return self.domains.get(self.cleaned_data.get("domain") or "")
