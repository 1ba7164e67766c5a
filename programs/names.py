"""How a person is named on pages and in exports, from rows read with `values()`."""

from collections.abc import Iterable
from typing import NamedTuple


class Named(NamedTuple):
    first_name: str
    last_name: str
    username: str

    @property
    def name(self) -> str:
        """ "First Last", or the username when both are blank (`get_full_name() or username`)."""
        return f"{self.first_name} {self.last_name}".strip() or self.username

    @property
    def sort_key(self) -> tuple[str, str]:
        return self.last_name.lower(), self.first_name.lower()


def names_by_id(ids: Iterable[int]) -> dict[int, Named]:
    """The names of these people, by user id (one query).

    The ids are passed as a list, not a subquery or a join: at state scale PostgreSQL answered
    "the users of these 200 relationships" with a merge join over the whole users index."""
    from django.contrib.auth.models import User

    rows = User.objects.filter(pk__in=set(ids)).values_list(
        "pk", "first_name", "last_name", "username"
    )
    return {pk: Named(first, last, username) for pk, first, last, username in rows}
