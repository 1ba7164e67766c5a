"""The site's language: a signed-in person's own choice (their settings page), else the one
picked on the log-in page, else the browser's; emails in their recipient's language; dates in
the reader's language (docs/translation.md)."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core import clock
from core.dates import format_day
from nudges import notifications as nudges
from nudges.selectors import Waiting
from relationships import services
from relationships.models import PersonSettings
from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
SETTINGS = "/relationships/my-settings/"


def speaks(user, language: str) -> None:
    PersonSettings.objects.update_or_create(user=user, defaults={"language": language})


def test_the_log_in_page_follows_the_browser(client):
    spanish = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    english = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert '<html lang="es">' in spanish.text
    assert "Iniciar sesión" in spanish.text and "¿Olvidó su contraseña?" in spanish.text
    assert '<html lang="en">' in english.text
    assert "Forgot your password?" in english.text


def test_the_language_switch_of_the_log_in_page_works_without_javascript(client):
    page = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en")
    # One button per language, in a plain POST form.
    assert 'name="language" value="es"' in page.text

    answer = client.post(
        reverse("set_language"), {"language": "es", "next": LOGIN}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert answer.status_code == 302 and answer["Location"] == LOGIN
    assert answer.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    # The choice outlasts the browser's language.
    assert "Iniciar sesión" in client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en").text


def test_a_person_chooses_spanish_and_every_page_follows_on_every_device(client):
    person = factories.UserFactory()
    client.force_login(person)

    answer = client.post(SETTINGS, {"part": "language", "language": "es"})

    assert answer.status_code == 302
    assert answer.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert PersonSettings.objects.get(user=person).language == "es"
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="es">' in home.text and "Cerrar sesión" in home.text

    # Another device, whose browser says English: the person's choice wins from the log-in on.
    other = client.__class__()
    other.force_login(person)
    assert "Cerrar sesión" in other.get("/", HTTP_ACCEPT_LANGUAGE="en").text


def test_no_choice_follows_the_browser(client):
    person = factories.UserFactory()
    speaks(person, "es")
    client.force_login(person)

    client.post(SETTINGS, {"part": "language", "language": ""})

    assert PersonSettings.objects.get(user=person).language == ""
    assert "Log out" in client.get("/", HTTP_ACCEPT_LANGUAGE="en").text
    assert "Cerrar sesión" in client.get("/", HTTP_ACCEPT_LANGUAGE="es").text


def test_a_language_the_site_does_not_speak_is_refused(client):
    person = factories.UserFactory()
    client.force_login(person)

    page = client.post(SETTINGS, {"part": "language", "language": "fr"})

    assert page.status_code == 200
    assert "fr is not one of the available choices" in page.text
    assert PersonSettings.objects.get(user=person).language == ""


def test_the_settings_page_costs_no_more_queries_in_spanish(client):
    person = factories.UserFactory()
    client.force_login(person)
    client.get(SETTINGS)  # the settings row made
    with CaptureQueriesContext(connection) as english:
        client.get(SETTINGS)
    client.post(SETTINGS, {"part": "language", "language": "es"})
    with CaptureQueriesContext(connection) as spanish:
        page = client.get(SETTINGS)

    assert "Idioma del sitio y de sus correos" in page.text
    assert len(spanish.captured_queries) == len(english.captured_queries)


def test_one_event_emails_each_recipient_in_their_own_language(
    mailoutbox, django_capture_on_commit_callbacks
):
    relationship = factories.TeamRelationshipFactory()
    spanish, english = list(relationship.team.members.order_by("pk"))[:2]
    speaks(spanish, "es")
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_log(
            relationship=relationship,
            by=relationship.mentor,
            date=clock.today(),
            duration_minutes=45,
            feedback="Sus preguntas abrieron la conversación.",
            protege_next_steps="Probarlo con todo el grupo.",
        )

    by_address = {email.to[0]: email for email in mailoutbox}
    to_spanish, to_english = by_address[spanish.email], by_address[english.email]
    assert to_spanish.body.startswith("Hola, ")
    assert "Leer y confirmar el registro:" in to_spanish.body
    assert "registró su visita del" in to_spanish.subject
    assert to_english.body.startswith("Hello ")
    assert "Read and acknowledge the log:" in to_english.body
    # The footer, written by the outbox, too.
    assert "Dejar de recibir estos correos:" in to_spanish.body
    assert "Stop these emails:" in to_english.body


def test_a_password_reset_asked_for_in_spanish_is_written_in_spanish(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    person = factories.UserFactory(email="ana@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("password_reset"), {"email": "ana@example.org"}, HTTP_ACCEPT_LANGUAGE="es"
        )

    [email] = mailoutbox
    assert email.to == [person.email]
    assert email.subject.startswith("Elija una contraseña nueva")
    assert "Alguien (esperamos que usted) pidió un enlace" in email.body


def test_the_weekly_digest_lines_are_in_the_recipients_language():
    relationship = factories.SupportRelationshipFactory()
    item = Waiting(
        relationship=relationship, logs_to_write=2, goals_to_agree=1, steps_due=3, steps_overdue=1
    )
    with translation.override("es"):
        lines = nudges.waiting_lines(item)

    assert lines == [
        "2 visitas planificadas ya pasadas, por registrar (o por cancelar si no se realizaron)",
        "1 meta espera su acuerdo",
        "3 pasos de acción suyos vencen esta semana; 1 de ellos ya vencidos",
    ]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Monday, March 1, 2027 · Mar 1 · March 2027"),
        ("es", "lunes, 1 de marzo de 2027 · 1 mar · marzo de 2027"),
    ],
)
def test_dates_follow_the_language(language, expected):
    day = datetime.date(2027, 3, 1)
    template = Template('{{ day|date:"l, F j, Y" }} · {{ day|day:"M j" }} · {{ day|date:"F Y" }}')
    with translation.override(language):
        assert template.render(Context({"day": day})) == expected


def test_python_code_writes_dates_in_the_active_language():
    day = datetime.date(2027, 12, 31)
    with translation.override("es"):
        assert format_day(day, "F j") == "31 de diciembre"
    with translation.override("en"):
        assert format_day(day, "F j") == "December 31"


def test_times_of_day_follow_the_language():
    template = Template('{{ at|time:"g:i A" }}')
    context = Context({"at": datetime.time(15, 5)})
    with translation.override("en"):
        assert template.render(context) == "3:05 PM"
    with translation.override("es"):
        assert template.render(context) == "3:05 p.m."
