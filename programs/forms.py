"""Forms of the coordinator's workspace: the program's configuration, enrolling people, recording
that someone left, importing a roster and editing the role descriptions.

Forms parse and label input; the rules live in programs/services.py, whose ValidationErrors the
views put next to the fields they name.
"""

from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.html import escape, format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.formfields import choice_field, model_choice_field
from core.formhelpers import fields_only
from core.versions import VersionedForm
from core.widgets import DateInput
from programs.accounts import find_person
from programs.enrollment_roles import SUPPORTING_ROLES
from programs.models import AgeGroup, Enrollment, Organization, Program, ProtegeProfile
from programs.organizations import program_organizations, sponsor_choices
from programs.profiles import PREPARATION_FIELDS
from programs.profiles_services import MENTOR_PROFILE_FIELDS
from programs.services import PROGRAM_FIELDS


def add_service_error(
    form: forms.BaseForm, error: ValidationError, renamed: dict[str, str] | None = None
) -> None:
    """Put a service's ValidationError next to the fields it names, or at the top of the form.

    `renamed` maps a model field's name to the form field that asks for it, where they differ
    (a service refuses `end_reason`; the form's field is `reason`)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        name = (renamed or {}).get(name, name)
        form.add_error(name if name in form.fields else None, errors)


def named_person(form: forms.BaseForm, name: str, hint: str = "") -> User | None:
    """The person whose username or email address the form's field `name` holds (its cleaned
    value; None when it is empty). When nobody has it, an error on the field says so, followed
    by `hint`."""
    identifier = (form.cleaned_data.get(name) or "").strip()
    if not identifier:
        return None
    person = find_person(identifier)
    if person is None:
        message = gettext("Nobody has the username or email address “%(identifier)s”.") % {
            "identifier": identifier
        }
        form.add_error(name, f"{message} {hint}" if hint else message)
    return person


def _organization_choice(form: forms.BaseForm, program: Program | None) -> None:
    """The form's `organization` lists the organizations that matter to `program`
    (programs.organizations.program_organizations) and the one chosen now, or none ("Not
    recorded")."""
    organization = model_choice_field(form, "organization")
    current = form.initial.get("organization")
    organization.queryset = program_organizations(
        program, current=[getattr(current, "pk", current)]
    )
    organization.empty_label = _("Not recorded")


def _label(text: str) -> HTML:
    return HTML(format_html('<p class="form-label mb-1">{}</p>', text))


def _intro(text: str) -> HTML:
    return HTML(f'<p class="form-text mt-0 mb-3">{escape(text)}</p>')


# The program form's sections, introduced in the words of the seed documents.
PROGRAM_SECTIONS = (
    (
        _("The program"),
        _(
            "Mentors tend to focus on the development of an individual teacher, and "
            "goals are typically agreed upon mutually. Coaches may work either with "
            "individuals or with classroom teams as a group, and may have a set "
            "agenda for classroom improvement. Neither is supervision."
        ),
        ("name", "sponsor", "new_sponsor", "new_sponsor_kind", "description", "support_model"),
    ),
    (
        _("Purpose"),
        _("Mentoring and coaching programs can vary in overall purpose."),
        ("purposes", "purpose_other"),
    ),
    (
        _("Whom the program serves"),
        _(
            "Programs support teachers at different points of their careers: student "
            "teachers in a placement, resident teachers in their first years, "
            "teachers new to the field, or experienced teachers. Enrollment offers "
            "these stages, matching prefers mentors and coaches who already support "
            "teachers at the protégé's stage, and the role descriptions name them."
        ),
        ("career_stages",),
    ),
    (
        _("Desired outcomes"),
        _(
            "The program's desired outcomes may be higher quality ratings or "
            "classroom assessment scores, specific instructional practices (such as "
            "those focused on early literacy), or specific child outcomes (such as "
            "language development)."
        ),
        ("outcomes", "outcome_details"),
    ),
    (
        _("Mentors and coaches"),
        _(
            "Mentors and coaches have varying work settings and job descriptions. "
            "They may work within the same organization as protégés (for example, as "
            "a Head Start mentor-coach or within the same school district) or in a "
            "different organization; may or may not be currently employed as "
            "classroom teachers; may work with protégés who teach a variety of age "
            "groups within the birth-to-age-8 spectrum; and may be expected to "
            "include directors in mentoring activities, or have little involvement "
            "with them."
        ),
        ("mentor_organization", "mentors_currently_teaching", "age_groups", "director_involvement"),
    ),
    (
        _("Goals"),
        _(
            "Individual goals and activities may be collaboratively developed by the "
            "mentor and protégé, or prescribed by the initiative; wide-ranging in "
            "scope, or focused on particular content areas or skills. A program that "
            "prescribes goals needs goal templates before any goal can be set."
        ),
        ("goal_policy", "goal_scope", "focus_areas"),
    ),
    (
        _("Time frame"),
        _(
            "Programs work with protégés within a wide variety of time frames, from "
            "a matter of weeks or months to a year or more."
        ),
        ("starts_on", "ends_on", "typical_duration_weeks"),
    ),
    (
        _("Dosage expectations"),
        _(
            "How much support each relationship should get. The dashboard flags "
            "relationships whose first visit is overdue or that fall behind these "
            "numbers. Leave a box empty when the program sets no expectation."
        ),
        ("visits_per_month", "minutes_per_month", "days_to_first_visit", "days_to_first_goal"),
    ),
    (
        _("Trust and sharing"),
        _(
            "Trust is essential for a close relationship, along with willingness by "
            "both partners to reveal themselves and to risk making mistakes. "
            "Feedback and notes are confidential by default: coordinators see dates, "
            "durations and statuses, not what was said."
        ),
        ("coordinators_read_shared_logs", "proteges_record_progress"),
    ),
    (
        _("Keeping records"),
        _(
            "How long the words of a relationship are kept once it has ended. When "
            "the time is up, visit logs, reflections, goal details and notes are "
            "blanked and the names replaced, every night, so no one can read them "
            "again; the number of visits, the minutes and the statuses stay in the "
            "reports. Leave the box empty to keep everything."
        ),
        ("record_retention_years",),
    ),
)


class ProgramForm(VersionedForm, forms.ModelForm):
    new_sponsor = forms.CharField(
        label=_("Or a new sponsor organization"),
        max_length=200,
        required=False,
        help_text=_("If the sponsor is not in the list, type its name to add it."),
    )
    new_sponsor_kind = forms.ChoiceField(
        label=_("Kind of the new organization"),
        choices=Organization.Kind.choices,
        required=False,
        initial=Organization.Kind.OTHER,
    )

    class Meta:
        model = Program
        fields = PROGRAM_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "outcome_details": forms.Textarea(attrs={"rows": 2}),
            "focus_areas": forms.Textarea(attrs={"rows": 3}),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "support_model": forms.RadioSelect,
            "mentor_organization": forms.RadioSelect,
            "goal_policy": forms.RadioSelect,
            "goal_scope": forms.RadioSelect,
            "director_involvement": forms.RadioSelect,
        }
        help_texts = {
            "sponsor": _("The organization that runs the program."),
            "support_model": (
                _(
                    "A coaching-only program offers only coaching relationships, a "
                    "mentoring-only one only mentoring."
                )
            ),
            "mentor_organization": _(
                "Matching suggestions prefer mentors and coaches who fit this."
            ),
            "age_groups": _("Matching suggestions prefer mentors and coaches with this expertise."),
            "goal_policy": (
                _(
                    "Prescribed goals come from the program's goal templates; collaborative "
                    "goals are written together and count once both agree."
                )
            ),
            "visits_per_month": _("e.g. 2"),
            "minutes_per_month": _("e.g. 120"),
            "days_to_first_visit": _("Flag a relationship still without a visit after these days."),
            "days_to_first_goal": _(
                "Flag a relationship still without a goal after this many days."
            ),
            "record_retention_years": _("e.g. 3. Counted from the day a relationship ended."),
            "coordinators_read_shared_logs": Program._meta.get_field(
                "coordinators_read_shared_logs"
            ).help_text,
        }

    def __init__(self, *args, user: User, **kwargs):
        """`user`: who fills it in; the sponsor lists the organizations theirs to choose
        (programs.organizations.sponsor_choices)."""
        super().__init__(*args, **kwargs)
        sponsor = model_choice_field(self, "sponsor")
        sponsor.queryset = sponsor_choices(user, current=self.instance.sponsor_id)
        sponsor.required = False
        for name in ("description", "focus_areas", "outcome_details", "purpose_other"):
            self.fields[name].required = False
        self.fields["record_retention_years"].widget.attrs.update(
            {"min": 1, "inputmode": "numeric"}
        )
        self.helper = fields_only()
        self.helper.layout = Layout(
            *[
                Fieldset(legend, _intro(str(intro)), *names, css_class="form-section mb-4")
                for legend, intro, names in PROGRAM_SECTIONS
            ]
        )

    def clean(self):
        data = super().clean()
        if not data.get("sponsor") and not (data.get("new_sponsor") or "").strip():
            self.add_error(
                "sponsor", gettext("Choose the sponsor organization, or type a new one.")
            )
        return data

    def program_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in PROGRAM_FIELDS if name != "sponsor"}


