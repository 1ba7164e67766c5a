"""A program's whole life in Chromium, from an empty database with only a superuser: the
organizations, the program, the coordinator's invitation, an .xlsx roster imported twice,
matching, a mentor leaving, the end of the year and the next one, and the role descriptions.

axe runs on every page visited; screenshots land in test-output/screenshots/."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core import mail
from openpyxl import Workbook
from playwright.sync_api import BrowserContext, Page, expect

from programs.models import Enrollment, Program, ProtegeProfile
from relationships.models import SupportRelationship
from tests.e2e.axe import check_axe
from tests.e2e.conftest import login

ADMIN_PASSWORD = "first light over the harbour"
COORDINATOR_PASSWORD = "a quiet desk by the window"
DISTRICT = "Riverbend Unified School District"
LINCOLN = "Lincoln Elementary"
OAK_PARK = "Oak Park Elementary"
PROGRAM = "Resident Teacher Induction"
COORDINATOR_EMAIL = "dana.okafor@example.org"

HEADER = [
    "role",
    "first_name",
    "last_name",
    "email",
    "organization",
    "position",
    "career_stage",
    "supervisor_email",
    "currently_teaching",
    "caseload_limit",
]
# Two mentors, a coach, someone listed as mentor who becomes a coach in the second file, three
# residents (years 1, 2 and 3) and their two supervisors, who have no account yet.
ROSTER = [
    ["mentor", "Maria", "Lopez", "maria.lopez@example.org", LINCOLN, "", "", "", "yes", "4"],
    ["mentor", "Ben", "Adams", "ben.adams@example.org", OAK_PARK, "", "", "", "yes", "4"],
    ["coach", "Carla", "Reyes", "carla.reyes@example.org", DISTRICT, "", "", "", "no", "6"],
    ["mentor", "Gina", "Park", "gina.park@example.org", DISTRICT, "", "", "", "no", "6"],
    [
        "protégé",
        "Sam",
        "Okafor",
        "sam.okafor@example.org",
        LINCOLN,
        "Lead teacher",
        "resident 1",
        "lena.principal@example.org",
        "",
        "",
    ],
    [
        "protégé",
        "Priya",
        "Shah",
        "priya.shah@example.org",
        OAK_PARK,
        "Lead teacher",
        "resident 2",
        "omar.head@example.org",
        "",
        "",
    ],
    [
        "protégé",
        "Tom",
        "Ruiz",
        "tom.ruiz@example.org",
        LINCOLN,
        "Lead teacher",
        "resident 3",
        "lena.principal@example.org",
        "",
        "",
    ],
    ["supervisor", "Lena", "Principal", "lena.principal@example.org", LINCOLN, *[""] * 5],
    ["supervisor", "Omar", "Head", "omar.head@example.org", OAK_PARK, *[""] * 5],
]


@pytest.fixture
def superuser(transactional_db: None) -> User:
    """An empty database but for the superuser `createsuperuser` makes: no demo world."""
    return User.objects.create_superuser("admin", "admin@example.org", ADMIN_PASSWORD)


def xlsx(rows: list[list[str]], path: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def section(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("navigation", name="Program sections").get_by_role(
            "link", name=name, exact=True
        ).click()
    page.wait_for_load_state("load")


def add_organization(page: Page, name: str, kind: str, part_of: str = "") -> None:
    page.get_by_role("link", name="Add an organization").click()
    page.get_by_label("Name").fill(name)
    page.get_by_label("Kind").select_option(label=kind)
    if part_of:
        page.get_by_label("Part of").select_option(label=part_of)
    page.get_by_role("button", name="Add the organization").click()
    expect(page.get_by_text(f"{name} is added.")).to_be_visible()


def create_organizations_and_program(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("navigation", name="Main").get_by_role(
            "link", name="Organizations"
        ).click()
    expect(page.get_by_text("No organization yet.")).to_be_visible()
    check_axe(page)
    add_organization(page, DISTRICT, "School district")
    add_organization(page, LINCOLN, "School", part_of=DISTRICT)
    add_organization(page, OAK_PARK, "School", part_of=DISTRICT)
    for school in (LINCOLN, OAK_PARK):
        row = page.get_by_role("row").filter(has_text=school)
        expect(row).to_contain_text(f"part of {DISTRICT}")

    page.get_by_role("link", name=f"Start a program of {DISTRICT}").click()
    expect(page.locator("h1")).to_have_text("New program")
    page.locator("#id_name").fill(PROGRAM)
    sponsor = page.get_by_label("Sponsor organization", exact=True)
    expect(sponsor.locator("option:checked")).to_have_text(DISTRICT)
    page.get_by_label("Mentoring and coaching").check()
    for year in (1, 2, 3):
        page.get_by_label(f"Resident teacher, year {year}").check()
    check_axe(page)
    page.get_by_role("button", name="Create the program").click()
    expect(page.locator("h1")).to_have_text(PROGRAM)
    check_axe(page)


def invite_coordinator(page: Page) -> str:
    """Invites the coordinator from the Coordinators page; returns the path of the emailed
    set-password link."""
    section(page, "Coordinators")
    form = page.locator("form").filter(has=page.get_by_role("button", name="Invite as coordinator"))
    form.get_by_label("First name").fill("Dana")
    form.get_by_label("Last name").fill("Okafor")
    form.get_by_label("Email address").fill(COORDINATOR_EMAIL)
    form.get_by_role("button", name="Invite as coordinator").click()
    expect(page.get_by_text("Dana Okafor is now a coordinator of this program.")).to_be_visible()
    expect(page.get_by_text("Invited; has not chosen a password yet.")).to_be_visible()
    check_axe(page)
    [message] = [m for m in mail.outbox if m.to == [COORDINATOR_EMAIL]]
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", message.body).group(0)
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def coordinator_sets_a_password(
    new_context: Callable[..., BrowserContext], live_server, path: str
) -> Page:
    page = new_context().new_page()
    page.goto(f"{live_server.url}{path}")
    expect(page.locator("h1")).to_have_text("Choose your password")
    page.locator("#id_new_password1").fill(COORDINATOR_PASSWORD)
    page.locator("#id_new_password2").fill(COORDINATOR_PASSWORD)
    page.get_by_role("button", name="Set my password").click()
    expect(page.locator("h1")).to_have_text("Your password is set")
    username = User.objects.get(email=COORDINATOR_EMAIL).username
    login(page, live_server, username, COORDINATOR_PASSWORD)
    page.goto(f"{live_server.url}/programs/")
    with page.expect_navigation():
        page.get_by_role("link", name=PROGRAM).click()
    expect(page.locator("h1")).to_have_text(PROGRAM)
    return page


def import_roster(page: Page, file: Path, counts: str) -> None:
    section(page, "Participants")
    page.get_by_role("link", name="Import a roster").first.click()
    page.locator("input[type=file]").set_input_files(file)
    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator("#roster-counts")).to_have_text(counts)
    check_axe(page)


def confirm_import(page: Page) -> None:
    page.get_by_role("button", name=re.compile(r"Save all \d+ rows")).click()
    expect(page.get_by_role("heading", name="Saved")).to_be_visible()
    check_axe(page)


MENTORS = ("Maria Lopez", "Ben Adams")
COACHES = ("Carla Reyes", "Gina Park")


def match(page: Page, protege: str, kind: str, supporter: str) -> None:
    """Matches `protege` from the match page; only mentors are suggested for mentoring, only
    coaches for coaching."""
    section(page, "Match")
    option = page.locator("#id_protege option", has_text=protege)
    page.get_by_label("Protégé").select_option(option.get_attribute("value"))
    page.get_by_label(kind, exact=True).check()
    page.get_by_role("button", name="Suggest mentors and coaches").click()
    suggestions = page.locator(".suggestion-list label")
    expect(suggestions.filter(has_text=supporter)).to_have_count(1)
    for other_role in COACHES if kind == "Mentoring" else MENTORS:
        expect(suggestions.filter(has_text=other_role)).to_have_count(0)
    suggestions.filter(has_text=supporter).locator("input").check()
    page.get_by_role("button", name="Create the relationship").click()
    verb = "mentors" if kind == "Mentoring" else "coaches"
    expect(page.get_by_text(f"{supporter} now {verb} {protege}.")).to_be_visible()
    check_axe(page)


def changed(roster: list[list[str]]) -> list[list[str]]:
    """The roster a few weeks on: Sam's position changed, and Gina coaches rather than mentors."""
    rows = [list(row) for row in roster]
    for row in rows:
        if row[1] == "Sam":
            row[5] = "Assistant teacher"
        if row[1] == "Gina":
            row[0] = "coach"
    return rows


