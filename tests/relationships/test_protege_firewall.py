"""The supervision firewall on the protégé's side: the supervisor of the demo resident (and of
the Sunflower Room team's members) gets a 404 on every page of their relationships.

Not a hand-picked list of pages: the test below takes every URL pattern of the project and
every matrix row, and tries each with the codes of everything in those relationships (the
relationships themselves, their visits, their goals).
"""

import html

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.html import strip_tags

from goals.models import Goal
from relationships.models import SupportRelationship, Visit
from tests.matrix.world import Demo
from tests.test_permission_matrix import matrix_rows, url_names

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", verbosity=0, force=True)
    return Demo()


def supervised_relationships(supervisor: User):
    return SupportRelationship.objects.filter(
        Q(protege__protege_profile__supervisor=supervisor)
        | Q(team__members__protege_profile__supervisor=supervisor)
    ).distinct()


def sample_codes(relationships) -> dict[str, list[str]]:
    """Codes of everything in these relationships: each relationship, and of its visits and
    goals one in each status (a page that treats a logged visit and a scheduled one alike is
    tried once, not thirty times)."""
    codes = {"relationship": [], "visit": [], "goal": []}
    for relationship in relationships.order_by("pk"):
        codes["relationship"].append(str(relationship.code))
        for kind, queryset in (("visit", relationship.visits), ("goal", relationship.goals)):
            seen = set()
            for status, code in queryset.order_by("-pk").values_list("status", "code"):
                if status not in seen:
                    seen.add(status)
                    codes[kind].append(str(code))
    return codes


def code_patterns() -> list[str]:
    """Every named URL pattern that takes an object's `code`."""
    names = []
    for name in sorted(url_names()):
        try:
            reverse(name, kwargs={"code": "00000000-0000-0000-0000-000000000000"})
        except NoReverseMatch:
            continue
        names.append(name)
    return names


def accepted_kinds(client, name: str, probes: dict[str, str], people: list[User]) -> list[str]:
    """Which kind of object's code this pattern takes: the kinds that someone allowed in the
    relationship reaches (anything but a 404). All kinds when nobody does."""
    for person in people:
        client.force_login(person)
        kinds = [
            kind
            for kind, code in probes.items()
            if client.get(reverse(name, kwargs={"code": code})).status_code != 404
        ]
        if kinds:
            return kinds
    return list(probes)


def test_the_supervisor_gets_not_found_on_every_page_of_the_supervised_relationships(demo, client):
    supervisor = demo.user("supervisor")
    relationships = supervised_relationships(supervisor)
    codes = sample_codes(relationships)
    assert codes["relationship"] and codes["visit"] and codes["goal"]
    induction = demo.relationship("mentor", "resident")
    probes = {
        "relationship": str(induction.code),
        "visit": str(demo.visit(induction).code),
        "goal": str(demo.goal(induction).code),
    }
    people = [demo.user(name) for name in ("resident", "mentor", "coordinator")]
    patterns = code_patterns()
    assert "relationships:visit_acknowledge" in patterns

    # 1. Every URL pattern that takes a code, with every kind of object it takes.
    wrong = []
    for name in patterns:
        for kind in accepted_kinds(client, name, probes, people):
            client.force_login(supervisor)
            for code in codes[kind]:
                url = reverse(name, kwargs={"code": code})
                for method in ("get", "post"):
                    status = getattr(client, method)(url).status_code
                    if status != 404:
                        wrong.append(f"{method.upper()} {name} {url}: {status}")
    assert not wrong, "The supervisor reached:\n" + "\n".join(wrong)

    # 2. Every matrix row about these relationships says 404 for the supervisor, and gets it.
    all_codes = [
        str(code)
        for model in (SupportRelationship, Visit, Goal)
        for code in model.objects.filter(
            pk__in=relationships.values("pk")
            if model is SupportRelationship
            else model.objects.filter(relationship__in=relationships).values("pk")
        ).values_list("code", flat=True)
    ]
    client.force_login(supervisor)
    checked = []
    for name, make_row in sorted(matrix_rows().items()):
        row = make_row(demo)
        if not any(code in row.url for code in all_codes):
            continue
        checked.append(name)
        assert row.expected("supervisor") == 404, f"{name}'s matrix row lets the supervisor in"
        status = getattr(client, row.method)(row.url, row.data).status_code
        assert status == 404, f"{name} {row.url}: {status}"
    assert "relationships:visit_acknowledge" in checked

    # 3. The supervisor's own pages hold nothing of the people they supervise.
    resident = demo.user("resident").get_full_name()
    mentors = [demo.user("mentor").get_full_name(), demo.user("coach").get_full_name()]
    for name in ("relationships:my_support", "relationships:feedback"):
        page = html.unescape(strip_tags(client.get(reverse(name)).content.decode()))
        assert resident not in page
        for mentor in mentors:
            assert mentor not in page
