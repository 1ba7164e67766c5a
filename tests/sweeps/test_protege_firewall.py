"""The supervision firewall on the protégé's side: the supervisor of the demo resident (and of
the Sunflower Room team's members) gets a 404 on every page of their relationships.

Not a hand-picked list of pages: the test below takes every URL pattern of the project and
every matrix row, and tries each with the codes of everything in those relationships (the
relationships themselves, their visits, their goals), with a GET and with a POST. The GETs are
read from the pages the sweeps share (tests/sweeps/world.py); the POSTs are sent in a test of
their own.
"""

import html

from django.contrib.auth.models import User
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.html import strip_tags

from goals.models import Goal
from relationships.models import SupportRelationship, Visit
from tests.sweeps.world import Pages, PlantedDemo
from tests.test_permission_matrix import url_names


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


def accepted_kinds(pages: Pages, name: str, probes: dict[str, str]) -> list[str]:
    """Which kind of object's code this pattern takes: the kinds that someone allowed in the
    relationship reaches (anything but a 404). All kinds when nobody does."""
    for person in ("resident", "mentor", "coordinator"):
        kinds = [
            kind
            for kind, code in probes.items()
            if pages.get(person, reverse(name, kwargs={"code": code})).status != 404
        ]
        if kinds:
            return kinds
    return list(probes)


def supervised_urls(world: PlantedDemo, pages: Pages) -> list[tuple[str, str]]:
    """(pattern name, URL) of every URL pattern that takes a code, with the code of each
    object of the supervised relationships of each kind it takes."""
    demo = world.demo
    codes = sample_codes(supervised_relationships(demo.user("supervisor")))
    assert codes["relationship"] and codes["visit"] and codes["goal"]
    induction = demo.relationship("mentor", "resident")
    probes = {
        "relationship": str(induction.code),
        "visit": str(demo.visit(induction).code),
        "goal": str(demo.goal(induction).code),
    }
    patterns = code_patterns()
    assert "relationships:visit_acknowledge" in patterns
    return [
        (name, reverse(name, kwargs={"code": code}))
        for name in patterns
        for kind in accepted_kinds(pages, name, probes)
        for code in codes[kind]
    ]


def supervised_rows(world: PlantedDemo) -> dict:
    """The matrix rows about the supervised relationships (their URL holds one of the codes)."""
    relationships = supervised_relationships(world.demo.user("supervisor"))
    all_codes = [
        str(code)
        for model in (SupportRelationship, Visit, Goal)
        for code in model.objects.filter(
            pk__in=relationships.values("pk")
            if model is SupportRelationship
            else model.objects.filter(relationship__in=relationships).values("pk")
        ).values_list("code", flat=True)
    ]
    rows = {
        name: row for name, row in world.rows.items() if any(code in row.url for code in all_codes)
    }
    for name, row in rows.items():
        assert row.expected("supervisor") == 404, f"{name}'s matrix row lets the supervisor in"
    return rows


def test_the_supervisor_gets_not_found_on_every_page_of_the_supervised_relationships(world, pages):
    # 1. Every URL pattern that takes a code, with every kind of object it takes.
    wrong = [
        f"GET {name} {url}: {status}"
        for name, url in supervised_urls(world, pages)
        if (status := pages.get("supervisor", url).status) != 404
    ]
    assert not wrong, "The supervisor reached:\n" + "\n".join(wrong)

    # 2. Every matrix row about these relationships says 404 for the supervisor, and gets it.
    rows = supervised_rows(world)
    assert "relationships:visit_acknowledge" in rows
    for name, row in rows.items():
        if row.method == "get":
            status = pages.get("supervisor", row.url, row.data).status
            assert status == 404, f"{name} {row.url}: {status}"

    # 3. The supervisor's own pages hold nothing of the people they supervise.
    demo = world.demo
    resident = demo.user("resident").get_full_name()
    mentors = [demo.user("mentor").get_full_name(), demo.user("coach").get_full_name()]
    for name in ("relationships:my_support", "relationships:feedback"):
        page = html.unescape(strip_tags(pages.get("supervisor", reverse(name)).body))
        assert resident not in page
        for mentor in mentors:
            assert mentor not in page


def test_the_supervisor_posts_to_no_page_of_the_supervised_relationships(world, pages, client):
    """Each post would change something: the supervisor gets a 404 before it could."""
    client.force_login(world.demo.user("supervisor"))
    wrong = [
        f"POST {name} {url}: {status}"
        for name, url in supervised_urls(world, pages)
        if (status := client.post(url).status_code) != 404
    ]
    for name, row in supervised_rows(world).items():
        if row.method != "get":
            status = getattr(client, row.method)(row.url, row.data).status_code
            if status != 404:
                wrong.append(f"{row.method.upper()} {name} {row.url}: {status}")
    assert not wrong, "The supervisor reached:\n" + "\n".join(wrong)