def preview_row(page: Page, name: str):
    return page.locator(".roster-preview tbody tr").filter(has_text=name)


def reimport_with_changes(page: Page, tmp_path: Path) -> None:
    import_roster(
        page,
        xlsx(changed(ROSTER), tmp_path / "roster-2.xlsx"),
        "0 to add, 2 to change, 7 staying as they are.",
    )
    expect(preview_row(page, "Sam Okafor")).to_contain_text("Lead teacher → Assistant teacher")
    expect(preview_row(page, "Gina Park")).to_contain_text("Change")
    expect(preview_row(page, "Gina Park")).to_contain_text("Coach")
    expect(preview_row(page, "Ben Adams")).to_contain_text("No change")


def leave_and_reassign(page: Page, leaver: str, successor: User) -> None:
    """Records that `leaver` left; on the reassign page that follows, hands every one of their
    relationships to `successor` with one submit."""
    section(page, "Participants")
    page.get_by_role("link", name=f"Record leaving for {leaver}").click()
    page.get_by_label("Reason for leaving").select_option("moved")
    page.get_by_role("button", name="Record leaving").click()
    expect(page.locator("h1")).to_have_text(f"Reassign {leaver}'s caseload")
    check_axe(page)
    selects = page.locator("select[name^='r-']")
    expect(selects).to_have_count(2)
    for index in range(2):
        selects.nth(index).select_option(str(successor.pk))
    page.get_by_role("button", name="Apply all").click()
    expect(page.get_by_text("2 relationships taken over")).to_be_visible()
    check_axe(page)


