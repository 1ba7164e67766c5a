"""Importing a roster again, with supervisors and from an Excel workbook: the people already
there are updated (their details and their role), supervisors listed in the file get an
account without being enrolled or invited, the preview says row by row what is added, what
changes and what stays, and one bad row still saves nothing. Preview and save cost a fixed
number of queries, whatever the number of rows."""

import html
import io
import re

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from outbox.models import Delivery
from programs import roster
from programs.models import (
    Enrollment,
    MentorProfile,
    Organization,
    Program,
    ProtegeProfile,
    Supervision,
)
from programs.roster import COLUMNS
from programs.tasks import roster_import_save
from tests.factories import (
    EnrollmentFactory,
    EnrollmentRequestFactory,
    MentorProfileFactory,
    OrganizationFactory,
    ProtegeProfileFactory,
    UserFactory,
)
from tests.programs.coordinator_world import coordinated_program

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_file(*rows: str) -> SimpleUploadedFile:
    text = "\n".join([HEADER, *rows]) + "\n"
    return SimpleUploadedFile("roster.csv", text.encode("utf-8"), content_type="text/csv")


def xlsx_file(*rows: list) -> SimpleUploadedFile:
    """A workbook as a spreadsheet program saves one: numbers as numbers, the roster on the
    first sheet, something else on a second one."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    workbook.create_sheet("Notes").append(["not", "a", "roster"])
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("roster.xlsx", out.getvalue(), content_type=XLSX)


@pytest.fixture
def world(client):
    program, coordinator = coordinated_program(support_model=Program.SupportModel.BOTH)
    OrganizationFactory(name="Maple School")
    OrganizationFactory(name="Oak Center")
    client.force_login(coordinator)
    return program


def counts(response) -> str:
    """The preview's counts line, as read."""
    found = re.search(r'<p class="roster-counts"[^>]*>(.*?)</p>', response.content.decode(), re.S)
    assert found, "no counts"
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1)))


def import_url(program) -> str:
    return f"/programs/{program.code}/participants/import/"


def preview(client, program, upload):
    response = client.post(import_url(program), {"file": upload})
    assert response.status_code == 200
    return response


def save(client, program, response, capture_on_commit):
    """Confirm the previewed roster; the worker saves it when the request's write commits.
    The import's page, followed."""
    text = response.context["confirm_form"].initial["text"]
    with capture_on_commit(execute=True):
        confirmed = client.post(import_url(program), {"confirm": "1", "text": text})
    assert confirmed.status_code == 302
    return html.unescape(client.get(confirmed.url).content.decode())


FIRST = [
    "mentor,Maria,Lopez,maria@example.org,By choice,Maple School,,,,,yes,14,preschool,8",
    "protégé,Sam,Okafor,sam@example.org,,Maple School,Lead teacher,resident 1,kindergarten,"
    "dana@example.org,,,,",
    "protege,Ana,Reyes,ana@example.org,,,,new,toddlers,,,,,",
    "supervisor,Dana,Principal,dana@example.org,,,,,,,,,,",
]


