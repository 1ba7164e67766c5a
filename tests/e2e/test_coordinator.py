"""The coordinator's workspace in Chromium, as the demo coordinator: programs, participants
(one by one and from a CSV roster), matching (and the supervisor refused), teams, pausing and
ending, goal templates, role descriptions and the dashboard with its exports.

axe runs on every page visited; screenshots land in test-output/screenshots/."""

import csv
import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from core import clock
from programs.models import Enrollment, EnrollmentRequest, Program
from programs.services import enrollment_request_answer
from relationships.models import ClassroomTeam, SupportRelationship
from tests.e2e.axe import check_axe

INDUCTION = "Resident Educator Induction"
COACHING = "Early Literacy Instructional Coaching"


@pytest.fixture
def coordinator(page: Page, live_server, demo_world, login_as):
    login_as("coordinator")
    return page


def open_program(page: Page, live_server, name: str, tab: str | None = None) -> None:
    page.goto(f"{live_server.url}/programs/")
    check_axe(page)
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.locator("h1")).to_have_text(name)
    if tab:
        with page.expect_navigation():
            sections = page.get_by_role("navigation", name="Program sections")
            sections.get_by_role("link", name=tab).click()
    page.wait_for_load_state("load")  # site.js (deferred) has wired the page up


def test_create_configure_and_archive_a_program(coordinator: Page, live_server, shot):
    page = coordinator
    page.goto(f"{live_server.url}/programs/")
    shot(page, "program-list")
    page.get_by_role("link", name="New program").click()
    check_axe(page)
    page.locator("#id_name").fill("Family Child Care Mentoring")
    page.get_by_label("Sponsor organization", exact=True).select_option(index=1)
    page.get_by_label("Coaching", exact=True).check()
    page.get_by_label("Retention of new and/or experienced teachers").check()
    page.get_by_label("Infants").check()
    page.get_by_label("Toddlers").check()
    page.get_by_label("Prescribed by the initiative").check()
    page.get_by_label("Visits expected per month").fill("2")
    page.get_by_label("Ends on").fill("2020-01-01")
    page.get_by_label("Starts on").fill("2026-09-01")
    page.get_by_role("button", name="Create the program").click()
    # A bad date is explained next to the field; what was typed is kept.
    expect(
        page.get_by_text("The end date must be on or after the start date.").first
    ).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("Family Child Care Mentoring")
    check_axe(page)
    shot(page, "program-form-error")
    page.get_by_label("Ends on").fill("2027-06-30")
    page.get_by_role("button", name="Create the program").click()
    expect(page.locator("h1")).to_have_text("Family Child Care Mentoring")
    # Prescribed goals and no template yet: the dashboard says so.
    expect(page.get_by_text("Goals cannot be set yet")).to_be_visible()
    check_axe(page)
    shot(page, "new-program-dashboard")

    page.get_by_role("link", name="Configuration").click()
    check_axe(page)
    page.get_by_label("Mentoring and coaching").check()
    page.get_by_role("button", name="Save the configuration").click()
    expect(page.get_by_text("The program's configuration is saved.")).to_be_visible()
    program = Program.objects.get(name="Family Child Care Mentoring")
    assert program.support_model == "both" and program.age_groups == ["infants", "toddlers"]

    page.get_by_role("link", name="Configuration").click()
    page.get_by_role("link", name="Archive this program…").click()
    check_axe(page)
    page.get_by_role("button", name="Archive the program").click()
    expect(page.get_by_text("is archived")).to_be_visible()
    expect(page.get_by_role("link", name="Family Child Care Mentoring")).to_have_count(0)
    check_axe(page)


