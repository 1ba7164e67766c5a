"""Small query helpers shared by the apps."""

from collections.abc import Iterable

from django.core.paginator import Paginator
from django.db.models import Count, F, IntegerField, Q, Subquery, Value, Window
from django.db.models.functions import Coalesce
from django.db.models.lookups import In

# Far past any list's end (a page past the end shows the last page), and small enough that the
# rows before it (`(page - 1) * per_page`) fit the 64-bit OFFSET and LIMIT of a query.
MAX_PAGE = 1_000_000


def page_number(value) -> int:
    """The page asked for in `?page=`: a whole number from 1 to MAX_PAGE, or 1 when it is not a
    number. `?page=` above 2^63 was a server error where a page's offset went into a query."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def id_number(value) -> int | None:
    """A row's id from a query parameter (`?mentor=12`): a whole number from 1 to what a
    64-bit column holds, else None. A larger one was a server error in the query."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number < 2**63 else None


def subquery_count(queryset, column: str = "pk"):
    """Count the rows of a correlated queryset (one with OuterRef) as an annotation.

    Unlike Count() over joins, several of these on one query do not multiply each other.
    """
    counted = (
        queryset.order_by()
        .annotate(_group=Value(1))
        .values("_group")
        .annotate(_count=Count(column))
        .values("_count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def head_and_total(queryset, limit: int) -> tuple[list, int]:
    """The first `limit` rows of a queryset and how many rows it has in all, in one query.

    A window count (`COUNT(*) OVER ()`) is worked out before the LIMIT, so each row carries
    the total; a list that shows "10 of 42" needs no second, COUNT query."""
    rows = list(queryset.annotate(_total=Window(Count("pk")))[:limit])
    return rows, (rows[0]._total if rows else 0)


class CountingPaginator(Paginator):
    """A Paginator for querysets whose page query also counts the rows (a window count), so a
    page costs one query, not a COUNT and then the page.

    When the page asked for is past the end it falls back to Django's way: count, then fetch
    the last page; an empty first page needs neither (the list is empty). Not for DISTINCT
    querysets (the window would count the rows before DISTINCT folds them) nor with
    orphans."""

    def get_page(self, number):
        queryset = self.object_list
        if queryset.query.distinct or self.orphans:
            raise ValueError("CountingPaginator counts plain querysets, without orphans.")
        number = page_number(number)
        bottom = (number - 1) * self.per_page
        counted = queryset.annotate(_total=Window(Count("pk")))
        rows = list(counted[bottom : bottom + self.per_page])
        if not rows and bottom == 0 and self.allow_empty_first_page:
            # The first page is empty: so is the list (no COUNT needed to know it).
            self.__dict__["count"] = 0
            return self._get_page([], 1, self)
        if not rows:
            return super().get_page(number)
        self.__dict__["count"] = rows[0]._total  # Paginator.count is a cached_property
        return self._get_page(rows, number, self)


class _AnyOf(In):
    """`column IN (...)` for a long list of ids: on PostgreSQL `column = ANY(%s)` with the list
    as one array parameter, so that neither Django nor the database handles a parameter per
    id (a state's leader counts hundreds of organizations); elsewhere, IN as usual."""

    prepare_rhs = False  # ids already

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        # The array as its text ('{1,2,3}'): psycopg adapts a str at once, where it dumps a
        # list of ints one by one in Python (a few ms for a big program's 2,500 relationships).
        array = "{" + ",".join(str(int(pk)) for pk in self.rhs) + "}"
        return f"{lhs} = ANY(%s::bigint[])", (*lhs_params, array)


def any_of(field: str, ids: Iterable[int]) -> Q:
    """`Q(<field>__in=ids)`, cheap for hundreds of ids (`_AnyOf`)."""
    return Q(_AnyOf(F(field), list(ids)))
