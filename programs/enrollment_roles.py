"""The roles people take part in a program as: mentor, coach or protégé. A mentor supports
mentoring relationships and a coach coaching ones (`role_for_kind`); both are the supporting
roles. Re-exported by programs/models.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EnrollmentRole(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    COACH = "coach", _("Coach")
    PROTEGE = "protege", _("Protégé")


# The roles that support a protégé: a mentor (in mentoring) or a coach (in coaching).
SUPPORTING_ROLES: tuple[str, ...] = (EnrollmentRole.MENTOR, EnrollmentRole.COACH)

# The role that supports each kind of relationship (SupportRelationship.Kind values).
ROLE_FOR_KIND: dict[str, str] = {
    "mentoring": EnrollmentRole.MENTOR,
    "coaching": EnrollmentRole.COACH,
}


def role_for_kind(kind: str) -> str:
    """The enrollment role that supports a relationship of `kind` ("mentoring" or "coaching")."""
    return ROLE_FOR_KIND[kind]