def test_enroll_import_a_roster_and_record_leaving(coordinator: Page, live_server, shot, tmp_path):
    page = coordinator
    open_program(page, live_server, INDUCTION, "Participants")
    check_axe(page)
    page.get_by_role("link", name="Enroll someone").first.click()
    page.get_by_label("A new person").check()
    expect(page.get_by_label("Username or email address", exact=True)).to_be_hidden()
    page.get_by_label("First name", exact=True).fill("Lena")
    page.get_by_label("Last name", exact=True).fill("Park")
    page.get_by_label("Email address", exact=True).fill("lena.park@example.org")
    page.get_by_label("Protégé", exact=True).check()
    expect(page.get_by_label("Caseload limit")).to_be_hidden()  # the mentor profile
    page.get_by_label("Reason for taking part").select_option(label="Required by the job")
    page.get_by_label("Career stage").select_option(label="Resident teacher, year 1")
    page.get_by_label("Supervisor (username or email address)").fill("supervisor")
    check_axe(page)
    shot(page, "enroll-new-protege")
    page.get_by_role("button", name="Enroll", exact=True).click()
    expect(page.get_by_text("Lena Park is enrolled as protégé.")).to_be_visible()
    lena = User.objects.get(email="lena.park@example.org")
    assert lena.protege_profile.supervisor.username == "supervisor"

    # A roster with a bad row: previewed with row-level messages, nothing saved.
    page.get_by_role("link", name="Import a roster").click()
    check_axe(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).click()
    header = open(download.value.path(), encoding="utf-8-sig").readline().strip()
    assert header.startswith("role,first_name,last_name,email")
    good = [
        "mentor,Nora,Blake,nora.blake@example.org,By choice,,,,,,yes,9,kindergarten,5",
        "protégé,Tom,Ruiz,tom.ruiz@example.org,Required by the job,,,resident 2,grades 1-3,,,,,",
    ]
    bad = tmp_path / "roster-bad.csv"
    bad.write_text("\n".join([header, *good, "coach,Zed,,zed@,,,,,,,perhaps,,,"]) + "\n")
    page.locator("#id_file").set_input_files(bad)
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_text("1 of 3 rows needs fixing. Nothing has been saved")).to_be_visible()
    expect(page.get_by_text("email: “zed@” is not a valid email address.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Save all"))).to_have_count(0)
    check_axe(page)
    shot(page, "roster-bad-preview")
    assert not User.objects.filter(email="nora.blake@example.org").exists()

    good_file = tmp_path / "roster-good.csv"
    good_file.write_text("\n".join([header, *good]) + "\n")
    page.locator("#id_file").set_input_files(good_file)
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_text("All 2 rows can be imported")).to_be_visible()
    check_axe(page)
    shot(page, "roster-good-preview")
    assert not User.objects.filter(email="nora.blake@example.org").exists()
    expect(page.get_by_text("2 to add, 0 to change, 0 staying as they are.")).to_be_visible()
    page.get_by_role("button", name="Save all 2 rows").click()
    # The task worker saves them (at once, in the tests); the import's page says so.
    expect(page.get_by_text("Imported 2 participants.")).to_be_visible()
    check_axe(page)
    page.get_by_role("link", name="See the participants").click()
    expect(page.get_by_text("Nora Blake", exact=True)).to_be_visible()
    expect(page.get_by_text("Tom Ruiz", exact=True)).to_be_visible()
    check_axe(page)

    page.get_by_role("link", name="Record leaving for Tom Ruiz").click()
    check_axe(page)
    page.locator("#id_leaving_reason").select_option(label="Moved to another site or role")
    page.get_by_role("button", name="Record leaving").click()
    expect(page.get_by_text("Recorded that Tom Ruiz left.")).to_be_visible()
    tom = Enrollment.objects.get(person__email="tom.ruiz@example.org")
    assert tom.leaving_reason == "moved"
    shot(page, "participants")


