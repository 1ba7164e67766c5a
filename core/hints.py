"""Short hints that go under form fields."""

from typing import TYPE_CHECKING

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy, gettext_noop

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The English words (tests look for them); pages show them in the reader's language.
NO_CHILD_NAMES = gettext_noop("Don't name children: say “a child” or “a student”.")


def no_child_names(help_text: "StrOrPromise" = "") -> "StrOrPromise":
    """A free-text field's help text, with the reminder not to name children: the words people
    write are kept (docs/design.md, Retention), and children never agreed to be in them. Lazy,
    so that forms declared at import read in each request's language."""
    if not help_text:
        return gettext_lazy(NO_CHILD_NAMES)
    return format_lazy("{} {}", help_text, gettext_lazy(NO_CHILD_NAMES))
