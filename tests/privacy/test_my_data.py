"""A person downloads everything the app holds about them, from their settings page: as JSON,
and as a zip of CSV files. Their own private text is in it; nobody else's private text is, and
nothing of the conversation in relationships they are not part of."""

import csv
import io
import json
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import clock
from observations.services import observation_record
from tests import factories
from tests.evidence.video import VideoCommentFactory, VideoFactory
from tests.observations.world import checklist, observe, rubric

pytestmark = pytest.mark.django_db

JSON_URL = reverse("privacy:my_data_json")
ZIP_URL = reverse("privacy:my_data_csv")


def download_json(client, user) -> tuple[dict, str]:
    client.force_login(user)
    response = client.get(JSON_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    return json.loads(text), text


def download_zip(client, user) -> dict[str, list[list[str]]]:
    client.force_login(user)
    response = client.get(ZIP_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    files = {}
    for name in archive.namelist():
        raw = archive.read(name)
        if name.endswith(".csv"):
            assert raw.startswith(b"\xef\xbb\xbf"), f"{name} has no byte-order mark for Excel"
            files[name] = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        else:
            files[name] = raw.decode()
    return files


@pytest.fixture
def world():
    """A protégé with a mentor (a logged visit with private notes, an acknowledgement with a
    private reflection, a goal with a step and progress), who is also on a classroom team
    whose teammate keeps a private reflection; and a relationship the protégé only reads as a
    coordinator of a program that shares logs."""
    protege = factories.ProtegeProfileFactory(
        user__username="pat", user__first_name="Pat", user__last_name="Protege"
    ).user
    mentor = factories.UserFactory(username="mo", first_name="Mo", last_name="Mentor")
    relationship = factories.SupportRelationshipFactory(mentor=mentor, protege=protege)
    visit = factories.VisitFactory(
        relationship=relationship,
        logged=True,
        feedback="FEEDBACK-to-pat",
        private_notes="MENTOR-PRIVATE-NOTE",
    )
    factories.AcknowledgementFactory(
        visit=visit,
        protege=protege,
        reflection="PAT-SHARED-REFLECTION",
        private_reflection="PAT-PRIVATE-REFLECTION",
    )
    goal = factories.GoalFactory(relationship=relationship, statement="GOAL-STATEMENT")
    factories.ActionStepFactory(goal=goal, what="STEP-WHAT")
    factories.ProgressEntryFactory(goal=goal, note="PROGRESS-NOTE", visit=visit)
    factories.EnrollmentFactory(program=relationship.program, person=protege)

    teammate = factories.ProtegeProfileFactory().user
    team = factories.ClassroomTeamFactory(members=[protege, teammate], name="Sunflower Room")
    team_relationship = factories.SupportRelationshipFactory(
        for_team=True, program=team.program, team=team
    )
    team_visit = factories.VisitFactory(
        relationship=team_relationship, logged=True, private_notes="COACH-PRIVATE-NOTE"
    )
    factories.AcknowledgementFactory(
        visit=team_visit,
        protege=teammate,
        reflection="TEAMMATE-SHARED-REFLECTION",
        private_reflection="TEAMMATE-PRIVATE-REFLECTION",
    )

    sharing = factories.ProgramFactory(coordinators_read_shared_logs=True, coordinators=[protege])
    coordinated = factories.SupportRelationshipFactory(program=sharing)
    factories.VisitFactory(relationship=coordinated, logged=True, feedback="COORDINATED-FEEDBACK")
    return {
        "protege": protege,
        "mentor": mentor,
        "teammate": teammate,
        "relationship": relationship,
        "coordinated": coordinated,
    }


def test_the_settings_page_offers_both_downloads(client, world):
    client.force_login(world["protege"])
    page = client.get(reverse("relationships:settings")).content.decode()
    assert f'href="{ZIP_URL}"' in page
    assert f'href="{JSON_URL}"' in page


def test_the_json_holds_my_records_and_my_own_private_text(client, world):
    data, text = download_json(client, world["protege"])

    assert data["account"]["username"] == "pat"
    assert data["account"]["protege_position"] == "Classroom teacher"
    assert [e["program"] for e in data["enrollments"]] == [world["relationship"].program.name]
    assert [t["team"] for t in data["classroom_teams"]] == ["Sunflower Room"]
    roles = sorted(r["my_role"] for r in data["relationships"])
    assert roles == ["protégé", "team member"]
    mine = next(r for r in data["relationships"] if r["my_role"] == "protégé")
    assert mine["mentor_or_coach"] == "Mo Mentor"
    for words in (
        "FEEDBACK-to-pat",
        "PAT-SHARED-REFLECTION",
        "PAT-PRIVATE-REFLECTION",
        "GOAL-STATEMENT",
        "STEP-WHAT",
        "PROGRESS-NOTE",
        # A teammate's reflection for the coach is shared with the team.
        "TEAMMATE-SHARED-REFLECTION",
    ):
        assert words in text


def test_the_json_never_holds_other_peoples_private_text(client, world):
    _, text = download_json(client, world["protege"])
    assert "MENTOR-PRIVATE-NOTE" not in text
    assert "COACH-PRIVATE-NOTE" not in text
    assert "TEAMMATE-PRIVATE-REFLECTION" not in text


def test_relationships_i_only_coordinate_are_not_mine(client, world):
    data, text = download_json(client, world["protege"])
    assert "COORDINATED-FEEDBACK" not in text
    codes = {r["code"] for r in data["relationships"]}
    assert str(world["coordinated"].code) not in codes


def test_a_mentor_gets_their_own_private_notes_and_not_the_private_reflection(client, world):
    _, text = download_json(client, world["mentor"])
    assert "MENTOR-PRIVATE-NOTE" in text
    assert "PAT-SHARED-REFLECTION" in text
    assert "PAT-PRIVATE-REFLECTION" not in text


def test_a_supervisor_gets_nothing_of_the_protege_they_supervise(client, world):
    supervisor = factories.UserFactory()
    profile = world["protege"].protege_profile
    profile.supervisor = supervisor
    profile.save()
    # Even as a coordinator of the protégé's program, which shares logs.
    program = world["relationship"].program
    program.coordinators_read_shared_logs = True
    program.shared_logs_since = clock.now()
    program.save()
    program.coordinators.add(supervisor)

    data, text = download_json(client, supervisor)

    assert data["relationships"] == []
    for words in ("FEEDBACK-to-pat", "PAT-SHARED-REFLECTION", "GOAL-STATEMENT", "STEP-WHAT"):
        assert words not in text


def test_the_zip_has_one_spreadsheet_per_kind(client, world):
    files = download_zip(client, world["protege"])

    assert set(files) == {
        "README.txt",
        "account.csv",
        "enrollments.csv",
        "classroom_teams.csv",
        "relationships.csv",
        "visits.csv",
        "acknowledgements.csv",
        "goals.csv",
        "action_steps.csv",
        "progress_entries.csv",
        "observations.csv",
        "observation_scores.csv",
        "observation_checks.csv",
        "attachments.csv",
        "video_comments.csv",
    }
    assert ["username", "pat"] in files["account.csv"]
    header, *rows = files["visits.csv"]
    assert "feedback to the protégé" in header
    feedback = [row[header.index("feedback to the protégé")] for row in rows]
    assert "FEEDBACK-to-pat" in feedback
    acks = files["acknowledgements.csv"]
    assert any("PAT-PRIVATE-REFLECTION" in row for row in acks)
    everything = repr(files)
    assert "MENTOR-PRIVATE-NOTE" not in everything
    assert "TEAMMATE-PRIVATE-REFLECTION" not in everything
    assert "COORDINATED-FEEDBACK" not in everything


def test_text_that_looks_like_a_formula_stays_text_in_the_spreadsheet(client, world):
    visit = world["relationship"].visits.get()
    visit.feedback = '=HYPERLINK("http://evil.example","click")'
    visit.save()

    header, *rows = download_zip(client, world["protege"])["visits.csv"]

    assert rows[0][header.index("feedback to the protégé")].startswith("'=HYPERLINK(")


def test_the_download_runs_the_same_queries_for_1_and_50_of_each_record(client):
    protege = factories.ProtegeProfileFactory().user
    relationship = factories.SupportRelationshipFactory(protege=protege)

    tool = rubric(relationship.program)

    def add_records():
        visit = factories.VisitFactory(relationship=relationship, logged=True)
        factories.AcknowledgementFactory(visit=visit, protege=protege)
        goal = factories.GoalFactory(relationship=relationship)
        visit.goals.add(goal)
        factories.ActionStepFactory(goal=goal, done=True)
        factories.ProgressEntryFactory(goal=goal, visit=visit)
        observe(relationship, tool, [5, 4, 6], visit=visit)
        video = VideoFactory(visit=visit)
        VideoCommentFactory(attachment=video, author=protege)

    def count(url) -> int:
        client.force_login(protege)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add_records()
    one = (count(JSON_URL), count(ZIP_URL))
    for _ in range(49):
        add_records()
    factories.SupportRelationshipFactory(protege=protege)
    assert (count(JSON_URL), count(ZIP_URL)) == one


def test_in_spanish_the_files_their_columns_and_the_readme_are_in_spanish(client, world):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "es"  # no language chosen: the browser's
    files = download_zip(client, world["protege"])

    assert {"LEAME.txt", "cuenta.csv", "visitas.csv", "acompañamientos.csv"} <= set(files)
    assert ["nombre de usuario", "pat"] in files["cuenta.csv"]
    header, *rows = files["visitas.csv"]
    assert "retroalimentación al/a la docente" in header
    assert "FEEDBACK-to-pat" in rows[0]
    relationships_header, *relationships = files["acompañamientos.csv"]
    roles = {row[relationships_header.index("mi rol")] for row in relationships}
    assert roles == {"docente acompañado/a", "miembro del equipo"}
    readme = files["LEAME.txt"]
    assert "Sus datos de la aplicación de mentoría y coaching" in readme
    assert "metas.csv: las metas de esos acompañamientos." in readme
    english = ("feedback to the protégé", "Your data", "username", "team member", "README")
    assert not any(words in repr(files) for words in english)


def test_in_spanish_the_json_keeps_its_keys_and_names_the_file_in_spanish(client, world):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "es"
    client.force_login(world["protege"])
    response = client.get(JSON_URL)

    assert 'filename="mis-datos-' in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["username"] == "pat"
    assert {row["my_role"] for row in data["relationships"]} == {
        "docente acompañado/a",
        "miembro del equipo",
    }
    assert data["about"].startswith("Todo lo que la aplicación de mentoría y coaching guarda")


def test_observations_files_and_video_comments_are_in_it_and_nobody_elses_private_file(
    client, world
):
    relationship, protege = world["relationship"], world["protege"]
    tool = rubric(relationship.program)
    observe(relationship, tool, [5, 4, None], note="OBSERVATION-NOTE")
    look_fors = checklist(relationship.program)
    seen = look_fors.domains.get(name="Before reading").items.get(text="Sets a purpose")
    observation_record(
        relationship=relationship,
        tool=look_fors,
        by=relationship.mentor,
        observed_on=clock.today(),
        seen={seen.pk},
    )
    video = VideoFactory(visit=relationship.visits.get(), caption="SHARED-CLIP")
    VideoCommentFactory(attachment=video, author=protege, body="PAT-COMMENT", at_seconds=42)
    VideoFactory(visit=video.visit, private=True, caption="MENTOR-PRIVATE-CLIP")
    VideoFactory(visit=video.visit, private=True, author=protege, caption="PAT-PRIVATE-CLIP")

    data, _ = download_json(client, protege)
    files = download_zip(client, protege)

    assert [row["note"] for row in data["observations"]] == ["OBSERVATION-NOTE", ""]
    scores = {row["domain"]: row["score"] for row in data["observation_scores"]}
    assert scores == {
        "Warm, responsive climate": 5,
        "Managing time and behaviour": 4,
        "Deepening thinking": None,
        "Before reading": 50,  # a checklist's domain: the share of its look-fors seen
        "During reading": 0,
    }
    checks = {row["look_for"]: row["seen"] for row in data["observation_checks"]}
    assert checks["Sets a purpose"] is True and checks["Waits 3 seconds"] is False
    captions = {row["caption"]: row["who_sees_it"] for row in data["attachments"]}
    assert captions == {
        "SHARED-CLIP": "Shared with the relationship",
        "PAT-PRIVATE-CLIP": "Private: only I can see it",
    }
    assert [(row["comment"], row["seconds"]) for row in data["video_comments"]] == [
        ("PAT-COMMENT", 42)
    ]
    header, *rows = files["attachments.csv"]
    assert "file name" in header and {row[header.index("caption")] for row in rows} == set(captions)
    assert "MENTOR-PRIVATE-CLIP" not in repr(files)
    readme = files["README.txt"]
    assert "observations.csv: the classroom observations of those relationships." in readme
