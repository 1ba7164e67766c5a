"""Goals, goal templates, the help page and the accessibility statement in Spanish: a reader
whose browser asks for Spanish reads them in Spanish (words, dates, messages, errors), with
what people wrote left as they wrote it; a reader who asks for nothing still reads English."""

import datetime
import html as html_module
import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse

from goals.models import ActionStep
from tests.factories import (
    ActionStepFactory,
    GoalFactory,
    GoalTemplateFactory,
    ProgressEntryFactory,
    SupportRelationshipFactory,
)
from tests.programs.coordinator_world import coordinated_program

pytestmark = pytest.mark.django_db

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "es" / "LC_MESSAGES" / "django.po"
TODAY = datetime.datetime(2026, 11, 16, 15, 0, tzinfo=datetime.UTC)  # a Monday, in New York too
ES = {"HTTP_ACCEPT_LANGUAGE": "es"}


@pytest.fixture(scope="session")
def _compiled_catalogue(tmp_path_factory) -> Path:
    """The Spanish catalogue compiled into a directory of this test process's own (the .mo is
    built, not kept in the repository; parallel test processes never share the file)."""
    root = tmp_path_factory.mktemp("locale")
    messages = root / "es" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    shutil.copy(CATALOGUE, messages / "django.po")
    subprocess.run(
        [
            "msgfmt",
            "--check-format",
            "-o",
            str(messages / "django.mo"),
            str(messages / "django.po"),
        ],
        check=True,
    )
    return root


@pytest.fixture
def spanish(settings, _compiled_catalogue):
    settings.LOCALE_PATHS = [_compiled_catalogue]


@pytest.fixture
def pinned_clock():
    with time_machine.travel(TODAY, tick=False):
        yield


