"""Fetching the one object a page is about: by its code, then the page's rule.

Lists are scoped by querysets (`visible_to()`, `conversation_visible_to()`). A page about one
relationship, visit or goal asks the same question of a single row, and the rules predicates
(relationships/rules.py, goals/rules.py) encode the same tiers from the per-request role sets.
Building the scoped queryset for one row cost about a tenth of the relationship page's CPU
time at state scale (its role-set queries, then compiling a nested scope query, on every
request); a plain fetch by code is one simple query, and the predicate reads the role sets
that the page's other rules read anyway.
"""

import rules
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404


def get_permitted_or_404[M: Model](queryset: QuerySet[M], *, rule: str, user, code) -> M:
    """The object with this code if `rule` lets `user` open it; else a 404, as for an object
    that does not exist (out of scope is not found).

    `rules.test_rule`, never `has_perm`: `has_perm` lets every superuser through, while the
    workspace tiers give admins no special access.
    """
    obj = get_object_or_404(queryset, code=code)
    if not rules.test_rule(rule, user, obj):
        raise Http404(f"No {queryset.model._meta.object_name} matches the given query.")
    return obj
