"""The coordinator's program pages, the role descriptions, the roster's checks and the CSV
exports in Spanish, for a browser that asks for Spanish (the English pages are every other
test's business)."""

import csv
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation

from programs.models import CareerStage, Program
from programs.role_descriptions import generate
from programs.roster import COLUMNS
from tests.factories import EnrollmentFactory, VisitFactory
from tests.programs.coordinator_world import coordinated_program, relationship_in

pytestmark = pytest.mark.django_db

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es"}


@pytest.fixture(scope="module", autouse=True)
def _compiled_catalogue():
    """The Spanish catalogue, compiled when the .mo is missing or older than the .po (the .mo
    is built, never committed)."""
    po = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        call_command("compilemessages", locale=["es"], verbosity=0, ignore_patterns=[".venv"])
    translation.trans_real._translations.clear()  # read the fresh catalogue


def spanish_page(client, url: str) -> str:
    response = client.get(url, **SPANISH)
    assert response.status_code == 200, url
    assert response["Content-Language"] == "es"
    # Long Spanish words carry soft hyphens where a narrow card may break them.
    return response.content.decode().replace("\u00ad", "")


def test_dashboard_in_spanish(client):
    program, coordinator = coordinated_program(
        name="Inducción", visits_per_month=2, minutes_per_month=120
    )
    relationship_in(program)
    client.force_login(coordinator)
    page = spanish_page(client, f"/programs/{program.code}/")
    for text in (
        "Panel: Inducción",
        "Acompañamientos abiertos",
        "Visitas este mes",
        "Metas alcanzadas",
        "Retención de docentes acompañados",
        "espera 2 visitas y 120 minutos al mes",
        "Asignar a un docente acompañado",
        "Descargar CSV:",
        "En lista de espera",
        "Carga de acompañamiento de mentores y coaches",
        "Qué significan las alertas",
    ):
        assert text in page, text
    for english in ("Open relationships", "Visits this month", "Waiting for a match"):
        assert english not in page


def test_program_list_participants_and_enrollment_in_spanish(client):
    program, coordinator = coordinated_program(name="Inducción")
    EnrollmentFactory(program=program, role="protege")
    client.force_login(coordinator)
    listing = spanish_page(client, "/programs/")
    assert "Programas que usted coordina" in listing
    assert "Docentes acompañados" in listing
    participants = spanish_page(client, f"/programs/{program.code}/participants/")
    assert "Participantes de Inducción" in participants
    assert "Inscribir a alguien" in participants
    assert "Docente acompañado/a" in participants  # the role's label
    assert "Motivo de participación" in participants
    enroll = spanish_page(client, f"/programs/{program.code}/participants/add/")
    assert "Perfil de docente acompañado/a" in enroll
    assert "Límite de carga de acompañamiento" in enroll
    assert "Someone who already has an account" not in enroll
    coordinators = spanish_page(client, f"/programs/{program.code}/coordinators/")
    assert "Coordinadores de Inducción" in coordinators
    configuration = spanish_page(client, f"/programs/{program.code}/edit/")
    assert "Dosis de acompañamiento esperada" in configuration
    assert "Confianza y visibilidad" in configuration
    close = spanish_page(client, f"/programs/{program.code}/close-year/")
    assert "Cerrar el año de Inducción" in close


def test_an_enrollment_error_comes_back_in_spanish(client):
    program, coordinator = coordinated_program()
    client.force_login(coordinator)
    response = client.post(
        f"/programs/{program.code}/participants/add/",
        {"who": "existing", "person": "nobody-here", "role": "protege"},
        **SPANISH,
    )
    page = response.content.decode()
    assert "Nadie tiene el nombre de usuario o correo electrónico “nobody-here”." in page
    assert "Para agregarla, elija “Una persona nueva”." in page


def test_generated_role_description_is_whole_spanish_sentences():
    program = coordinated_program(
        name="Inducción",
        support_model="both",
        career_stages=[CareerStage.RESIDENT_1, CareerStage.RESIDENT_2, CareerStage.RESIDENT_3],
        visits_per_month=3,
        minutes_per_month=90,
        days_to_first_visit=14,
        goal_scope=Program.GoalScope.FOCUSED,
        focus_areas="alfabetización temprana\nmanejo del aula",
    )[0]
    with translation.override("es"):
        mentor = generate(program, "mentoring")
        coach = generate(program, "coaching")
    assert "En Inducción, los mentores guían a docentes residentes de los años 1–3." in mentor
    assert "Cuente con al menos 3 visitas al mes." in mentor
    assert "Calcule alrededor de 90 minutos juntos cada mes." in mentor
    assert "La primera reunión se realiza dentro de 14 días desde la asignación." in mentor
    assert (
        "Las conversaciones vuelven una y otra vez a alfabetización temprana y manejo del aula."
        in mentor
    )
    assert "Un mentor no es un supervisor." in mentor
    assert "Inducción ofrece coaching a docentes residentes de los años 1–3." in coach
    assert "Ritmo del ciclo: 3 sesiones en el aula al mes." in coach
    assert "Hay una observación inicial a más tardar el día 14." in coach
    for english in (" and ", "visits", "Plan on", "coaches"):
        assert english not in mentor, english
    # The same program reads in English for everyone else.
    with translation.override("en"):
        assert "Plan on at least 3 visits a month." in generate(program, "mentoring")


def test_roster_preview_explains_problems_in_spanish(client):
    program, coordinator = coordinated_program()
    client.force_login(coordinator)
    header = ",".join(COLUMNS)
    rows = [
        "mentor,Kim,Lee,kim@example.org,Por decisión propia,,,,,,quizás,,,0",
        "docente,Bob,,no-es-correo,,,,,,,,,,",
    ]
    upload = SimpleUploadedFile(
        "roster.csv", ("\n".join([header, *rows]) + "\n").encode(), content_type="text/csv"
    )
    response = client.post(
        f"/programs/{program.code}/participants/import/", {"file": upload}, **SPANISH
    )
    page = response.content.decode()
    assert "2 de 2 filas necesitan corrección." in page
    assert "No se ha guardado nada" in page
    assert "currently_teaching: indique yes o no, no “quizás”." in page
    assert "caseload_limit: debe ser al menos 1." in page
    assert "last_name: obligatorio." in page
    assert "email: “no-es-correo” no es un correo electrónico válido." in page
    # A Spanish label names the reason as well as the English one does.
    assert "reason:" not in page


def export_rows(client, url: str, **headers) -> list[list[str]]:
    response = client.get(url, **headers)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(text.splitlines()))


def test_csv_headers_follow_the_coordinators_language(client):
    program, coordinator = coordinated_program(coordinators_read_shared_logs=True)
    VisitFactory(relationship=relationship_in(program), logged=True)
    client.force_login(coordinator)
    base = f"/programs/{program.code}/export"
    spanish = export_rows(client, f"{base}/relationships.csv", **SPANISH)[0]
    assert spanish[:4] == ["relación de acompañamiento", "tipo", "formato", "mentor/a o coach"]
    assert "visitas esperadas por mes" in spanish
    visits = export_rows(client, f"{base}/visits.csv", **SPANISH)[0]
    assert "duración (minutos)" in visits and "retroalimentación" in visits
    goals = export_rows(client, f"{base}/goals.csv", **SPANISH)[0]
    assert "docente acompañado/a o equipo" in goals and "cómo se mide el progreso" in goals
    english = export_rows(client, f"{base}/relationships.csv")[0]
    assert english[:4] == ["relationship", "kind", "format", "mentor or coach"]
