"""The relationship pages, read in Spanish (the browser asks for it with Accept-Language): the
mentor's caseload, the relationship and visit pages, the protégé's My support, feedback and
acknowledgement, the coordinator's match page, and the email that a new log waits. Each says
its main words in Spanish and leaves none of its English behind; in English nothing changes.
(The catalogue is compiled by `make messages`, which `make test` runs first.)"""

import html
import re

import pytest
from django.urls import reverse

from relationships.models import PersonSettings
from relationships.visits import Activity
from tests import factories
from tests.test_notifications import log

pytestmark = pytest.mark.django_db

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es"}


def read(client, url, **extra) -> str:
    response = client.get(url, **SPANISH, **extra)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def visible_text(page: str) -> str:
    """The words a reader sees in the main content (tags, scripts and attributes dropped)."""
    main = page.split("<main", 1)[-1].split("</main>", 1)[0]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


@pytest.fixture
def relationship():
    return factories.SupportRelationshipFactory(
        program=factories.ProgramFactory(name="Inducción"),
        mentor=factories.MentorProfileFactory(user__first_name="Ana", user__last_name="Díaz").user,
        protege=factories.ProtegeProfileFactory(
            user__first_name="Rosa", user__last_name="Ruiz"
        ).user,
    )


def test_the_mentor_reads_the_relationship_page_in_spanish(client, relationship):
    factories.VisitFactory(relationship=relationship, logged=True)
    factories.VisitFactory(relationship=relationship)
    client.force_login(relationship.mentor)

    page = read(client, relationship.get_absolute_url())

    text = visible_text(page)
    for words in (
        "Usted es el/la mentor/a.",
        "Registrar una visita",
        "Programar una visita",
        "Visitas programadas",
        "Cronología",
        "Visita registrada",
        "Aún sin confirmar",
        "Sobre el/la docente acompañado/a",
        "Etapa profesional",
    ):
        assert words in text, words
    for english in ("Log a visit", "Schedule a visit", "Timeline", "Not yet acknowledged"):
        assert english not in text
    # The activities and dates are Spanish too.
    assert "Observación" in text
    assert re.search(r"\b(lunes|martes|miércoles|jueves|viernes|sábado|domingo)\b", text)


def test_the_same_page_stays_in_english_without_the_header(client, relationship):
    client.force_login(relationship.mentor)

    page = html.unescape(client.get(relationship.get_absolute_url()).content.decode())

    assert "Log a visit" in page
    assert "Registrar una visita" not in page


def test_the_caseload_and_the_visit_log_form_in_spanish(client, relationship):
    client.force_login(relationship.mentor)

    caseload = visible_text(read(client, reverse("relationships:caseload")))
    form = visible_text(
        read(client, reverse("relationships:visit_log_new", args=[relationship.code]))
    )

    assert "Mi carga de acompañamiento" in caseload
    assert "Última visita" in caseload
    assert "My caseload" not in caseload
    for words in ("Cuándo y dónde", "Actividades", "La conversación", "Notas privadas"):
        assert words in form, words
    assert "Coenseñanza" in form  # an activity's label
    assert "Guardar el registro" in form
    assert "Save the log" not in form


def test_the_visit_page_in_spanish(client, relationship):
    visit = factories.VisitFactory(relationship=relationship, logged=True)
    client.force_login(relationship.mentor)

    text = visible_text(read(client, visit.get_absolute_url()))

    assert "Registro de visita," in text
    assert "Lo que está funcionando" in text
    assert "Próximos pasos del/de la docente" in text
    assert " de " in text  # "jueves 3 de diciembre de 2026"
    assert "What's working" not in text


def test_the_protege_reads_my_support_in_spanish(client, relationship):
    factories.VisitFactory(relationship=relationship, logged=True)
    client.force_login(relationship.protege)

    text = visible_text(read(client, reverse("relationships:my_support")))

    for words in (
        "Mi acompañamiento",
        "Su mentor/a: Ana Díaz",
        "Quién ve qué",
        "Un registro de visita espera que usted lo lea y lo confirme.",
        "Mi retroalimentación",
    ):
        assert words in text, words
    for english in ("My support", "Who sees what", "Your mentor:"):
        assert english not in text


def test_the_protege_reads_and_acknowledges_a_log_in_spanish(client, relationship):
    visit = factories.VisitFactory(
        relationship=relationship, logged=True, activities=[Activity.CO_TEACHING]
    )
    client.force_login(relationship.protege)

    feedback = visible_text(read(client, reverse("relationships:feedback")))
    url = reverse("relationships:visit_acknowledge", args=[visit.code])
    form = visible_text(read(client, url))
    response = client.post(url, {"reflection": ""}, follow=True, **SPANISH)

    assert "Leer y confirmar" in feedback
    assert "Esperando por usted" in feedback
    assert "Leí este registro y firmo mis próximos pasos" in form
    assert "Coenseñanza" in form
    assert "Reflexión para Ana Díaz (opcional)" in form
    notice = html.unescape(response.content.decode())
    assert "Gracias. Ana Díaz puede ver que confirmó el registro del" in notice


def test_the_coordinator_matches_in_spanish(client):
    program = factories.ProgramFactory(coordinators=[factories.UserFactory()])
    client.force_login(program.coordinators.get())

    text = visible_text(read(client, reverse("relationships:match", args=[program.code])))

    assert "Asignar un acompañamiento de mentoría" in text
    assert "Sugerir mentores y coaches" in text
    assert "Suggest mentors and coaches" not in text


def test_a_new_log_email_in_spanish(mailoutbox, django_capture_on_commit_callbacks, relationship):
    # The protégé reads Spanish; the mentor who logs the visit works in English.
    PersonSettings.objects.update_or_create(user=relationship.protege, defaults={"language": "es"})
    with django_capture_on_commit_callbacks(execute=True):
        log(relationship)

    (email,) = mailoutbox
    assert email.subject.startswith("Ana Díaz registró su visita del ")
    assert email.body.startswith("Hola, Rosa Ruiz:")
    assert "registró su visita de mentoría del" in email.body
    assert "Leer y confirmar el registro:" in email.body
    assert "Hello" not in email.body