def test_reimporting_updates_details_and_role_and_says_so_row_by_row(
    client, world, django_capture_on_commit_callbacks
):
    save(
        client, world, preview(client, world, csv_file(*FIRST)), django_capture_on_commit_callbacks
    )
    maria = User.objects.get(email="maria@example.org")
    assert Enrollment.objects.get(program=world, person=maria).role == "mentor"

    # The next roster: Maria coaches now at Oak Center, Sam is in year 2, Ana is unchanged,
    # Lee is new.
    second = [
        "coach,Maria,Lopez,maria@example.org,By choice,Oak Center,,,,,yes,14,preschool,8",
        FIRST[1].replace("resident 1", "resident 2"),
        FIRST[2],
        FIRST[3],
        "protege,Lee,Park,lee@example.org,,,,new,,,,,,",
    ]
    response = preview(client, world, csv_file(*second))
    page = html.unescape(response.content.decode())
    assert "All 5 rows can be imported" in page
    assert counts(response) == "1 to add, 2 to change, 2 staying as they are."
    assert "role: Mentor → Coach" in page
    assert "organization: Maple School → Oak Center" in page
    assert "career stage: Resident teacher, year 1 → Resident teacher, year 2" in page
    assert page.count("No change") == 2  # Ana, and Dana the supervisor
    assert Enrollment.objects.get(program=world, person=maria).role == "mentor"  # not yet

    page = save(client, world, response, django_capture_on_commit_callbacks)
    assert "Imported 1 participant." in page
    assert "Updated 2 people already in the program." in page
    (enrollment,) = Enrollment.objects.filter(program=world, person=maria)
    assert enrollment.role == "coach" and enrollment.is_current
    assert MentorProfile.objects.get(user=maria).organization.name == "Oak Center"
    assert ProtegeProfile.objects.get(user__email="sam@example.org").career_stage == "resident_2"
    assert Enrollment.objects.filter(program=world).count() == 4  # Lee added, nobody twice
    # Only Lee gets an invitation this time.
    invited = Delivery.objects.filter(kind="invitation").values_list("recipient__email", flat=True)
    assert sorted(invited) == ["ana@example.org", "lee@example.org", "maria@example.org",
                               "sam@example.org"]  # fmt: skip


def test_an_empty_cell_keeps_what_the_profile_says(
    client, world, django_capture_on_commit_callbacks
):
    person = UserFactory(email="kim@example.org", first_name="Kim", last_name="Lee")
    EnrollmentFactory(program=world, person=person, role="mentor", reason="choice")
    MentorProfileFactory(user=person, years_teaching=20, caseload_limit=5)
    response = preview(client, world, csv_file("mentor,Kim,Lee,kim@example.org,,,,,,,,,,"))
    assert counts(response) == "0 to add, 0 to change, 1 staying as it is."
    save(client, world, response, django_capture_on_commit_callbacks)
    profile = MentorProfile.objects.get(user=person)
    assert (profile.years_teaching, profile.caseload_limit, profile.currently_teaching) == (
        20,
        5,
        True,
    )
    assert Enrollment.objects.get(program=world, person=person).reason == "choice"


def test_supervisors_in_the_file_get_an_account_but_are_neither_enrolled_nor_invited(
    client, world, django_capture_on_commit_callbacks
):
    existing = UserFactory(email="head@example.org")
    rows = [
        # The supervisor's row after the protégé who names them, and before another.
        FIRST[1],
        FIRST[3],
        "protege,Bo,Diaz,bo@example.org,,,,new,,dana@example.org,,,,",
        "protege,Cy,Ng,cy@example.org,,,,new,,head@example.org,,,,",
    ]
    response = preview(client, world, csv_file(*rows))
    page = html.unescape(response.content.decode())
    assert "All 4 rows can be imported" in page
    assert "New account for a supervisor: not enrolled, not invited" in page
    page = save(client, world, response, django_capture_on_commit_callbacks)
    assert "Imported 3 participants." in page
    assert "1 supervisor got an account" in page
    assert "3 new people were sent an invitation" in page

    dana = User.objects.get(email="dana@example.org")
    assert (dana.first_name, dana.last_name, dana.has_usable_password()) == (
        "Dana",
        "Principal",
        False,
    )
    assert not Enrollment.objects.filter(person=dana).exists()
    assert not Delivery.objects.filter(recipient=dana).exists()
    assert not Delivery.objects.filter(recipient=existing).exists()
    # Recorded as the supervisor of both, so that the firewall keeps them apart.
    for email, supervisor in [("sam", dana), ("bo", dana), ("cy", existing)]:
        profile = ProtegeProfile.objects.get(user__email=f"{email}@example.org")
        assert profile.supervisor == supervisor
        assert Supervision.objects.get(protege=profile.user, ended_at__isnull=True).supervisor == (
            supervisor
        )


