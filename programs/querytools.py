"""Small query helpers shared by the apps."""

from django.db.models import Count, IntegerField, Subquery, Value
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
