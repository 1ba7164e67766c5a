import pytest

from programs.models import ProtegeProfile
from tests.factories import UserFactory, VisitFactory
from tests.programs.coordinator_world import coordinated_program, relationship_in


@pytest.fixture
def world(db):
    """A program whose coordinator reads shared logs, one relationship with a logged visit,
    the protégé's recorded supervisor and someone with no part in it."""
    program, coordinator = coordinated_program(coordinators_read_shared_logs=True)
    relationship = relationship_in(program)
    supervisor = UserFactory(username="boss")
    profile = ProtegeProfile.objects.get(user=relationship.protege)
    profile.supervisor = supervisor
    profile.save()
    visit = VisitFactory(relationship=relationship, logged=True)
    return {
        "program": program,
        "relationship": relationship,
        "visit": visit,
        "mentor": relationship.mentor,
        "protege": relationship.protege,
        "coordinator": coordinator,
        "supervisor": supervisor,
        "outsider": UserFactory(username="nobody"),
    }
