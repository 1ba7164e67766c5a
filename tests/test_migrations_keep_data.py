"""The migrations follow the layers, and moves between apps keep a database's rows: the schema
is taken back to before the move, rows are written through the models of that time, and
migrating forward finds them where the code now looks (docs/development.md, "Migrations")."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

# The apps with migrations, from the bottom up (docs/design.md, "Shape of the code").
LAYERS = {"programs": 0, "relationships": 1, "goals": 2, "privacy": 3, "audit": 3}


def _migrate(targets):
    """Migrate to `targets` and return the models of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_no_migration_depends_on_one_of_an_app_above():
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    upward = [
        (node, parent)
        for node in graph.nodes
        if node[0] in LAYERS
        for parent in graph.node_map[node].parents
        if LAYERS.get(parent.key[0], -1) > LAYERS[node[0]]
    ]
    assert upward == []


@pytest.fixture
def back_to_latest():
    """Whatever happens in the test, the next one finds the schema of today."""
    yield
    _migrate(_latest())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_profiles_moved_to_programs_keep_their_rows_history_and_supervisions():
    old = _migrate(
        [("programs", "0005_enrollment_requests"), ("relationships", "0005_supervision_history")]
    )
    User = old.get_model("auth", "User")
    protege = User.objects.create(username="protege", first_name="Pat")
    principal = User.objects.create(username="principal", first_name="Prin")
    mentor = User.objects.create(username="mentor", first_name="Mel")
    old.get_model("relationships", "MentorProfile").objects.create(
        user=mentor, credentials="CDA", caseload_limit=5, age_groups=["toddlers"]
    )
    old_profile = old.get_model("relationships", "ProtegeProfile").objects.create(
        user=protege, position="Lead teacher", supervisor=principal
    )
    old.get_model("relationships", "HistoricalProtegeProfile").objects.create(
        id=old_profile.pk, user=protege, position="Assistant", history_date="2026-01-05T10:00Z"
    )
    old.get_model("relationships", "Supervision").objects.create(
        protege=protege, supervisor=principal
    )

    _migrate(_latest())

    from programs.models import MentorProfile, ProtegeProfile, Supervision

    profile = ProtegeProfile.objects.get(user__username="protege")
    assert (profile.position, profile.supervisor.username) == ("Lead teacher", "principal")
    assert [h.position for h in profile.history.all()] == ["Assistant"]
    mentor_profile = MentorProfile.objects.get(user__username="mentor")
    assert (mentor_profile.credentials, mentor_profile.age_groups) == ("CDA", ["toddlers"])
    assert [(s.protege.username, s.supervisor.username) for s in Supervision.objects.all()] == [
        ("protege", "principal")
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_mentors_of_coaching_programs_become_coaches_and_back():
    before = [("programs", "0007_roster_import")]
    after = [("programs", "0008_enrollment_roles_mentor_and_coach")]
    old = _migrate(before)
    User = old.get_model("auth", "User")
    Organization = old.get_model("programs", "Organization")
    Program = old.get_model("programs", "Program")
    Enrollment = old.get_model("programs", "Enrollment")
    sponsor = Organization.objects.create(name="District", kind="district")
    people = {name: User.objects.create(username=name) for name in ("coach", "mentor", "both")}
    coaching = Program.objects.create(sponsor=sponsor, name="Coaching", support_model="coaching")
    combined = Program.objects.create(sponsor=sponsor, name="Combined", support_model="both")
    Enrollment.objects.create(program=coaching, person=people["coach"], role="mentor")
    Enrollment.objects.create(program=combined, person=people["mentor"], role="mentor")
    Enrollment.objects.create(program=combined, person=people["both"], role="mentor")

    new = _migrate(after)
    enrollments = new.get_model("programs", "Enrollment").objects
    roles = dict(enrollments.values_list("person__username", "role"))
    assert roles == {"coach": "coach", "mentor": "mentor", "both": "mentor"}
    enrollments.create(program_id=combined.pk, person_id=people["both"].pk, role="coach")

    back = _migrate(before).get_model("programs", "Enrollment").objects
    current = back.filter(left_on__isnull=True)
    assert sorted(current.values_list("person__username", "role")) == [
        ("both", "mentor"),
        ("coach", "mentor"),
        ("mentor", "mentor"),
    ]
    assert back.get(person__username="both", left_on__isnull=False).role == "mentor"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_observations_saved_before_their_history_keep_their_first_version():
    """Observations recorded before corrections were possible get their first version in the
    history, so that a first correction keeps what it replaces."""
    from observations.models import Observation
    from observations.services import observation_update
    from tests.observations.world import observe, pair

    relationship, tool, _ = pair()
    observation = observe(relationship, tool, [5, 4, None], note="As first written")
    _migrate([("observations", "0001_initial")])
    _migrate(_latest())

    observation = Observation.objects.get(pk=observation.pk)
    first = observation.history.get()
    assert (first.history_type, first.note, first.history_user_id) == (
        "+",
        "As first written",
        relationship.mentor_id,
    )
    assert sorted(
        (version.score for score in observation.scores.all() for version in score.history.all()),
        key=str,
    ) == [4, 5, None]
    observation_update(
        observation=observation,
        by=relationship.mentor,
        observed_on=observation.observed_on,
        visit=None,
        note="Corrected",
        scores={score.domain_id: 6 for score in observation.scores.all()},
        seen=(),
        notes={},
    )
    assert [version.note for version in observation.history.order_by("history_date")] == [
        "As first written",
        "Corrected",
    ]
