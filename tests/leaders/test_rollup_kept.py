"""The roll-up kept between readers (reports/rollup/stored.py): a second look reads the kept
count; anything the figures count, once committed, makes the page count again; an out-of-date
count is shown, saying so, while the task worker counts again; the funder's PDF is exact."""

import datetime
import io
import re

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from programs.models import OrganizationLeader
from relationships import summary_refresh
from reports.models import StoredRollup
from reports.rollup import stored
from reports.rollup.figures import build_rollup
from reports.rollup.filters import Filters
from reports.rollup.scope import leader_scope
from tests.factories import GoalFactory, ProgramFactory, UserFactory, VisitFactory
from tests.leaders.world import add_relationships, district_world

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 12, 3, 12, 0, tzinfo=datetime.UTC)
DEC_2 = datetime.date(2026, 12, 2)


@pytest.fixture(autouse=True)
def kept(settings):
    settings.ROLLUP_STORED = True
    settings.ROLLUP_STORED_MAX_AGE_MINUTES = 360
    settings.ROLLUP_RECOUNT_RETRY_MINUTES = 10


@pytest.fixture(autouse=True)
def noon():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def programs_table(client, query: str = "") -> str:
    response = client.get(f"/leaders/{query}")
    assert response.status_code == 200
    html = response.content.decode()
    match = re.search(r'<table[^>]*id="table-programs".*?</table>', html, flags=re.S)
    assert match
    return match.group(0)


def total_visits(client) -> str:
    """The "All programs" row's visits logged, as the CSV has it."""
    rows = client.get("/leaders/programs.csv").content.decode().splitlines()
    return rows[-1].split(",")[3]


def test_a_second_look_reads_the_kept_count_with_the_same_figures(client):
    world = district_world(at_first=6, at_second=3)
    client.force_login(world.leader)
    with CaptureQueriesContext(connection) as first:
        counted = programs_table(client)
    with CaptureQueriesContext(connection) as second:
        again = programs_table(client)
    assert again == counted
    assert StoredRollup.objects.count() == 1
    assert len(second.captured_queries) < len(first.captured_queries) - 5
    # Two queries of the roll-up's own: the versions, then the kept count.
    reads = [q["sql"] for q in second.captured_queries if "reports_" in q["sql"]]
    assert len(reads) == 2
    page = client.get("/leaders/").content.decode()
    assert "Counted Dec. 3, 2026" in page
    assert "being counted again" not in page
    sheet = load_workbook(io.BytesIO(client.get("/leaders/programs.xlsx").content)).active
    assert "counted Dec. 3, 2026" in sheet["A2"].value


def test_a_visit_logged_makes_the_page_count_again(client, django_capture_on_commit_callbacks):
    world = district_world(at_first=6, at_second=0)
    client.force_login(world.leader)
    before = total_visits(client)
    with django_capture_on_commit_callbacks(execute=True):
        VisitFactory(relationship=world.relationships[0], logged=True, date=DEC_2)
    # The summary refresh the commit queues ran (immediate tasks); the count follows.
    assert int(total_visits(client)) == int(before) + 1


def test_writes_not_committed_leave_the_kept_count_as_it_is(client):
    """What the kept count follows is commits: a write still in its transaction (the test's)
    sends nothing, so the page reads what was kept. (The test above is the committed case.)"""
    world = district_world(at_first=6, at_second=0)
    client.force_login(world.leader)
    before = total_visits(client)
    VisitFactory(relationship=world.relationships[0], logged=True, date=DEC_2)
    assert total_visits(client) == before


def test_a_bump_or_a_summary_recount_changes_the_versions_of_the_scope_only(client):
    world = district_world(at_first=6, at_second=0)
    scope = leader_scope(world.leader)
    assert scope is not None
    start = stored.version_of(scope)
    stored.bump([world.program.pk])
    assert stored.version_of(scope) == start + 1
    summary_refresh.rebuild()  # every relationship: version 0, which every scope adds
    assert stored.version_of(scope) == start + 2
    summary_refresh.refresh([world.relationships[0].pk])
    assert stored.version_of(scope) == start + 3
    stored.bump([ProgramFactory().pk])  # a program outside the scope
    assert stored.version_of(scope) == start + 3