def test_match_with_ranked_suggestions_and_the_supervisor_refused(
    coordinator: Page, live_server, shot
):
    page = coordinator
    supervisor = User.objects.get(username="supervisor")
    # Enroll two more mentors in the induction program: one of them supervises the resident.
    for username in ("mentor2", "supervisor"):
        open_program(page, live_server, INDUCTION, "Participants")
        page.get_by_role("link", name="Enroll someone").first.click()
        page.get_by_label("Username or email address", exact=True).fill(username)
        page.get_by_label("Mentor", exact=True).check()
        page.get_by_role("button", name="Enroll", exact=True).click()
        # They take part in no program of this district yet: they are asked first, and accept
        # (from their home page, as tests/programs/test_enrollment_consent.py shows).
        expect(page.get_by_text("so they were asked to accept first")).to_be_visible()
        person = User.objects.get(username=username)
        enrollment_request_answer(
            enrollment_request=EnrollmentRequest.objects.pending().get(person=person),
            by=person,
            accept=True,
        )

    page.get_by_role("link", name="Match", exact=True).click()
    check_axe(page)
    expect(page.get_by_text("it offers only mentoring relationships")).to_be_visible()
    page.get_by_label("Protégé").select_option(label="Maya Thompson (matched)")
    page.get_by_role("button", name="Suggest mentors and coaches").click()
    # Maya has a mentor: one open mentoring relationship at a time, and the page says so.
    expect(page.get_by_text("already has an open mentoring relationship").first).to_be_visible()
    check_axe(page)
    # Once it has ended, she can be matched again; her supervisor is never suggested.
    SupportRelationship.objects.open().filter(
        program__name=INDUCTION, protege__username="resident"
    ).update(status="completed", ended_on=clock.today())
    page.get_by_role("button", name="Suggest mentors and coaches").click()
    mentor2 = User.objects.get(username="mentor2").get_full_name()
    suggestions = page.locator(".suggestion-list label")
    expect(suggestions).to_have_count(2)
    expect(suggestions.filter(has_text=mentor2)).to_have_count(1)
    expect(page.get_by_text(supervisor.get_full_name())).to_have_count(0)
    check_axe(page)
    shot(page, "match-suggestions")

    # Forced through a crafted POST: the supervisor is refused, with the reason.
    page.locator("input[name=mentor]").first.evaluate(
        f"el => {{ el.value = '{supervisor.pk}'; el.checked = true; }}"
    )
    page.get_by_role("button", name="Create the relationship").click()
    expect(page.get_by_text("cannot be their mentor or coach").first).to_be_visible()
    check_axe(page)
    shot(page, "match-supervisor-refused")
    assert not SupportRelationship.objects.filter(mentor=supervisor).exists()

    page.locator(".suggestion-list label", has_text=mentor2).click()
    page.get_by_role("button", name="Create the relationship").click()
    expect(page.get_by_text("now mentors Maya Thompson")).to_be_visible()
    assert SupportRelationship.objects.filter(
        mentor__username="mentor2", protege__username="resident"
    ).exists()


def test_teams_pause_resume_and_end(coordinator: Page, live_server, shot):
    page = coordinator
    open_program(page, live_server, COACHING, "Classroom teams")
    check_axe(page)
    page.get_by_role("link", name="New team").click()
    page.locator("#id_name").fill("Bluebird Room team")
    page.locator("#id_site").select_option(index=1)
    page.locator("#id_age_group").select_option(label="Preschool (3–5)")
    page.get_by_label("Maya Thompson").check()
    check_axe(page)
    page.get_by_role("button", name="Save the team").click()
    expect(page.get_by_text("Bluebird Room team is saved.")).to_be_visible()
    check_axe(page)
    shot(page, "teams")
    team = ClassroomTeam.objects.get(name="Bluebird Room team")
    assert [m.username for m in team.members.all()] == ["resident"]

    page.get_by_role("link", name="Dashboard").click()
    page.get_by_role("link", name="Pause Maya Thompson").click()
    check_axe(page)
    page.locator("#id_reason").fill("Maternity leave until March")
    page.get_by_role("button", name="Pause the relationship").click()
    expect(page.get_by_text("is paused")).to_be_visible()
    page.get_by_label("Status", exact=True).select_option("paused")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name="Resume Maya Thompson")).to_be_visible()
    check_axe(page)
    page.get_by_role("link", name="Resume Maya Thompson").click()
    check_axe(page)
    page.get_by_role("button", name="Make it active again").click()
    expect(page.get_by_text("is active again")).to_be_visible()
    page.get_by_role("link", name="End Maya Thompson").click()
    check_axe(page)
    page.get_by_label("Completed: the planned support is done").check()
    page.locator("#id_reason").fill("The coaching cycle is complete.")
    page.get_by_role("button", name="End the relationship").click()
    expect(page.get_by_text("has ended")).to_be_visible()
    ended = SupportRelationship.objects.get(mentor__username="coach", protege__username="resident")
    assert ended.status == "completed"


def test_goal_templates(coordinator: Page, live_server, shot):
    page = coordinator
    open_program(page, live_server, COACHING, "Goal templates")
    check_axe(page)
    page.get_by_role("link", name="New goal template").click()
    page.locator("#id_title").fill("Family literacy nights")
    page.get_by_label("Description").fill("Invite families to a read-aloud evening each term.")
    page.get_by_label("Focus area").select_option("Interactive read-alouds")
    check_axe(page)
    page.get_by_role("button", name="Save the template").click()
    expect(page.get_by_text("“Family literacy nights” is saved.")).to_be_visible()
    page.get_by_role("link", name="Edit Family literacy nights").click()
    page.get_by_label("Required").check()
    page.get_by_role("button", name="Save the template").click()
    page.get_by_role("link", name="Retire Family literacy nights").click()
    check_axe(page)
    page.get_by_role("button", name="Retire the template").click()
    expect(page.get_by_text("is retired")).to_be_visible()
    check_axe(page)
    shot(page, "goal-templates")


