"""The kinds of email the site sends, each registered once by the app that writes it.

A kind knows how to write its message from the delivery's ids (`write`), whether a person may
turn it off (`optional`, with the words of its switch on the settings page), and nothing else.
The outbox (`outbox.services`) stores, sends, retries and records; it never knows what a kind
says. Apps register their kinds in `AppConfig.ready()`, so the outbox imports none of them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from outbox.models import Delivery


@dataclass(frozen=True)
class Letter:
    """What a kind writes: the subject line and the plain-text body."""

    subject: str
    body: str


@dataclass(frozen=True)
class Kind:
    name: str
    write: "Callable[[Delivery], Letter | None]"
    # The switch on the settings page ("Email me when …"); empty for mail a person cannot
    # turn off: invitations, password resets and requests to join a program.
    switch: "StrOrPromise" = ""
    # The roles (relationships/roles.py names) whose settings page shows the switch; empty
    # for everyone.
    roles: frozenset[str] = frozenset()

    @property
    def optional(self) -> bool:
        return bool(self.switch)


_kinds: dict[str, Kind] = {}


def register(*kinds: Kind) -> None:
    """Register `kinds`, in this order (the order the preferences page lists the optional ones)."""
    for kind in kinds:
        if kind.name in _kinds and _kinds[kind.name] != kind:
            raise ValueError(f"Email kind {kind.name!r} is registered twice.")
        _kinds[kind.name] = kind


def is_kind(name: str) -> bool:
    return name in _kinds


def get(name: str) -> Kind:
    return _kinds[name]


def optional_kinds(roles: frozenset[str] | None = None) -> list[Kind]:
    """The kinds a person can turn off, in the order they were registered; with `roles`, only
    those that can concern someone with these roles."""
    return [
        kind
        for kind in _kinds.values()
        if kind.optional and (roles is None or not kind.roles or kind.roles & roles)
    ]
