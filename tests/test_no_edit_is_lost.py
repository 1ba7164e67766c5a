"""No edit is lost (docs/design.md, "No edit is lost"; core/versions.py).

For each kind of record a person edits, two people (or one person in two tabs) open the edit
page; the first saves; the second's save shows a conflict, with what is saved now beside what
they typed, keeps what they typed in the form and writes nothing; saving again from there puts
theirs in place. A save that changes nothing writes no history row.
"""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from goals.models import ActionStep
from programs.models import Enrollment, MentorProfile, Program, ProtegeProfile
from relationships.models import Visit
from tests.factories import (
    ActionStepFactory,
    EnrollmentFactory,
    GoalFactory,
    ProgramFactory,
    SupportRelationshipFactory,
    UserFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db

CONFLICT = "Someone else saved this while you were editing"


# Reading a page as a browser would submit it ---------------------------------------------------


class _EditForm(HTMLParser):
    """The values a browser would send from the page's edit form (the one carrying a version)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, list[str]]] = []
        self._form: dict[str, list[str]] | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method") == "post":
            self._form = {}
            self.forms.append(self._form)
        if self._form is None or ("name" not in a and tag != "option"):
            return
        if tag == "input" and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.setdefault(a["name"], []).append(a.get("value") or "on")
                return
            self._form.setdefault(a["name"], []).append(a.get("value") or "")
        elif tag == "textarea":
            self._textarea, self._text = a["name"], ""
        elif tag == "select":
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None:
            # Browsers drop the newline that opens a textarea's content.
            self._form.setdefault(self._textarea, []).append(self._text.removeprefix("\n"))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected]
            if not chosen and self._options:
                chosen = [self._options[0][0]]
            self._form.setdefault(self._select, []).extend(chosen)
            self._select = None


def form_on(page: str, field: str) -> dict[str, list[str]]:
    """What the page's form with this field would send."""
    parser = _EditForm()
    parser.feed(page)
    [form] = [form for form in parser.forms if field in form]
    return form


def open_form(client: Client, url: str, field: str) -> dict[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    return form_on(response.content.decode(), field)


def both_versions(page: str) -> dict[str, tuple[str, str]]:
    """The conflict's table: label -> (saved now, what you typed)."""
    rows = re.findall(
        r'<th scope="row">(.*?)</th>\s*<td class="edit-conflict-saved">(.*?)</td>\s*'
        r'<td class="edit-conflict-typed">(.*?)</td>',
        page,
        re.S,
    )

    def text(cell: str) -> str:
        return html.unescape(re.sub(r"<br>", "\n", cell)).strip()

    return {text(label): (text(saved), text(typed)) for label, saved, typed in rows}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# The records people edit -----------------------------------------------------------------------


@dataclass
class Case:
    url: str
    first: Client  # the two people (or tabs) who open the page
    second: Client
    field: str  # what both of them change
    label: str  # its label on the page
    saved: Callable[[], str]  # the field's value in the database now
    history: Callable[[], int]  # how many history rows the record has


def _coordinated_program(**kwargs) -> tuple[Program, Client, Client]:
    one, two = UserFactory(), UserFactory()
    program = ProgramFactory(coordinators=[one, two], **kwargs)
    return program, signed_in(one), signed_in(two)


def visit_log() -> Case:
    visit = VisitFactory(logged=True)
    mentor = visit.relationship.mentor
    return Case(
        url=reverse("relationships:visit_edit", args=[visit.code]),
        first=signed_in(mentor),  # one mentor, two tabs (or a laptop and a phone)
        second=signed_in(mentor),
        field="feedback",
        label="Feedback to the protégé",
        saved=lambda: Visit.objects.get(pk=visit.pk).feedback,
        history=lambda: visit.history.count(),
    )


def scheduled_visit() -> Case:
    visit = VisitFactory()
    mentor = visit.relationship.mentor
    return Case(
        url=reverse("relationships:visit_edit", args=[visit.code]),
        first=signed_in(mentor),
        second=signed_in(mentor),
        field="next_meeting_focus",
        label="Focus",
        saved=lambda: Visit.objects.get(pk=visit.pk).next_meeting_focus,
        history=lambda: visit.history.count(),
    )


def goal() -> Case:
    record = GoalFactory(agreed=True)
    relationship = record.relationship
    return Case(
        url=reverse("goals:edit", args=[record.code]),
        first=signed_in(relationship.mentor),
        second=signed_in(relationship.protege),
        field="statement",
        label="Goal statement",
        saved=lambda: type(record).objects.get(pk=record.pk).statement,
        history=lambda: record.history.count(),
    )


def program_configuration() -> Case:
    program, first, second = _coordinated_program()
    return Case(
        url=reverse("programs:edit", args=[program.code]),
        first=first,
        second=second,
        field="description",
        label="Description",
        saved=lambda: Program.objects.get(pk=program.pk).description,
        history=lambda: program.history.count(),
    )


def role_descriptions() -> Case:
    program, first, second = _coordinated_program()
    return Case(
        url=reverse("programs:roles_edit", args=[program.code]),
        first=first,
        second=second,
        field="mentor_text",
        label="The mentor's role",
        saved=lambda: Program.objects.get(pk=program.pk).mentor_role_description,
        history=lambda: program.history.count(),
    )


def protege_profile() -> Case:
    program, first, second = _coordinated_program()
    relationship = SupportRelationshipFactory(program=program)
    enrollment = EnrollmentFactory(program=program, person=relationship.protege)
    profile = ProtegeProfile.objects.get(user=relationship.protege)
    return Case(
        url=reverse("programs:profile_edit", args=[program.code, enrollment.code]),
        first=first,
        second=second,
        field="position",
        label="Position",
        saved=lambda: ProtegeProfile.objects.get(pk=profile.pk).position,
        history=lambda: profile.history.count(),
    )


def mentor_profile() -> Case:
    program, first, second = _coordinated_program()
    relationship = SupportRelationshipFactory(program=program)
    enrollment = EnrollmentFactory(
        program=program, person=relationship.mentor, role=Enrollment.Role.MENTOR
    )
    profile = MentorProfile.objects.get(user=relationship.mentor)
    return Case(
        url=reverse("programs:profile_edit", args=[program.code, enrollment.code]),
        first=first,
        second=second,
        field="credentials",
        label="Credentials",
        saved=lambda: MentorProfile.objects.get(pk=profile.pk).credentials,
        history=lambda: profile.history.count(),
    )


CASES = [
    visit_log,
    scheduled_visit,
    goal,
    program_configuration,
    role_descriptions,
    protege_profile,
    mentor_profile,
]


@pytest.mark.parametrize("make", CASES, ids=[make.__name__ for make in CASES])
def test_a_save_over_a_newer_version_shows_both_and_loses_nothing(make):
    case = make()
    first = open_form(case.first, case.url, case.field)
    second = open_form(case.second, case.url, case.field)
    first[case.field] = ["Written first,\nsaved first."]
    second[case.field] = ["Written second,\nsaved over it."]

    assert case.first.post(case.url, first).status_code == 302
    rows_before = case.history()

    response = case.second.post(case.url, second)
    page = response.content.decode()
    assert response.status_code == 200
    assert CONFLICT in page
    # Both versions side by side, and what the second typed still in the form.
    assert both_versions(page) == {
        case.label: ("Written first,\nsaved first.", "Written second,\nsaved over it.")
    }
    kept = form_on(page, case.field)
    assert kept[case.field] == ["Written second,\nsaved over it."]
    # Nothing was overwritten.
    assert case.saved() == "Written first,\nsaved first."
    assert case.history() == rows_before

    # Saving again from the conflict page puts theirs in place, on purpose.
    assert case.second.post(case.url, kept).status_code == 302
    assert case.saved() == "Written second,\nsaved over it."


@pytest.mark.parametrize("make", CASES, ids=[make.__name__ for make in CASES])
def test_a_save_that_changes_nothing_writes_no_history(make):
    case = make()
    form = open_form(case.first, case.url, case.field)
    rows_before = case.history()
    saved_before = case.saved()

    assert case.first.post(case.url, form).status_code == 302
    assert case.history() == rows_before
    assert case.saved() == saved_before


def test_a_profile_created_meanwhile_is_a_conflict_not_an_error():
    program, first, second = _coordinated_program()
    enrollment = EnrollmentFactory(program=program, role=Enrollment.Role.MENTOR)  # no profile
    url = reverse("programs:profile_edit", args=[program.code, enrollment.code])
    mine, theirs = open_form(first, url, "credentials"), open_form(second, url, "credentials")
    mine["credentials"], theirs["credentials"] = ["CDA"], ["M.Ed."]
    assert first.post(url, mine).status_code == 302

    page = second.post(url, theirs).content.decode()
    assert both_versions(page)["Credentials"] == ("CDA", "M.Ed.")
    assert second.post(url, form_on(page, "credentials")).status_code == 302
    assert MentorProfile.objects.get(user=enrollment.person).credentials == "M.Ed."


def test_keeping_the_saved_version_leaves_it_as_it_is():
    case = goal()
    first, second = (
        open_form(case.first, case.url, "title"),
        open_form(case.second, case.url, "title"),
    )
    first["title"], second["title"] = ["Wait time"], ["Open questions"]
    case.first.post(case.url, first)

    page = case.second.post(case.url, second).content.decode()
    keep = re.search(r'href="([^"]+)">Keep what is saved</a>', page)
    assert keep and keep.group(1) == case.url.removesuffix("edit/")
    assert "Save mine in its place" in page
    assert case.second.get(keep.group(1)).status_code == 200
    assert "Wait time" in case.second.get(keep.group(1)).content.decode()


def test_a_change_to_another_field_meanwhile_is_shown_and_not_undone_silently():
    """The second person changed the title only; the first had changed the statement. Saving
    the second's form as it was would put the old statement back: it is a conflict, and the
    page shows the statement saved now beside the one in their form."""
    case = goal()
    first, second = (
        open_form(case.first, case.url, "title"),
        open_form(case.second, case.url, "title"),
    )
    old_statement = second["statement"][0]
    first["statement"] = ["A sharper statement."]
    second["title"] = ["A better title"]
    case.first.post(case.url, first)

    page = case.second.post(case.url, second).content.decode()
    assert CONFLICT in page
    assert both_versions(page)["Goal statement"] == ("A sharper statement.", old_statement)
    assert form_on(page, "title")["title"] == ["A better title"]
    assert case.saved() == "A sharper statement."


def test_the_same_change_made_twice_is_no_conflict():
    case = program_configuration()
    first = open_form(case.first, case.url, case.field)
    second = open_form(case.second, case.url, case.field)
    first["description"] = second["description"] = ["The same fix."]
    assert case.first.post(case.url, first).status_code == 302
    rows = case.history()
    assert case.second.post(case.url, second).status_code == 302
    assert case.history() == rows  # nothing left to write


def test_a_proposal_changed_through_its_page_asks_the_other_side_again():
    """The edit compares what is typed with what is saved (not with the form's own copy of
    the goal), so a proposal the protégé changes waits for the mentor's agreement again."""
    record = GoalFactory()  # proposed by the mentor, who agreed by proposing it
    protege = signed_in(record.relationship.protege)
    url = reverse("goals:edit", args=[record.code])
    form = open_form(protege, url, "statement")
    form["statement"] = ["Children ask each other questions."]

    assert protege.post(url, form).status_code == 302
    record.refresh_from_db()
    assert record.statement == "Children ask each other questions."
    assert record.protege_agreed_at is not None
    assert record.mentor_agreed_at is None


# Action steps: marking one done names the state wanted ----------------------------------------


def test_a_step_marked_done_meanwhile_keeps_who_marked_it():
    step = ActionStepFactory(who=ActionStep.Who.BOTH)
    relationship = step.goal.relationship
    url = reverse("goals:step_done", args=[step.goal.code])
    mentor, protege = signed_in(relationship.mentor), signed_in(relationship.protege)
    detail = reverse("goals:detail", args=[step.goal.code])
    # The mentor's page offers to mark it done...
    assert 'name="done" value="on"' in mentor.get(detail).content.decode()

    # ...the protégé marks it done first, then the mentor sends that page's button.
    protege.post(url, {"step": step.pk, "done": "on"})
    rows = step.history.count()
    response = mentor.post(url, {"step": step.pk, "done": "on"}, follow=True)

    step.refresh_from_db()
    assert step.done_by == relationship.protege
    assert step.history.count() == rows
    page = response.content.decode()
    assert "had already marked this step done" in page
