"""No text anybody typed becomes markup.

Every text field people can edit, names included, gets an HTML payload; then every page of the
permission matrix (and Django admin's pages) is loaded as every demo person, and the HTML is
parsed. The payload may show as text (escaped), never as an element: a `<meta
http-equiv="refresh">` in a goal's unit once redirected the mentor's browser.

The payloads go into the sweeps' planted demo world (tests/sweeps/world.py) inside this test's
savepoint, so its pages are its own: fetched here, not from the pages the other sweeps share.
"""

from html.parser import HTMLParser

from django.apps import apps
from django.contrib import admin
from django.db import models
from django.db.models.functions import Cast, Concat
from django.urls import reverse

from core.encryption import EncryptedTextField
from tests.matrix.world import ROLES

CANARY = "<i data-canary>x</i>"
REDIRECT = '<meta http-equiv="refresh" content="0;url=https://attacker.example/">'
ESCAPED_CANARY = "&lt;i data-canary&gt;x&lt;/i&gt;"

# Text people type in the app's forms (or a coordinator's roster file). Not: choice fields,
# email addresses (validated), passwords, and Django's own permission and group names.
SKIPPED = {("auth", "permission"), ("auth", "group")}
SKIPPED_FIELDS = {"password"}


def editable_text_fields() -> list[tuple[type[models.Model], models.Field]]:
    found = []
    for model in apps.get_models():
        opts = model._meta
        if (opts.app_label, opts.model_name) in SKIPPED or hasattr(model, "instance_type"):
            continue  # `instance_type`: simple_history's historical copies
        if opts.app_label not in {"auth", "programs", "relationships", "goals"}:
            continue
        for field in opts.concrete_fields:
            if (
                isinstance(field, models.CharField | models.TextField)
                and not isinstance(field, models.EmailField)
                and not field.choices
                and field.editable
                and field.name not in SKIPPED_FIELDS
            ):
                found.append((model, field))
    return found


def plant_payloads() -> list[str]:
    """Every editable text field of every row becomes the payload (both payloads where the
    column is long enough), with the row's id so unique names stay unique."""
    planted = []
    for model, field in editable_text_fields():
        payload = CANARY
        if field.max_length is None or field.max_length >= len(CANARY + REDIRECT) + 12:
            payload += REDIRECT
        value = Concat(models.Value(payload), Cast("pk", models.CharField()))
        if isinstance(field, EncryptedTextField):
            value = payload  # a plain value, so that the field encrypts it on the way in
        model._default_manager.update(**{field.name: value})
        planted.append(f"{model._meta.label}.{field.name}")
    return planted


class Elements(HTMLParser):
    """The start tags a browser would build from the payload."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {name: value or "" for name, value in attrs}
        refresh = tag == "meta" and names.get("http-equiv", "").lower() == "refresh"
        if "data-canary" in names or refresh:
            self.found.append(self.get_starttag_text())


def payload_elements(html: str) -> list[str]:
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser.found


def admin_pages() -> list[str]:
    """Each admin list, and the change and history pages of one object of each of our models
    (Django's own user page repeats a query, which the suite's N+1 check refuses)."""
    urls = []
    for model in sorted(admin.site._registry, key=lambda m: m._meta.label):
        opts = model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        urls.append(reverse(f"{prefix}_changelist"))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None and opts.app_label != "auth":
            urls.append(reverse(f"{prefix}_change", args=[obj.pk]))
            urls.append(reverse(f"{prefix}_history", args=[obj.pk]))
    return urls


def test_no_typed_text_becomes_an_element_on_any_page(world, client):
    demo = world.demo
    # The rows find their objects by name and title, so they were read before the payloads
    # replace those (tests/sweeps/world.py); people are logged in by id for the same reason.
    pages = [row.url for row in world.rows.values() if row.method == "get"]
    people = {role: demo.user(role) for role in ROLES if role != "anonymous"}
    progress_page = reverse(
        "goals:progress", kwargs={"code": demo.goal(demo.relationship("mentor", "resident")).code}
    )
    acknowledge_page = next(url for url in pages if url.endswith("/acknowledge/"))

    planted = plant_payloads()
    assert {"goals.Goal.unit", "auth.User.first_name", "programs.Program.focus_areas"} <= set(
        planted
    )

    parsed, showing, elements = 0, {}, []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(people[role])
        urls = [*pages, progress_page] + (admin_pages() if role == "admin" else [])
        for url in urls:
            response = client.get(url)
            if not response["Content-Type"].startswith("text/html"):
                continue
            html = response.content.decode()
            parsed += 1
            found = payload_elements(html)
            if found:
                elements.append(f"{role} {url}: {found}")
            if ESCAPED_CANARY in html:
                showing.setdefault(url, set()).add(role)

    assert not elements, "Typed text became markup:\n" + "\n".join(elements)
    # The payloads did reach the pages, as text: the goal's unit in the progress form's help,
    # the coach's name in the acknowledgement form's labels, and many more.
    assert "resident" in showing[acknowledge_page]
    assert "mentor" in showing[progress_page]
    assert len(showing) > 40, sorted(showing)
    assert parsed > 500