class ArchiveForm(forms.Form):
    """A confirmation: nothing to fill in."""


# Enrollment ------------------------------------------------------------------------------------


class EnrollForm(forms.Form):
    """Enroll someone who has an account, or a new person, with their profile and reason."""

    EXISTING, NEW = "existing", "new"

    who = forms.ChoiceField(
        label=_("Who"),
        choices=[(EXISTING, _("Someone who already has an account")), (NEW, _("A new person"))],
        widget=forms.RadioSelect(attrs={"data-toggle-sections": "who"}),
        initial=EXISTING,
    )
    person = forms.CharField(
        label=_("Username or email address"),
        max_length=254,
        required=False,
        help_text=_("For someone who already has an account."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email address"), required=False)
    role = forms.ChoiceField(
        label=_("Takes part as"),
        choices=Enrollment.Role.choices,
        widget=forms.RadioSelect(attrs={"data-toggle-sections": "role"}),
    )
    reason = forms.ChoiceField(
        label=_("Reason for taking part"),
        choices=[("", _("Not recorded")), *Enrollment.Reason.choices],
        required=False,
        help_text=_(
            "Protégés may take part by choice, as a required part of the job, as "
            "part of a degree or training program, or as a mandate after classroom "
            "quality ratings."
        ),
    )
    organization = forms.ModelChoiceField(
        label=_("Organization or site"),
        queryset=Organization.objects.none(),
        required=False,
    )
    # Protégé profile
    position = forms.CharField(label=_("Position"), max_length=120, required=False)
    career_stage = forms.ChoiceField(
        label=_("Career stage"), choices=[("", _("Not recorded"))], required=False
    )
    age_group_taught = forms.ChoiceField(
        label=_("Age group taught"),
        choices=[("", _("Not recorded")), *AgeGroup.choices],
        required=False,
    )
    supervisor = forms.CharField(
        label=_("Supervisor (username or email address)"),
        max_length=254,
        required=False,
        help_text=_(
            "The person with authority over their job. Recorded so they are never "
            "matched as this protégé's mentor or coach, and never read the mentoring "
            "records."
        ),
    )
    # Mentor or coach profile
    currently_teaching = forms.BooleanField(
        label=_("Currently a classroom teacher"), required=False
    )
    years_teaching = forms.IntegerField(
        label=_("Years teaching young children"), min_value=0, max_value=80, required=False
    )
    age_groups = forms.MultipleChoiceField(
        label=_("Age groups of expertise"),
        choices=AgeGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    prep_child_development = forms.BooleanField(label=_("Child development"), required=False)
    prep_adult_learning = forms.BooleanField(label=_("Adult learning"), required=False)
    prep_culture = forms.BooleanField(label=_("Culture"), required=False)
    prep_teacher_development = forms.BooleanField(label=_("Teacher development"), required=False)
    prep_reflective_practice = forms.BooleanField(label=_("Reflective practice"), required=False)
    credentials = forms.CharField(
        label=_("Credentials"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    caseload_limit = forms.IntegerField(
        label=_("Caseload limit"),
        min_value=1,
        max_value=200,
        required=False,
        initial=12,
        help_text=_("How many relationships they can hold at once."),
    )

    def __init__(self, *args, program: Program | None = None, **kwargs):
        """`program`: the program enrolling them, whose roles and organizations the lists
        offer."""
        super().__init__(*args, **kwargs)
        _organization_choice(self, program)
        if program is not None:
            choice_field(self, "role").choices = [
                (role, Enrollment.Role(role).label) for role in program.offered_roles
            ]
        stages = choice_field(self, "career_stage")
        stages.choices = [("", gettext("Not recorded")), *stage_choices(stages, program)]
        self.helper = fields_only()
        self.helper.layout = Layout(
            Fieldset(gettext("Person"), "who", css_class="mb-3"),
            Div(
                "person",
                css_class="mb-3",
                data_section="who",
                data_section_value=self.EXISTING,
            ),
            Div(
                Div("first_name", css_class="col-sm-6"),
                Div("last_name", css_class="col-sm-6"),
                Div("email", css_class="col-12"),
                css_class="row",
                data_section="who",
                data_section_value=self.NEW,
            ),
            Fieldset(gettext("Role"), "role", "reason", "organization", css_class="mb-3"),
            Fieldset(
                gettext("Protégé profile"),
                _intro(
                    gettext(
                        "For someone who already has a protégé profile, only its empty fields "
                        "are filled in; what it says is kept."
                    )
                ),
                "position",
                "career_stage",
                "age_group_taught",
                "supervisor",
                css_class="mb-3",
                data_section="role",
                data_section_value=Enrollment.Role.PROTEGE,
            ),
            Fieldset(
                gettext("Mentor or coach profile"),
                _intro(
                    gettext(
                        "For someone who already has a mentor profile, only its empty fields are "
                        "filled in. Preparation for either role should include child "
                        "development, adult learning, culture, teacher development and "
                        "reflective practice."
                    )
                ),
                "currently_teaching",
                "years_teaching",
                "age_groups",
                _label(gettext("Preparation in")),
                *PREPARATION_FIELDS,
                "credentials",
                "caseload_limit",
                css_class="mb-3",
                data_section="role",
                data_section_value=" ".join(SUPPORTING_ROLES),
            ),
        )

    def clean(self):
        data = super().clean()
        if data.get("who") == self.EXISTING:
            if not (data.get("person") or "").strip():
                self.add_error("person", gettext("Enter their username or email address."))
            else:
                data["person_obj"] = named_person(
                    self, "person", hint=gettext("To add them, choose “A new person”.")
                )
        elif data.get("who") == self.NEW:
            for name, message in (
                ("first_name", gettext("Enter their first name.")),
                ("last_name", gettext("Enter their last name.")),
                ("email", gettext("Enter their email address.")),
            ):
                if not (data.get(name) or "").strip() and name not in self.errors:
                    self.add_error(name, message)
        data["supervisor_obj"] = None
        if data.get("role") == Enrollment.Role.PROTEGE:
            data["supervisor_obj"] = named_person(self, "supervisor")
        return data


def stage_choices(
    field: forms.ChoiceField, program: Program | None, keep: str = ""
) -> list[tuple[str, str]]:
    """The career stages to offer a protégé of `program`: those it serves (every stage, if it
    names none), and `keep`, the one recorded now. Another stage is refused with the stages
    the program serves (the field's message)."""
    if program is None or not program.career_stages:
        return [(value, str(label)) for value, label in ProtegeProfile.CareerStage.choices]
    field.error_messages["invalid_choice"] = gettext(
        "%(program)s serves %(served)s: choose one of their stages."
    ) % {"program": program.name, "served": program.stages_served()}
    return [
        (value, str(label))
        for value, label in ProtegeProfile.CareerStage.choices
        if value in program.career_stages or value == keep
    ]


class LeaveForm(forms.Form):
    leaving_reason = forms.ChoiceField(
        label=_("Reason for leaving"),
        choices=[("", _("Choose a reason")), *Enrollment.LeavingReason.choices],
    )
    leaving_note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("Required when the reason is “Other”."),
    )
    left_on = forms.DateField(label=_("Left on"), widget=DateInput(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = fields_only()


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file (CSV or Excel .xlsx)"),
        help_text=_(
            "One row per person, with the template's columns; a workbook's first sheet is read."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = (
            ".csv,text/csv,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        self.helper = fields_only()


class RosterConfirmForm(forms.Form):
    text = forms.CharField(widget=forms.HiddenInput, strip=False)


class RoleDescriptionsForm(VersionedForm, forms.Form):
    mentor_text = forms.CharField(
        label=_("The mentor's role"),
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        help_text=_("Empty the box to go back to the text generated from the configuration."),
    )
    coach_text = forms.CharField(
        label=_("The coach's role"),
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        help_text=_("Empty the box to go back to the text generated from the configuration."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = fields_only()


class CoordinatorAddForm(forms.Form):
    person = forms.CharField(
        label=_("Username or email address"),
        max_length=254,
        help_text=_(
            "Someone who already has an account. They will see this program's pages as you do."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].widget.attrs["autocomplete"] = "off"
        self.helper = fields_only()

    def clean(self):
        data = super().clean()
        data["person_obj"] = named_person(
            self,
            "person",
            hint=gettext("Enroll or add them first, or ask them for the address they use here."),
        )
        return data


class MentorProfileForm(VersionedForm, forms.Form):
    """A mentor's or coach's profile, edited by the program's coordinator."""

    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), required=False
    )
    currently_teaching = EnrollForm.base_fields["currently_teaching"]
    years_teaching = EnrollForm.base_fields["years_teaching"]
    age_groups = EnrollForm.base_fields["age_groups"]
    prep_child_development = EnrollForm.base_fields["prep_child_development"]
    prep_adult_learning = EnrollForm.base_fields["prep_adult_learning"]
    prep_culture = EnrollForm.base_fields["prep_culture"]
    prep_teacher_development = EnrollForm.base_fields["prep_teacher_development"]
    prep_reflective_practice = EnrollForm.base_fields["prep_reflective_practice"]
    credentials = EnrollForm.base_fields["credentials"]
    caseload_limit = forms.IntegerField(
        label=_("Caseload limit"),
        min_value=1,
        max_value=200,
        help_text=_("How many relationships they can hold at once."),
    )

    FIELDS = MENTOR_PROFILE_FIELDS

    def __init__(self, *args, program: Program | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        _organization_choice(self, program)
        self.helper = fields_only()
        self.helper.layout = Layout(
            "organization",
            "currently_teaching",
            "years_teaching",
            "age_groups",
            Fieldset(
                gettext("Preparation in"),
                _intro(
                    gettext(
                        "Preparation for either role should include child development, adult "
                        "learning, culture, teacher development and reflective practice."
                    )
                ),
                *PREPARATION_FIELDS,
                css_class="mb-3",
            ),
            "credentials",
            "caseload_limit",
        )


class ProtegeProfileForm(VersionedForm, forms.Form):
    """A protégé's profile, edited by the program's coordinator."""

    organization = forms.ModelChoiceField(
        label=_("Site"), queryset=Organization.objects.none(), required=False
    )
    position = forms.CharField(label=_("Position"), max_length=120, required=False)
    career_stage = forms.ChoiceField(label=_("Career stage"), choices=())
    age_group_taught = EnrollForm.base_fields["age_group_taught"]
    supervisor = EnrollForm.base_fields["supervisor"]

    FIELDS = ("organization", "position", "career_stage", "age_group_taught")

    def __init__(self, *args, supervisor_fixed: str = "", program: Program | None = None, **kwargs):
        """`supervisor_fixed`: why this person may not change the supervisor, if they may not
        (programs.profiles_services.supervisor_change_refusal); the field is then shown, fixed.
        `program`: the career stages offered are the ones it serves, and the stage recorded."""
        super().__init__(*args, **kwargs)
        if supervisor_fixed:
            self.fields["supervisor"].disabled = True
            self.fields["supervisor"].help_text = supervisor_fixed
        else:
            change = gettext(
                "A change is shown to the protégé and kept; the former supervisor stays kept "
                "apart from their mentoring records."
            )
            self.fields["supervisor"].help_text = f"{self.fields['supervisor'].help_text} {change}"
        _organization_choice(self, program)
        stages = choice_field(self, "career_stage")
        stages.choices = stage_choices(stages, program, keep=self.initial.get("career_stage", ""))
        self.helper = fields_only()

    def clean(self):
        data = super().clean()
        data["supervisor_obj"] = named_person(self, "supervisor")
        return data


__all__ = [
    "ArchiveForm",
    "CoordinatorAddForm",
    "EnrollForm",
    "LeaveForm",
    "MentorProfileForm",
    "ProgramForm",
    "ProtegeProfileForm",
    "RoleDescriptionsForm",
    "RosterConfirmForm",
    "RosterUploadForm",
]
