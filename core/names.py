"""How a person is named on pages, in emails and in exports: "First Last", or the username
when both are blank; from a user, or from rows read with `values()`."""

from collections.abc import Iterable
from typing import NamedTuple

from core.querytools import any_of


def person_name(user) -> str:
    """A person's name as every page shows it."""
    return user.get_full_name() or user.username


class Named(NamedTuple):
    first_name: str
    last_name: str
    username: str

    @property
    def name(self) -> str:
        """The rule of `person_name`, for a row read with `values()`."""
        return f"{self.first_name} {self.last_name}".strip() or self.username

    @property
    def sort_key(self) -> tuple[str, str]:
        return self.last_name.lower(), self.first_name.lower()


def names_by_id(ids: Iterable[int]) -> dict[int, Named]:
    """The names of these people, by user id (one query).

    The ids are passed as a list, not a subquery or a join: at state scale PostgreSQL answered
    "the users of these 200 relationships" with a merge join over the whole users index."""
    from django.contrib.auth.models import User

    rows = User.objects.filter(any_of("pk", ids)).values_list(
        "pk", "first_name", "last_name", "username"
    )
    return {pk: Named(first, last, username) for pk, first, last, username in rows}
