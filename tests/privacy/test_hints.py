"""Every box where people write about a classroom reminds them not to name children: the words
are kept for years (docs/design.md, Retention), and the children never agreed to be in them."""

import html
import re

import pytest

from core.hints import NO_CHILD_NAMES
from tests import factories

pytestmark = pytest.mark.django_db


def help_texts(page: str) -> dict[str, str]:
    """Each field's help text on a page, by the field's id."""
    found = re.findall(r'id="(id_\w+)_helptext"[^>]*>(.*?)</div>', page, flags=re.S)
    return {field: html.unescape(text) for field, text in found}


def test_the_visit_log_form_asks_not_to_name_children(client):
    relationship = factories.SupportRelationshipFactory()
    client.force_login(relationship.mentor)
    page = client.get(f"/relationships/{relationship.code}/visits/log/").content.decode()
    hints = help_texts(page)
    for name in (
        "whats_working",
        "focus_challenges",
        "feedback",
        "protege_next_steps",
        "mentor_next_steps",
        "next_meeting_focus",
        "private_notes",
    ):
        assert NO_CHILD_NAMES in hints.get(f"id_{name}", ""), name


def test_the_reflections_ask_not_to_name_children(client):
    visit = factories.VisitFactory(logged=True)
    client.force_login(visit.relationship.protege)
    page = client.get(f"/relationships/visits/{visit.code}/acknowledge/").content.decode()
    hints = help_texts(page)
    assert NO_CHILD_NAMES in hints["id_reflection"]
    assert NO_CHILD_NAMES in hints["id_private_reflection"]


def test_the_goal_statement_asks_not_to_name_children(client):
    relationship = factories.SupportRelationshipFactory()
    client.force_login(relationship.mentor)
    page = client.get(f"/goals/for/{relationship.code}/new/").content.decode()
    assert NO_CHILD_NAMES in help_texts(page)["id_statement"]
