"""Forms of the coordinator's matching and team pages, and of pausing or ending a relationship.

They parse input; the rules (the supervision firewall first of all) live in
relationships/services.py, whose ValidationErrors the views show next to the fields.
"""

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.formfields import BoundedModelMultipleChoiceField
from core.formhelpers import fields_only
from core.names import person_name
from core.querytools import subquery_count
from core.widgets import DateInput
from programs.models import Enrollment, Program
from programs.organizations import program_organizations
from relationships.matching import Suggestion
from relationships.models import ClassroomTeam, SupportRelationship
from relationships.services import check_not_doubled


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj)


class PeopleChoiceField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj)


class EnrolledProtegeField(forms.ModelChoiceField):
    """A current protégé enrollment of the program, named by its code in the URL."""

    def label_from_instance(self, obj):
        label = person_name(obj.person)
        if getattr(obj, "open_support", 1) == 0:
            label += str(_(" (not matched yet)"))
        elif getattr(obj, "matched_in_every_kind", False):
            label += " (matched)"
        return label


class MatchTargetForm(forms.Form):
    """Step one: who is to be supported, and by which kind of relationship."""

    format = forms.ChoiceField(
        label=_("Support for"),
        choices=SupportRelationship.Format.choices,
        widget=forms.RadioSelect(attrs={"data-toggle-sections": "format"}),
        initial=SupportRelationship.Format.INDIVIDUAL,
    )
    protege = EnrolledProtegeField(
        label=_("Protégé"),
        queryset=Enrollment.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Choose a protégé"),
    )
    team = forms.ModelChoiceField(
        label=_("Classroom team"),
        queryset=ClassroomTeam.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Choose a team"),
    )
    kind = forms.ChoiceField(label=_("Kind of relationship"), widget=forms.RadioSelect)

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        protege, team, kind = self.fields["protege"], self.fields["team"], self.fields["kind"]
        assert isinstance(protege, EnrolledProtegeField)
        assert isinstance(team, forms.ModelChoiceField)
        assert isinstance(kind, forms.ChoiceField)
        protege.queryset = (
            Enrollment.objects.current()
            .filter(program=program, role=Enrollment.Role.PROTEGE)
            .select_related("person")
            .annotate(
                # At most one open relationship of each kind (a constraint): one of each kind
                # offered, and there is nothing left to match them for.
                open_support=subquery_count(
                    SupportRelationship.objects.open().filter(
                        program=program, protege=OuterRef("person")
                    )
                ),
            )
            .annotate(matched_in_every_kind=Q(open_support__gte=len(program.offered_kinds)))
            .order_by("person__last_name", "person__first_name", "pk")
        )
        team.queryset = ClassroomTeam.objects.active().filter(program=program)
        kinds = [(k, label) for k, label in SupportRelationship.Kind.choices]
        kind.choices = [(k, label) for k, label in kinds if k in program.offered_kinds]
        if len(program.offered_kinds) == 1:
            only = program.offered_kinds[0]
            kind.initial = only
            if only == "coaching":
                kind.help_text = _(
                    "%(program)s is a coaching program: it offers only coaching relationships."
                ) % {"program": program.name}
            else:
                kind.help_text = _(
                    "%(program)s is a mentoring program: it offers only mentoring relationships."
                ) % {"program": program.name}
        else:
            kind.help_text = _(
                "Mentors usually focus on one teacher's development with goals agreed "
                "together; coaches may work with individuals or classroom teams, often with "
                "a set agenda."
            )

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        if kind not in self.program.offered_kinds:
            raise forms.ValidationError(
                _("%(program)s offers %(model)s only.")
                % {
                    "program": self.program.name,
                    "model": self.program.get_support_model_display().lower(),
                }
            )
        return kind

    def clean(self):
        data = super().clean()
        if data.get("format") == SupportRelationship.Format.INDIVIDUAL:
            if not data.get("protege"):
                self.add_error("protege", _("Choose the protégé to support."))
            data["team"] = None
        elif data.get("format") == SupportRelationship.Format.TEAM:
            if not data.get("team"):
                self.add_error("team", _("Choose the classroom team to support."))
            data["protege"] = None
        if not self.errors:
            self._check_not_doubled(data)
        return data

    def _check_not_doubled(self, data: dict) -> None:
        """A protégé or team who has an open relationship of this kind already is told so
        here, at the first step, rather than after choosing a mentor."""
        enrollment, team = data.get("protege"), data.get("team")
        try:
            check_not_doubled(
                program=self.program,
                kind=data["kind"],
                protege=enrollment.person if enrollment else None,
                team=team,
            )
        except ValidationError as error:
            self.add_error("team" if team else "protege", error.messages)


