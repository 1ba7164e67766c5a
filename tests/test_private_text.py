"""Private notes and private reflections are encrypted at rest: a dump of the database holds
none of their words, the history tables do not hold them at all, and the migration encrypted
what was written before."""

import importlib
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import connection
from django.urls import reverse

from relationships.models import Acknowledgement, Visit
from tests import factories

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
NOTE = "PLANTED-NOTE-she-may-leave-teaching"
REFLECTION = "PLANTED-REFLECTION-i-cried-after-class"

migration = importlib.import_module("relationships.migrations.0004_encrypt_private_text")


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def dump() -> str:
    """Every value of every table, as a database dump would hold them."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            values.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(values)


def log_and_acknowledge(client) -> Visit:
    """The mentor logs a visit with private notes and edits them; the protégé acknowledges it
    with a private reflection: all through the pages."""
    relationship = factories.SupportRelationshipFactory()
    client.force_login(relationship.mentor)
    data = {
        "date": factories.in_days(0).isoformat(),
        "start_time": "09:00",
        "duration_minutes": "50",
        "feedback": "Your wait time doubled.",
        "private_notes": NOTE,
    }
    response = client.post(reverse("relationships:visit_log_new", args=[relationship.code]), data)
    assert response.status_code == 302
    visit = relationship.visits.logged().get()
    response = client.post(
        reverse("relationships:visit_edit", args=[visit.code]),
        {**data, "private_notes": NOTE + " (edited)"},
    )
    assert response.status_code == 302
    client.force_login(relationship.protege)
    response = client.post(
        reverse("relationships:visit_acknowledge", args=[visit.code]),
        {"reflection": "Thank you.", "private_reflection": REFLECTION},
    )
    assert response.status_code == 302
    return visit


def test_the_columns_hold_ciphertext_and_the_pages_the_words(client):
    visit = log_and_acknowledge(client)
    ack = Acknowledgement.objects.get(visit=visit)

    stored_note = raw("relationships_visit", "private_notes", visit.pk)
    stored_reflection = raw("relationships_acknowledgement", "private_reflection", ack.pk)
    assert "PLANTED" not in stored_note
    assert "PLANTED" not in stored_reflection
    assert stored_note.startswith("gAAAAA")  # a Fernet token

    # Their authors still read them in the app.
    client.force_login(visit.relationship.mentor)
    assert NOTE + " (edited)" in client.get(visit.get_absolute_url()).text
    client.force_login(visit.relationship.protege)
    assert REFLECTION in client.get(visit.get_absolute_url()).text


def test_a_dump_of_the_whole_database_holds_no_private_words(client):
    log_and_acknowledge(client)
    everything = dump()
    assert "Your wait time doubled." in everything  # the dump does read the log's text
    assert "PLANTED" not in everything  # but not a word of the private text, nor its history


def test_empty_private_text_stays_empty(client):
    visit = factories.VisitFactory(logged=True, private_notes="")
    assert raw("relationships_visit", "private_notes", visit.pk) == ""
    assert Visit.objects.get(pk=visit.pk).private_notes == ""


def test_the_migration_encrypts_what_was_written_before_it_and_can_undo_it():
    visit = factories.VisitFactory(logged=True, private_notes="")
    ack = factories.AcknowledgementFactory(visit=visit, private_reflection="")
    already = factories.VisitFactory(logged=True, private_notes=NOTE)
    token = raw("relationships_visit", "private_notes", already.pk)
    with connection.cursor() as cursor:  # as the columns were before: plain words
        cursor.execute(
            "UPDATE relationships_visit SET private_notes = %s WHERE id = %s", [NOTE, visit.pk]
        )
        cursor.execute(
            "UPDATE relationships_acknowledgement SET private_reflection = %s WHERE id = %s",
            [REFLECTION, ack.pk],
        )
    schema_editor = SimpleNamespace(connection=connection)

    migration.encrypt_rows(None, schema_editor)

    assert "PLANTED" not in raw("relationships_visit", "private_notes", visit.pk)
    assert raw("relationships_visit", "private_notes", already.pk) == token  # left as it was
    assert Visit.objects.get(pk=visit.pk).private_notes == NOTE
    assert Acknowledgement.objects.get(pk=ack.pk).private_reflection == REFLECTION

    migration.decrypt_rows(None, schema_editor)
    assert raw("relationships_visit", "private_notes", visit.pk) == NOTE


def run_check(**env) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_with_debug_off_the_site_refuses_to_start_without_the_key():
    result = run_check(DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "DJANGO_FIELD_ENCRYPTION_KEY is not set" in result.stderr


def test_a_key_that_is_not_a_fernet_key_is_refused():
    result = run_check(
        DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 60, DJANGO_FIELD_ENCRYPTION_KEY="short"
    )
    assert result.returncode != 0
    assert "DJANGO_FIELD_ENCRYPTION_KEY must be Fernet keys" in result.stderr
