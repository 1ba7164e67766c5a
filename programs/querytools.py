"""Small query helpers shared by the apps."""

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
