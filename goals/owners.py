"""Who an action step is for, in words: the people's names, never role words.

A step is the mentor's or coach's, the protégé's, or both; a team's step is the team's, not one
member's. The reader sees "(you)" by their own name, and "your team" for their own team.
"""

from django.utils.translation import gettext as _

from goals.models import ActionStep
from relationships.models import SupportRelationship


def step_owner(who: str, relationship: SupportRelationship, reader_role: str | None) -> str:
    """`who` (ActionStep.Who) of `relationship`, for a reader who is its "mentor", its
    "protege" (or a member of its team), or neither."""
    parts = []
    if who != ActionStep.Who.PROTEGE:
        parts.append(_named(relationship.mentor_name, you=reader_role == "mentor"))
    if who != ActionStep.Who.MENTOR:
        if relationship.is_team:
            parts.append(_("your team") if reader_role == "protege" else _("the team"))
        else:
            parts.append(_named(relationship.supported_name, you=reader_role == "protege"))
    if len(parts) == 2:
        text = _("%(first)s and %(second)s") % {"first": parts[0], "second": parts[1]}
    else:
        text = parts[0]
    return text[:1].upper() + text[1:]


def _named(name: str, *, you: bool) -> str:
    return _("%(name)s (you)") % {"name": name} if you else name


def owner_choices(
    relationship: SupportRelationship, reader_role: str | None
) -> list[tuple[str, str]]:
    """The choices of a step's "who", by name."""
    return [(who, step_owner(who, relationship, reader_role)) for who in ActionStep.Who.values]