def test_role_descriptions_edit_and_print(coordinator: Page, live_server, shot):
    page = coordinator
    open_program(page, live_server, INDUCTION, "Role descriptions")
    check_axe(page)
    page.get_by_role("link", name="Edit the descriptions").click()
    check_axe(page)
    page.get_by_label("The mentor's role").fill(
        "Mentors meet their resident twice a month.\n\nThey never evaluate the resident."
    )
    page.get_by_role("button", name="Save the descriptions").click()
    # Each paragraph typed stays a paragraph.
    expect(page.locator("article p", has_text="Mentors meet")).to_have_text(
        "Mentors meet their resident twice a month."
    )
    expect(page.locator("article p", has_text="never evaluate")).to_have_text(
        "They never evaluate the resident."
    )
    check_axe(page)
    shot(page, "roles-screen")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(page.get_by_text("Read and agreed:")).to_be_visible()
    shot(page, "roles-print")


def test_dashboard_filters_charts_and_exports(coordinator: Page, live_server, shot):
    page = coordinator
    open_program(page, live_server, INDUCTION)
    check_axe(page)
    expect(page.locator("[data-chart][data-chart-ready]")).to_have_count(2)
    expect(page.get_by_role("columnheader", name="Days since contact")).to_be_visible()
    # Omar was matched ten days ago: no flag yet, but the row says when each first is due.
    expect(page.get_by_text("First goal due")).to_be_visible()
    shot(page, "dashboard")
    with page.expect_download() as download:
        page.get_by_role("link", name="Visits", exact=True).click()
    text = open(download.value.path(), encoding="utf-8-sig").read()
    assert text.startswith("visit,relationship,kind")
    # Logistics only: this program does not share its logs with coordinators.
    assert "private" not in text.lower() and "feedback" not in text.splitlines()[0]

    open_program(page, live_server, COACHING)
    page.get_by_label("Flag", exact=True).select_option(label="Observation without feedback")
    expect(page).to_have_url(re.compile(r"flag=observation"))  # filters submit on change
    rows = page.locator(".dashboard-table tbody tr")
    expect(rows).to_have_count(1)
    check_axe(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Visits", exact=True).click()
    assert "flag=observation" in download.value.url
    with open(download.value.path(), encoding="utf-8-sig", newline="") as file:
        visits = list(csv.DictReader(file))
    assert "feedback" in visits[0]  # this program shares its logs
    assert {visit["protégé or team"] for visit in visits} == {"Sunflower Room team"}
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    check_axe(page)
    shot(page, "dashboard-phone")


def test_a_mentor_leaves_and_their_caseload_is_settled_in_one_step(
    coordinator: Page, live_server, shot
):
    """Recording that the induction mentor left leads on to their caseload; all of it is
    settled with one submit, and the protégés left without a mentor wait for a match."""
    page = coordinator
    program = Program.objects.get(name=INDUCTION)
    mentor = Enrollment.objects.get(program=program, person__username="mentor")
    page.goto(f"{live_server.url}/programs/{program.code}/participants/{mentor.code}/leave/")
    check_axe(page)
    page.get_by_label("Reason for leaving").select_option("moved")
    page.get_by_role("button", name="Record leaving").click()
    expect(page.locator("h1")).to_contain_text("caseload")
    check_axe(page)
    shot(page, "caseload-reassign")
    selects = page.locator("select[name^='r-']")
    count = selects.count()
    assert count >= 1
    for index in range(count):
        selects.nth(index).select_option("end")
    page.get_by_role("button", name="Apply all").click()
    expect(page.get_by_text(f"{count} ended.")).to_be_visible()
    assert (
        not SupportRelationship.objects.open()
        .filter(program=program, mentor=mentor.person)
        .exists()
    )
    page.goto(f"{live_server.url}/programs/{program.code}/")
    waiting = page.get_by_role("region", name="Waiting for a match")
    expect(waiting.get_by_role("link", name=re.compile("Find a mentor")).first).to_be_visible()
    check_axe(page)
