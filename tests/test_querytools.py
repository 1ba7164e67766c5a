"""The query helpers shared by the apps: a page and its total in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.querytools import CountingPaginator, head_and_total
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


def test_distinct_querysets_are_refused():
    with pytest.raises(ValueError):
        CountingPaginator(Organization.objects.distinct(), 12).get_page(1)


def test_head_and_total():
    queryset = organizations(14)
    with CaptureQueriesContext(connection) as queries:
        head, total = head_and_total(queryset, 10)
    assert (len(head), total, len(queries)) == (10, 14, 1)
    assert head_and_total(Organization.objects.none(), 10) == ([], 0)
