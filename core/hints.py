"""Short hints that go under form fields."""

NO_CHILD_NAMES = "Don't name children: say “a child” or “a student”."


def no_child_names(help_text: str = "") -> str:
    """A free-text field's help text, with the reminder not to name children: the words people
    write are kept (docs/design.md, Retention), and children never agreed to be in them."""
    return f"{help_text} {NO_CHILD_NAMES}".strip()
