"""What every page says about itself and how its forms are built, on every page of the
permission matrix as every demo person who may open it:

- a <title> of at most 60 characters (they are read first by screen readers, and shown on tabs
  and in search results), which base.html keeps short when a long name would make it longer;
- one meta description, and the main pages a description of their own;
- exactly one CSRF token in each form that posts, none in a form that gets (the token would
  land in the address), and no form inside another.
"""

import html
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.template import Context, Template
from django.urls import resolve

from tests.matrix.world import ROLES
from tests.sweeps.world import ANONYMOUS

MAX_TITLE = 60

# Pages people land on or come back to: each says in its own words what it is for.
MAIN_PAGES = {
    "home",
    "help",
    "accessibility",
    "login",
    "programs:list",
    "programs:detail",
    "relationships:caseload",
    "relationships:calendar",
    "relationships:my_support",
    "relationships:feedback",
    "relationships:settings",
}


class Head(HTMLParser):
    """The title, the meta descriptions and each form's method and CSRF tokens of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.titles: list[str] = []
        self.descriptions: list[str] = []
        self.forms: list[dict] = []  # {"method", "tokens", "nested"}
        self._open_forms: list[dict] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "title":
            self._in_title = True
            self.titles.append("")
        elif tag == "meta" and attributes.get("name") == "description":
            self.descriptions.append(attributes.get("content") or "")
        elif tag == "form":
            form = {
                "method": (attributes.get("method") or "get").lower(),
                "tokens": 0,
                "nested": bool(self._open_forms),
                "action": attributes.get("action", ""),
            }
            self.forms.append(form)
            self._open_forms.append(form)
        elif tag == "input" and attributes.get("name") == "csrfmiddlewaretoken":
            for form in self._open_forms[:1]:
                form["tokens"] += 1

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "form" and self._open_forms:
            self._open_forms.pop()

    def handle_data(self, data):
        if self._in_title:
            self.titles[-1] += data


def read_head(content: str) -> Head:
    head = Head()
    head.feed(content)
    return head


def csrf_exempt(url: str) -> bool:
    """Whether the view at `url` takes posts without a token (the emails' one-click unsubscribe)."""
    return getattr(resolve(urlsplit(url).path).func, "csrf_exempt", False)


def form_problems(head: Head, url: str) -> list[str]:
    problems = []
    for form in head.forms:
        exempt = csrf_exempt(form["action"] or url)
        where = f"form {form['method'].upper()} {form['action'] or '(this page)'}"
        if form["nested"]:
            problems.append(f"{where} is inside another form")
        elif form["method"] == "post" and form["tokens"] != (0 if exempt else 1):
            problems.append(f"{where} has {form['tokens']} CSRF tokens")
        elif form["method"] == "get" and form["tokens"]:
            problems.append(f"{where} would put its CSRF token in the address")
    return problems


def head_problems(head: Head) -> list[str]:
    titles = [" ".join(html.unescape(title).split()) for title in head.titles]
    problems = []
    if len(titles) != 1 or not titles[0] or len(titles[0]) > MAX_TITLE:
        problems.append(f"title {titles}")
    if len(head.descriptions) != 1 or not head.descriptions[0].strip():
        problems.append(f"descriptions {head.descriptions}")
    return problems


def heads(world, pages, role: str):
    """(URL name, URL, parsed page) for each HTML page of the matrix that `role` may open."""
    for name, row in world.rows.items():
        if row.method != "get" or row.expected(role) != 200:
            continue
        page = pages.get(role, row.url)
        if page.is_html:
            yield name, row.url, read_head(page.body)


# The outsider is left out: not in the demo world, pages look to them as to anyone signed in.
@pytest.mark.parametrize("role", [role for role in ROLES if role != "outsider"])
def test_every_page_has_a_short_title_a_description_and_one_token_per_form(world, pages, role):
    problems, read = [], 0
    for name, url, head in heads(world, pages, role):
        found = head_problems(head) + form_problems(head, url)
        problems += [f"{name} as {role}: {problem}" for problem in found]
        read += 1
    assert not problems, "\n".join(problems)
    assert read, f"no page read as {role}"


def test_the_main_pages_have_a_description_of_their_own(world, pages):
    default = read_head(pages.get(ANONYMOUS, "/no-such-page/").body)  # base.html's own
    own_description, forms_seen = set(), 0
    for role in ROLES:
        if role == "outsider":
            continue
        for name, _, head in heads(world, pages, role):
            if name in MAIN_PAGES and head.descriptions != default.descriptions:
                own_description.add(name)
            forms_seen += len(head.forms)
    assert own_description == MAIN_PAGES
    assert forms_seen > 100  # the pages were read, forms and all


def test_a_long_name_is_cut_at_a_word_and_the_site_name_stays():
    template = Template("{% load titles %}{% filter short_title %}{{ name }} | Site{% endfilter %}")
    long_name = "Early Literacy Instructional Coaching for Family Child Care Providers & Aides"
    title = html.unescape(template.render(Context({"name": long_name})))
    assert len(title) <= MAX_TITLE
    assert re.fullmatch(r"Early Literacy [A-Za-z &]+[a-z]… \| Site", title), title
    assert long_name.startswith(title.removesuffix("… | Site"))
    short = html.unescape(template.render(Context({"name": "Home & <away>"})))
    assert short == "Home & <away> | Site"