def _words(response) -> str:
    """The words of the page's main part (the site's header and footer are not this area's)."""
    page = response.content.decode()
    page = page[page.index("<main") : page.index("</main>")]
    page = re.sub(r"<script.*?</script>", " ", page, flags=re.S)
    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _chart(response) -> dict:
    match = re.search(
        r'<script id="goal-progress-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "no chart data on the page"
    return json.loads(match.group(1))


@pytest.fixture
def goal(pinned_clock):
    """An agreed goal with a point of progress and two steps, one the mentor's and done."""
    goal = GoalFactory(
        agreed=True,
        title="More child talk",
        baseline=Decimal("2"),
        target=Decimal("8"),
        unit="questions",
        target_date=datetime.date(2027, 1, 15),
    )
    ProgressEntryFactory(goal=goal, date=datetime.date(2026, 11, 9), value=Decimal("4.5"))
    ActionStepFactory(
        goal=goal, what="Plan three open questions", due_on=datetime.date(2026, 12, 1)
    )
    ActionStepFactory(
        goal=goal,
        who=ActionStep.Who.MENTOR,
        what="Model a read-aloud",
        done=True,
    )
    return goal


def test_the_goal_page_in_spanish_for_the_mentor(client, spanish, goal):
    client.force_login(goal.relationship.mentor)
    response = client.get(goal.get_absolute_url(), **ES)
    words = _words(response)

    for spanish_words in (
        "Acordada",  # the status
        "Colaborativa",  # the origin
        "Centrada en los niños",
        "La meta",
        "Área de enfoque",
        "Línea base",
        "Objetivo",
        "Fecha prevista 15 ene 2027",  # the date in Spanish, in Spanish order
        "9 nov 2026",
        "4,5 questions",  # the number in Spanish; what people wrote (the unit) as written
        "Plan de acción",
        "para el 1 dic",
        "(usted)",  # the reader's own step, in Spanish
        "Registrar un dato",
        "Cambiar la meta",
        "Cerrar la meta",
    ):
        assert spanish_words in words, spanish_words
    for english in ("Action plan", "Focus area", "Target date", "Record a data point", "(you)"):
        assert english not in words, english
    assert "More child talk" in words  # the goal's title, as written
    chart = _chart(response)
    assert (chart["targetLabel"], chart["baselineLabel"]) == ("Objetivo", "Línea base")
    assert chart["title"] == "Progreso hacia la meta: More child talk"


def test_the_protege_agrees_in_spanish(client, spanish, pinned_clock):
    goal = GoalFactory(title="Calm transitions")  # proposed by the mentor: waits for the protégé
    client.force_login(goal.relationship.protege)

    words = _words(client.get(goal.get_absolute_url(), **ES))
    assert "En espera de acuerdo" in words
    assert "Propuesta" in words
    assert "todavía no ha dado su acuerdo" in words
    assert "Estoy de acuerdo con esta meta" in words

    response = client.post(reverse("goals:agree", args=[goal.code]), follow=True, **ES)
    words = _words(response)
    assert "Usted dio su acuerdo: la meta ya está acordada por ambas partes." in words
    assert "Acordada" in words


def test_proposing_a_goal_in_spanish(client, spanish, pinned_clock):
    relationship = SupportRelationshipFactory()
    client.force_login(relationship.mentor)
    url = reverse("goals:create", args=[relationship.code])

    words = _words(client.get(url, **ES))
    for spanish_words in (
        "Una nueva meta, escrita en conjunto",
        "¿Es una meta PEERS",
        "Poderosa",
        "La meta, en pocas palabras",
        "Enunciado de la meta",
        "Cómo medirá el progreso",
        "Proponer la meta",
        "Volver sin guardar",
    ):
        assert spanish_words in words, spanish_words
    assert "Powerful" not in words

    missing_title = client.post(url, {"statement": "Children talk.", "title": ""}, **ES)
    assert missing_title.status_code == 200
    assert "Este campo es obligatorio." in _words(missing_title)  # Django's own, in Spanish

    response = client.post(
        url, {"title": "Child talk", "statement": "Children talk in pairs."}, follow=True, **ES
    )
    assert (
        "Meta propuesta. Quedará acordada cuando el/la docente acompañado/a también esté de "
        "acuerdo." in _words(response)
    )


def test_closing_without_a_reason_is_refused_in_spanish(client, spanish, goal):
    client.force_login(goal.relationship.mentor)
    url = reverse("goals:close", args=[goal.code])

    words = _words(client.get(url, **ES))
    assert "¿Cómo terminó?" in words
    assert "Alcanzada" in words and "No alcanzada" in words

    response = client.post(url, {"status": "closed", "reason": ""}, **ES)
    assert "Indique el motivo para cerrar la meta." in _words(response)

    response = client.post(url, {"status": "met", "reason": ""}, follow=True, **ES)
    words = _words(response)
    assert "La meta se cerró: alcanzada." in words
    assert "Esta meta está en estado «alcanzada» desde el 16 nov 2026." in words


def test_a_future_progress_point_is_refused_with_a_spanish_date(client, spanish, goal):
    client.force_login(goal.relationship.mentor)
    response = client.post(
        reverse("goals:progress", args=[goal.code]),
        {"progress-date": "2026-11-20", "progress-value": "5", "progress-note": ""},
        **ES,
    )
    assert "(hoy es 16 de noviembre)" in _words(response)


def test_the_coordinators_goal_templates_in_spanish(client, spanish, pinned_clock):
    program, coordinator = coordinated_program(coaching=True)
    template = GoalTemplateFactory(program=program, required=True)
    client.force_login(coordinator)

    words = _words(client.get(reverse("goals:template_list", args=[program.code]), **ES))
    for spanish_words in (
        f"Plantillas de meta de {program.name}",
        "Nueva plantilla de meta",
        "Área de enfoque",
        "Medida sugerida",
        "Obligatoria",
        "Retirar",
    ):
        assert spanish_words in words, spanish_words
    page = client.get(reverse("goals:template_list", args=[program.code]), **ES).content.decode()
    assert 'data-label="Medida sugerida"' in page  # the phone layout's labels too

    words = _words(client.get(reverse("goals:template_retire", args=[template.code]), **ES))
    assert f"Retirar «{template.title}»" in words
    assert "Todavía no se ha creado ninguna meta a partir de ella." in words


def test_the_help_page_in_spanish(client, spanish):
    response = client.get(reverse("help"), **ES)
    words = _words(response)
    for spanish_words in (
        "Coaching, mentoría y supervisión: ¿en qué se diferencian?",
        "En esta página",
        "De un vistazo",
        "Por qué no es supervisión",
        "Cómo mantiene este sitio la supervisión aparte",
        "Quién ve qué",
        "Conversación compartida",
        "Registrar un acompañamiento informal",
        "Esta página se basa en",
    ):
        assert spanish_words in words, spanish_words
    for english in ("At a glance", "Who sees what", "Why neither is supervision", "On this page"):
        assert english not in words, english
    page = response.content.decode()
    assert '<a href="#who-sees-what">Quién ve qué</a>' in page  # the contents still link
    assert 'data-label="Quién puede verlo"' in page
    assert "<em>Registrar un acompañamiento informal</em>" in page


def test_the_accessibility_statement_in_spanish(client, spanish, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "access@example.org"
    response = client.get("/accessibility/", **ES)
    words = _words(response)
    for spanish_words in (
        "Declaración de accesibilidad",
        "(WCAG) 2.2 en el nivel AA",
        "axe-core 4.14",
        "320 píxeles",
        "solo con el teclado",
        "Lo que sabemos que todavía no está bien",
        "El sitio está en inglés y en español.",
        "escríbanos a access@example.org",
    ):
        assert spanish_words in words, spanish_words
    assert '<a href="mailto:access@example.org">access@example.org</a>' in response.content.decode()


def test_a_reader_who_asks_for_no_language_reads_english(client, spanish, goal):
    client.force_login(goal.relationship.mentor)
    words = _words(client.get(goal.get_absolute_url()))
    assert "Action plan" in words and "Target date Jan 15, 2027" in words
    assert "4.5 questions" in words
    assert "Plan de acción" not in words
    assert "Coaching, mentoring and supervision: what is the difference?" in _words(
        client.get(reverse("help"))
    )
