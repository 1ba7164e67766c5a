"""Small query helpers shared by the apps."""

from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, Subquery, Value, Window
from django.db.models.functions import Coalesce


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

    When the page asked for is past the end (or the list is empty) it falls back to Django's
    way: count, then fetch the last page. Not for DISTINCT querysets (the window would count
    the rows before DISTINCT folds them) nor with orphans."""

    def get_page(self, number):
        queryset = self.object_list
        if queryset.query.distinct or self.orphans:
            raise ValueError("CountingPaginator counts plain querysets, without orphans.")
        try:
            number = max(int(number), 1)
        except (TypeError, ValueError):
            number = 1
        bottom = (number - 1) * self.per_page
        counted = queryset.annotate(_total=Window(Count("pk")))
        rows = list(counted[bottom : bottom + self.per_page])
        if not rows:
            return super().get_page(number)
        self.__dict__["count"] = rows[0]._total  # Paginator.count is a cached_property
        return self._get_page(rows, number, self)
