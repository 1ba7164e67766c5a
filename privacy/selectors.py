"""What the anonymize page shows about a person before an administrator confirms."""

from dataclasses import dataclass

from django.contrib.auth.models import User

from core.names import person_name
from goals.models import Goal
from privacy.models import Anonymization
from relationships.models import Acknowledgement, SupportRelationship, Visit


@dataclass(frozen=True)
class AnonymizeSummary:
    name: str
    username: str
    email: str
    anonymization: Anonymization | None
    relationships_as_mentor: int
    relationships_as_protege: int
    teams: int
    visits_written: int
    acknowledgements: int
    goals_proposed: int
    current_programs: list[str]
    coordinated_programs: list[str]


def anonymize_summary(person: User) -> AnonymizeSummary:
    return AnonymizeSummary(
        name=person_name(person),
        username=person.username,
        email=person.email,
        anonymization=Anonymization.objects.filter(person=person).select_related("done_by").first(),
        relationships_as_mentor=SupportRelationship.objects.filter(mentor=person).count(),
        relationships_as_protege=SupportRelationship.objects.filter(protege=person).count(),
        teams=person.classroom_teams.count(),
        visits_written=Visit.objects.filter(created_by=person).count(),
        acknowledgements=Acknowledgement.objects.filter(protege=person).count(),
        goals_proposed=Goal.objects.filter(created_by=person).count(),
        current_programs=sorted(
            set(person.enrollments.current().values_list("program__name", flat=True))
        ),
        coordinated_programs=list(
            person.coordinated_programs.active().values_list("name", flat=True)
        ),
    )
