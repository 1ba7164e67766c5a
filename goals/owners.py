"""Who an action step is for, in words: the people's names, never role words.

A step is the mentor's or coach's, the protégé's, or both; a team's step is the team's, not one
member's. The reader sees "(you)" by their own name, and "your team" for their own team.
"""

from goals.models import ActionStep
from relationships.models import SupportRelationship


def step_owner(who: str, relationship: SupportRelationship, reader_role: str | None) -> str:
    """`who` (ActionStep.Who) of `relationship`, for a reader who is its "mentor", its
    "protege" (or a member of its team), or neither."""
    parts = []
    if who != ActionStep.Who.PROTEGE:
        you = " (you)" if reader_role == "mentor" else ""
        parts.append(f"{relationship.mentor_name}{you}")
    if who != ActionStep.Who.MENTOR:
        if relationship.is_team:
            parts.append("your team" if reader_role == "protege" else "the team")
        else:
            you = " (you)" if reader_role == "protege" else ""
            parts.append(f"{relationship.supported_name}{you}")
    text = " and ".join(parts)
    return text[:1].upper() + text[1:]


def owner_choices(
    relationship: SupportRelationship, reader_role: str | None
) -> list[tuple[str, str]]:
    """The choices of a step's "who", by name."""
    return [(who, step_owner(who, relationship, reader_role)) for who in ActionStep.Who.values]