class MatchForm(MatchTargetForm):
    """Step two: the mentor or coach and the arrangement. The mentor can be any account as far
    as parsing goes, so that a crafted choice reaches the firewall and gets its clear refusal."""

    mentor = PersonChoiceField(
        label=_("Suggested mentors and coaches"),
        queryset=User.objects.all(),
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
    )
    other_mentor = PersonChoiceField(
        label=_("Or someone else from the program"),
        queryset=User.objects.all(),
        required=False,
        empty_label=_("Choose someone else"),
    )
    meeting_arrangement = forms.ChoiceField(
        label=_("Meeting arrangement"),
        choices=SupportRelationship.MeetingArrangement.choices,
        widget=forms.RadioSelect,
        initial=SupportRelationship.MeetingArrangement.MENTOR_VISITS,
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    planned_end_on = forms.DateField(label=_("Planned end"), widget=DateInput(), required=False)

    def set_candidates(self, suggestions: list[Suggestion], others: list[User]) -> None:
        """Show the ranked suggestions as radios and everyone else eligible in the select.

        With nobody to choose from, the page shows none of the fields: only why, and the way
        out (enroll someone, or change the protégé or team)."""
        self.fields["mentor"].widget.choices = [(s.person.pk, s.label) for s in suggestions]
        self.fields["other_mentor"].widget.choices = [("", "Choose someone else")] + [
            (person.pk, person_name(person)) for person in others
        ]
        self.can_choose = bool(suggestions or others)
        self.shown = (
            {"meeting_arrangement", "starts_on", "planned_end_on"}
            | ({"mentor"} if suggestions else set())
            | ({"other_mentor"} if others else set())
            if self.can_choose
            else set()
        )

    def move_errors_of_fields_not_shown(self) -> None:
        """Errors of fields the page does not show (step one's choices, carried in hidden
        inputs; a list with nobody in it) go to the top of the form, where they link to
        nothing: an error never points at a field that is not on the page."""
        for name in [n for n in self.errors if n != NON_FIELD_ERRORS and n not in self.shown]:
            self.add_error(None, self.errors.pop(name).as_data())

    def clean(self):
        data = super().clean()
        chosen = [p for p in (data.get("mentor"), data.get("other_mentor")) if p]
        if not chosen:
            self.add_error("mentor", _("Choose a mentor or coach."))
        elif len(chosen) == 2 and chosen[0] != chosen[1]:
            self.add_error("other_mentor", _("Choose one person: a suggestion or someone else."))
        else:
            data["chosen_mentor"] = chosen[0]
        start, end = data.get("starts_on"), data.get("planned_end_on")
        if start and end and end < start:
            self.add_error("planned_end_on", _("The planned end must be on or after the start."))
        return data


class TeamForm(forms.ModelForm):
    members = PeopleChoiceField(
        label=_("Members"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The program's protégés; a team is coached as a group."),
    )

    class Meta:
        model = ClassroomTeam
        fields = ["name", "site", "age_group"]
        help_texts = {"name": _("e.g. Sunflower Room team")}

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        site, members = self.fields["site"], self.fields["members"]
        assert isinstance(site, forms.ModelChoiceField)
        assert isinstance(members, PeopleChoiceField)
        # The organizations that matter to the program, and the team's own site.
        site.queryset = program_organizations(program, current=[self.instance.site_id])
        people = User.objects.filter(
            pk__in=Enrollment.objects.current()
            .filter(program=program, role=Enrollment.Role.PROTEGE)
            .values("person_id")
        )
        if self.instance.pk:
            people = people | User.objects.filter(classroom_teams=self.instance)
            members.initial = list(self.instance.members.all())
        members.queryset = people.distinct().order_by("last_name", "first_name")
        self.helper = fields_only()


class PauseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the relationship paused?"),
        max_length=300,
        help_text=_("e.g. the protégé is on leave until March. The mentor and protégé see this."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = fields_only()


class EndForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did it end?"),
        choices=[
            ("completed", _("Completed: the planned support is done")),
            ("ended_early", _("Ended early")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)
    ended_on = forms.DateField(label=_("Ended on"), widget=DateInput(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = fields_only()


class ResumeForm(forms.Form):
    """A confirmation: nothing to fill in."""