def test_a_changed_supervisor_closes_the_former_spell(
    client, world, django_capture_on_commit_callbacks
):
    former = UserFactory(email="former@example.org")
    sam = UserFactory(email="sam@example.org", first_name="Sam", last_name="Okafor")
    EnrollmentFactory(program=world, person=sam)
    ProtegeProfileFactory(user=sam, supervisor=former)
    response = preview(client, world, csv_file(FIRST[1], FIRST[3]))
    page = html.unescape(response.content.decode())
    assert "supervisor: former@example.org → dana@example.org" in page
    save(client, world, response, django_capture_on_commit_callbacks)
    spells = Supervision.objects.filter(protege=sam).order_by("pk")
    assert [(s.supervisor.email, s.ended_at is None) for s in spells] == [
        ("former@example.org", False),
        ("dana@example.org", True),
    ]


def test_a_supervisor_nobody_names_or_an_unknown_one_is_an_error(client, world):
    rows = [
        "supervisor,Dana,Principal,dana@example.org,,,,,,,,,,",
        "protege,Bo,Diaz,bo@example.org,,,,new,,nobody@example.org,,,,",
    ]
    page = html.unescape(preview(client, world, csv_file(*rows)).content.decode())
    assert "2 of 2 rows need fixing" in page
    assert "no protégé in the file names this supervisor" in page
    assert "nobody has the address “nobody@example.org”; add a row for them" in page


def test_one_bad_row_in_a_reimport_changes_nobody(
    client, world, django_capture_on_commit_callbacks
):
    save(
        client, world, preview(client, world, csv_file(*FIRST)), django_capture_on_commit_callbacks
    )
    rows = [FIRST[0].replace("Maple School", "Oak Center"), "protege,X,Y,bad-address,,,,,,,,,,"]
    response = preview(client, world, csv_file(*rows))
    page = html.unescape(response.content.decode())
    assert "1 of 2 rows needs fixing. Nothing has been saved" in page
    assert response.context["confirm_form"] is None
    # Nor through a crafted confirm.
    text = "\n".join([HEADER, *rows])
    response = client.post(import_url(world), {"confirm": "1", "text": text})
    assert "Nothing was saved" in response.content.decode()
    profile = MentorProfile.objects.get(user__email="maria@example.org")
    assert profile.organization.name == "Maple School"


def test_an_xlsx_workbook_is_imported_like_a_csv_file(
    client, world, django_capture_on_commit_callbacks
):
    rows = [
        ["mentor", "Maria", "Lopez", "maria@example.org", "By choice", "Maple School", None,
         None, None, None, True, 14, "preschool; kindergarten", 8],
        ["protégé", "Sam", "Okafor", "sam@example.org", None, None, "Lead teacher",
         "resident 1", "kindergarten", "dana@example.org"],
        [],  # a blank row is skipped
        ["supervisor", "Dana", "Principal", "dana@example.org"],
    ]  # fmt: skip
    response = preview(client, world, xlsx_file(*rows))
    page = html.unescape(response.content.decode())
    assert "All 3 rows can be imported" in page
    assert [row.line for row in response.context["preview"].rows] == [2, 3, 5]
    save(client, world, response, django_capture_on_commit_callbacks)
    maria = MentorProfile.objects.get(user__email="maria@example.org")
    assert (maria.years_teaching, maria.caseload_limit, maria.currently_teaching) == (14, 8, True)
    assert maria.age_groups == ["preschool", "kindergarten"]
    assert ProtegeProfile.objects.get(user__email="sam@example.org").supervisor.email == (
        "dana@example.org"
    )


def test_a_workbook_row_error_names_its_row(client, world):
    response = preview(
        client, world, xlsx_file(["mentor", "Kim", "Lee", "kim@example.org", None, None, None,
                                  None, None, None, "maybe"])
    )  # fmt: skip
    page = html.unescape(response.content.decode())
    assert "currently_teaching: say yes or no, not “maybe”." in page
    assert response.context["preview"].rows[0].line == 2


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4 binary\x00\x01",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00",  # an old .xls workbook
        b"PK\x03\x04 not really a workbook",
    ],
)
def test_a_file_that_is_neither_csv_nor_xlsx_is_explained(client, world, content):
    response = client.post(import_url(world), {"file": SimpleUploadedFile("roster.xls", content)})
    page = html.unescape(response.content.decode())
    assert "The file is neither a CSV file nor an Excel workbook (.xlsx)." in page
    assert response.context["preview"] is None