def test_an_out_of_date_count_is_shown_while_the_worker_counts_again(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from django.tasks import default_task_backend

    world = district_world(at_first=6, at_second=0)
    client.force_login(world.leader)
    before = total_visits(client)
    VisitFactory(relationship=world.relationships[0], logged=True, date=DEC_2)
    summary_refresh.refresh([world.relationships[0].pk])  # the worker's summary refresh
    page = client.get("/leaders/").content.decode()
    assert "the figures are being counted again" in page
    assert total_visits(client) == before  # the kept figures, meanwhile
    queued = [r for r in default_task_backend.results if r.task.name == "rollup_recount"]
    assert len(queued) == 1  # asked once, not once per look
    queued[0].task.call(*queued[0].args)  # what the worker does
    page = client.get("/leaders/").content.decode()
    assert "being counted again" not in page
    assert int(total_visits(client)) == int(before) + 1


def test_a_kept_count_is_counted_again_after_its_longest_age(client, noon):
    world = district_world(at_first=6, at_second=0)
    client.force_login(world.leader)
    programs_table(client)
    first = StoredRollup.objects.get().counted_at
    noon.shift(datetime.timedelta(hours=5, minutes=59))
    programs_table(client)
    assert StoredRollup.objects.get().counted_at == first
    noon.shift(datetime.timedelta(minutes=2))
    programs_table(client)  # the immediate backend counts at once
    assert StoredRollup.objects.get().counted_at == timezone.now()


def test_the_kept_programs_table_sorts_as_a_fresh_count_does(client):
    world = district_world(at_first=6, at_second=0)
    other = ProgramFactory(sponsor=world.district, name="Another", coordinators=[world.leader])
    add_relationships(other, world.schools[1], 8)
    client.force_login(world.leader)
    programs_table(client)  # kept, in name order
    scope = leader_scope(world.leader)
    for sort in ("1", "-1", "3", "-6", "0", "-0"):
        kept = programs_table(client, f"?sort={sort}")
        filters = Filters.this_year(NOON.date())
        fresh = build_rollup(scope, Filters(filters.starts_on, filters.ends_on, sort=sort))
        names = [row[0].text for row in fresh.table("programs").rows]
        assert [kept.index(name) for name in names] == sorted(kept.index(n) for n in names)
    assert StoredRollup.objects.count() == 1  # one count serves every order


def test_leaders_share_a_count_but_a_supervisor_never_reads_anothers(client):
    world = district_world(at_first=6, at_second=0)
    colleague = UserFactory()
    OrganizationLeader.objects.create(organization=world.district, user=colleague)
    supervisor = UserFactory()
    OrganizationLeader.objects.create(organization=world.district, user=supervisor)
    for relationship in world.relationships:
        relationship.protege.protege_profile.__class__.objects.filter(
            user=relationship.protege
        ).update(supervisor=supervisor)
    keys = {
        stored.key_of(leader_scope(user), Filters.this_year(NOON.date()), NOON.date())
        for user in (world.leader, colleague)
    }
    assert len(keys) == 1
    client.force_login(world.leader)
    programs_table(client)
    client.force_login(supervisor)
    table = programs_table(client)
    assert "withheld" in table
    assert StoredRollup.objects.count() == 2


def test_the_spanish_page_is_counted_in_spanish(client):
    world = district_world(at_first=6, at_second=0)
    client.force_login(world.leader)
    english = client.get("/leaders/").content.decode()
    spanish = client.get("/leaders/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Programs side by side" in english
    assert "Programs side by side" not in spanish
    assert StoredRollup.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_transactions_writes_bump_once_when_it_commits_and_never_when_rolled_back():
    world = district_world(at_first=6, at_second=0)
    scope = leader_scope(world.leader)
    start = stored.version_of(scope)
    with transaction.atomic():
        for relationship in world.relationships[:3]:
            GoalFactory(relationship=relationship)
        assert stored.version_of(scope) == start  # not before it commits
    assert stored.version_of(scope) == start + 1  # once, for three goals
    with pytest.raises(RuntimeError), transaction.atomic():
        GoalFactory(relationship=world.relationships[0])
        raise RuntimeError
    assert stored.version_of(scope) == start + 1
    world.district.name = "Renamed District"
    world.district.save()  # outside a transaction: at once; what every program reads
    assert stored.version_of(scope) == start + 2


def test_a_refused_filter_keeps_its_message_and_value_on_a_kept_count(client):
    world = district_world(at_first=6, at_second=0)
    client.force_login(world.leader)
    query = "?starts_on=2026-05-01&ends_on=2026-01-01&cohort=abc"
    for _ in range(2):  # counted, then read as kept
        html = client.get(f"/leaders/{query}").content.decode()
        assert "The end must be on or after the start." in html
        assert 'value="abc"' in html
    # The same filters (the refused values count as not asked), so the same kept count.
    html = client.get("/leaders/").content.decode()
    assert "The end must be on or after the start." not in html
    assert 'value="abc"' not in html
    assert StoredRollup.objects.count() == 1