def close_and_start_next_year(page: Page) -> None:
    section(page, "Dashboard")
    page.get_by_role("link", name="Close the year…").click()
    expect(page.locator("h1")).to_have_text(f"Close the year of {PROGRAM}")
    expect(page.locator("[data-figure=open]")).to_have_text("4")
    check_axe(page)
    page.get_by_role("button", name="Close the year").click()

    expect(page.locator("h1")).to_have_text(f"Start the next year of {PROGRAM}")
    continuing = page.locator("#continuing")
    expect(continuing.locator("tr", has_text="Sam Okafor")).to_contain_text(
        "Resident teacher, year 1 → Resident teacher, year 2"
    )
    expect(continuing.locator("tr", has_text="Priya Shah")).to_contain_text(
        "Resident teacher, year 2 → Resident teacher, year 3"
    )
    check_axe(page)
    page.get_by_label("Name of the next year").fill(f"{PROGRAM}, next year")
    page.get_by_role("button", name="Start the next year").click()
    expect(page.locator("h1")).to_have_text(f"{PROGRAM}, next year")
    expect(page.get_by_role("link", name=f"← Previous year: {PROGRAM}")).to_be_visible()
    check_axe(page)


def role_descriptions(page: Page) -> tuple[str, str]:
    section(page, "Role descriptions")
    expect(page.locator("article")).to_contain_text("resident teachers in years 1\u20133")
    check_axe(page)
    mentor = page.locator("section", has=page.locator("#role-mentoring")).inner_text()
    coach = page.locator("section", has=page.locator("#role-coaching")).inner_text()
    return mentor, coach


def test_a_program_from_an_empty_database_to_its_next_year(
    page: Page, live_server, superuser, new_context, shot, tmp_path
):
    login(page, live_server, "admin", ADMIN_PASSWORD)
    create_organizations_and_program(page)
    program = Program.objects.get(name=PROGRAM)
    assert program.sponsor.name == DISTRICT
    assert set(program.career_stages) == {"resident_1", "resident_2", "resident_3"}
    shot(page, "new-program")

    link = invite_coordinator(page)
    coordinator = coordinator_sets_a_password(new_context, live_server, link)
    shot(coordinator, "coordinator-logged-in")

    # The first roster: everyone added, supervisors get accounts without taking part.
    roster = xlsx(ROSTER, tmp_path / "roster.xlsx")
    import_roster(coordinator, roster, "9 to add, 0 to change, 0 staying as they are.")
    shot(coordinator, "first-preview")
    confirm_import(coordinator)
    expect(coordinator.get_by_text("Imported 7 participants.")).to_be_visible()
    expect(coordinator.get_by_text("2 supervisors got an account")).to_be_visible()
    lena = User.objects.get(email="lena.principal@example.org")
    assert not Enrollment.objects.filter(person=lena).exists()
    assert not [message for message in mail.outbox if lena.email in message.to]
    sam = User.objects.get(email="sam.okafor@example.org")
    assert ProtegeProfile.objects.get(user=sam).supervisor == lena

    # The same roster again, a few weeks on: the preview tells the changes apart.
    reimport_with_changes(coordinator, tmp_path)
    shot(coordinator, "second-preview")
    confirm_import(coordinator)
    assert ProtegeProfile.objects.get(user=sam).position == "Assistant teacher"
    gina = Enrollment.objects.get(program=program, person__email="gina.park@example.org")
    assert gina.role == Enrollment.Role.COACH

    # Mentors for mentoring, coaches for coaching.
    match(coordinator, "Sam Okafor", "Mentoring", "Maria Lopez")
    match(coordinator, "Priya Shah", "Mentoring", "Maria Lopez")
    match(coordinator, "Tom Ruiz", "Mentoring", "Ben Adams")
    match(coordinator, "Sam Okafor", "Coaching", "Carla Reyes")
    shot(coordinator, "matched")

    # Maria leaves; Ben takes over her two relationships in one step.
    ben = User.objects.get(email="ben.adams@example.org")
    leave_and_reassign(coordinator, "Maria Lopez", ben)
    open_mentoring = SupportRelationship.objects.open().filter(program=program, kind="mentoring")
    assert set(open_mentoring.values_list("mentor__email", flat=True)) == {ben.email}
    assert open_mentoring.count() == 3

    close_and_start_next_year(coordinator)
    shot(coordinator, "next-year")
    new = Program.objects.get(previous=program)
    stages = dict(
        ProtegeProfile.objects.filter(user__enrollments__program=new).values_list(
            "user__first_name", "career_stage"
        )
    )
    assert stages == {"Sam": "resident_2", "Priya": "resident_3"}  # Tom graduated

    mentor_text, coach_text = role_descriptions(coordinator)
    shot(coordinator, "roles")
    assert "practical basics" in mentor_text and "relaxed" in mentor_text
    assert "strateg" in coach_text and "models" in coach_text
    assert "practical basics" not in coach_text and "models it" not in mentor_text