def test_the_template_comes_as_a_workbook_too(client, world):
    response = client.get(import_url(world) + "template.xlsx")
    assert response["Content-Type"] == XLSX
    assert 'filename="roster-template.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = [list(values) for values in sheet.iter_rows(values_only=True)]
    assert tuple(rows[0]) == COLUMNS
    assert "dana.principal@example.org" in rows[-1]
    # The template, uploaded as it is, previews cleanly.
    template = SimpleUploadedFile("t.xlsx", response.content, content_type=XLSX)
    assert "All 3 rows can be imported" in preview(client, world, template).content.decode()


def test_an_account_from_outside_that_was_asked_already_is_left_as_it_is(client, world):
    outsider = UserFactory(email="out@example.org", first_name="Out", last_name="Sider")
    EnrollmentRequestFactory(program=world, person=outsider, role="protege")
    response = preview(client, world, csv_file("protege,Out,Sider,out@example.org,,,,,,,,,,"))
    assert "Asked to take part already; has not answered yet" in response.content.decode()
    assert counts(response) == "0 to add, 0 to change, 1 staying as it is."


# Query counts: the same for 10 rows and for 100 --------------------------------------------------


def roster_rows(program, n: int) -> list[str]:
    """`n` rows of every kind: new mentors and coaches, new protégés with a supervisor who is
    new (listed in the file) or has an account, and people already enrolled whose details or
    role change (their profiles name an organization, which the preview compares)."""
    head = UserFactory(email=f"head{n}@example.org")
    maple = Organization.objects.get(name="Maple School")
    rows = []
    for i in range(n):
        kind = i % 5
        email = f"p{n}-{i}@example.org"
        if kind == 0:
            rows.append(f"mentor,M{i},Lopez,{email},By choice,Maple School,,,,,yes,3,preschool,4")
        elif kind == 1:
            rows.append(
                f"protege,P{i},Okafor,{email},,Maple School,,new,,sup{n}-{i}@example.org,,,,"
            )
        elif kind == 2:
            rows.append(f"supervisor,S{i},Head,sup{n}-{i - 1}@example.org,,,,,,,,,,")
        elif kind == 3:
            person = UserFactory(email=email)
            EnrollmentFactory(program=program, person=person, role="mentor")
            MentorProfileFactory(user=person, organization=maple)
            rows.append(f"coach,C{i},Lee,{email},,Oak Center,,,,,no,,,")
        else:
            person = UserFactory(email=email)
            EnrollmentFactory(program=program, person=person)
            ProtegeProfileFactory(user=person, organization=maple)
            rows.append(f"protege,Q{i},Diaz,{email},,,,resident 2,,{head.email},,,,")
    return rows


def count(callable_) -> int:
    with CaptureQueriesContext(connection) as queries:
        callable_()
    return len(queries)


def test_preview_and_save_cost_the_same_queries_for_10_rows_and_for_100(client, world):
    coordinator = world.coordinators.get()
    previews, saves = [], []
    for n in (10, 100):
        rows = roster_rows(world, n)
        upload = csv_file(*rows)
        result = {}

        def post(upload=upload, result=result):
            result["response"] = client.post(import_url(world), {"file": upload})

        previews.append(count(post))
        page = html.unescape(result["response"].content.decode())
        assert f"All {n} rows can be imported" in page
        checked = roster.preview(world, "\n".join([HEADER, *rows]), by=coordinator)
        job = roster.roster_import_queue(program=world, result=checked, by=coordinator)
        saves.append(count(lambda job=job: roster_import_save.call(job.pk)))
        job.refresh_from_db()
        assert job.status == "done", job.error
        assert (job.enrolled_count, job.updated_count, job.supervisor_count) == (
            2 * n // 5,
            2 * n // 5,
            n // 5,
        )
    assert previews[0] == previews[1], previews
    assert saves[0] == saves[1], saves
