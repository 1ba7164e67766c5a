"""The query helpers shared by the apps: a page and its total in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.querytools import CountingPaginator, any_of, head_and_total
from programs.models import Organization
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def organizations(n: int):
    OrganizationFactory.create_batch(n)
    return Organization.objects.order_by("pk")


def test_a_page_and_the_total_in_one_query():
    queryset = organizations(30)
    with CaptureQueriesContext(connection) as queries:
        page = CountingPaginator(queryset, 12).get_page("2")
        names = [organization.name for organization in page]
        assert (page.number, page.paginator.count, page.paginator.num_pages) == (2, 30, 3)
        assert page.has_previous() and page.has_next()
    assert len(queries) == 1
    assert names == [organization.name for organization in queryset[12:24]]


def test_a_page_past_the_end_or_not_a_number_is_handled_as_django_does():
    queryset = organizations(30)
    last = CountingPaginator(queryset, 12).get_page("9")
    assert (last.number, len(last)) == (3, 6)
    first = CountingPaginator(queryset, 12).get_page("page two")
    assert (first.number, len(first)) == (1, 12)


def test_an_empty_list_has_one_empty_page():
    page = CountingPaginator(Organization.objects.none(), 12).get_page(None)
    assert (page.number, page.paginator.count, list(page)) == (1, 0, [])


def test_an_empty_list_costs_one_query_not_a_count_as_well():
    with CaptureQueriesContext(connection) as queries:
        page = CountingPaginator(Organization.objects.order_by("pk"), 12).get_page("1")
        assert (page.number, page.paginator.count, page.paginator.num_pages) == (1, 0, 1)
        assert not page.has_next() and list(page) == []
    assert len(queries) == 1


def test_distinct_querysets_are_refused():
    with pytest.raises(ValueError):
        CountingPaginator(Organization.objects.distinct(), 12).get_page(1)


def test_head_and_total():
    queryset = organizations(14)
    with CaptureQueriesContext(connection) as queries:
        head, total = head_and_total(queryset, 10)
    assert (len(head), total, len(queries)) == (10, 14, 1)
    assert head_and_total(Organization.objects.none(), 10) == ([], 0)


def test_any_of_finds_the_rows_whose_column_is_one_of_the_ids():
    queryset = organizations(5)
    ids = list(queryset.values_list("pk", flat=True))
    chosen = [ids[3], ids[0], ids[3], ids[1]]  # in any order, with a repeat
    found = Organization.objects.filter(any_of("pk", chosen)).order_by("pk")
    assert list(found.values_list("pk", flat=True)) == sorted({ids[0], ids[1], ids[3]})
    assert not Organization.objects.filter(any_of("pk", [])).exists()
    assert Organization.objects.exclude(any_of("pk", chosen)).count() == 2


def test_any_of_sends_thousands_of_ids_as_one_parameter_on_postgresql():
    """A big program's 2,500 relationships: as `__in`, 2,500 placeholders for Django to prepare
    and psycopg to split; as `any_of`, one (an array) on PostgreSQL, a plain IN elsewhere."""
    organizations(2)
    ids = list(range(1, 3001))
    with CaptureQueriesContext(connection) as queries:
        assert Organization.objects.filter(any_of("pk", ids)).count() == 2
    sql = queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and " IN (" not in sql
    else:
        assert " IN (" in sql
