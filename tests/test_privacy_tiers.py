"""The privacy tiers of docs/design.md, for each role, through the scoped querysets and the rules
predicates, which must agree with each other.

- logistics (a relationship exists, its visits and goal titles): participants, the program's
  coordinators, admins;
- shared conversation (log sections, reflections, goal details): participants, and
  coordinators only when the program shares logs;
- private (private notes, private reflections): the author alone;
- a protégé's supervisor gets nothing beyond logistics, whatever other role they hold.
"""

import datetime
from dataclasses import dataclass

import pytest
import rules
import time_machine
from django.contrib.auth.models import User

from core import clock
from goals.models import Goal
from programs.models import Program
from relationships.models import Acknowledgement, SupportRelationship, Visit
from tests import factories

pytestmark = pytest.mark.django_db


@dataclass
class World:
    program: Program
    individual: SupportRelationship
    team: SupportRelationship
    informal: SupportRelationship
    people: dict[str, User]


@pytest.fixture
def world() -> World:
    people = {
        name: factories.UserFactory(username=name)
        for name in (
            "coordinator",
            "other_coordinator",
            "mentor",
            "coach",
            "protege",
            "team_member",
            "supervisor",
            "outsider",
        )
    }
    people["admin"] = factories.UserFactory(username="admin", is_staff=True, is_superuser=True)
    program = factories.ProgramFactory(support_model="both", coordinators=[people["coordinator"]])
    factories.ProgramFactory(coordinators=[people["other_coordinator"]])
    for name in ("protege", "team_member"):
        factories.ProtegeProfileFactory(user=people[name], supervisor=people["supervisor"])
    individual = factories.SupportRelationshipFactory(
        program=program, kind="mentoring", mentor=people["mentor"], protege=people["protege"]
    )
    team = factories.ClassroomTeamFactory(members=[people["team_member"]])
    team_relationship = factories.SupportRelationshipFactory(
        program=program,
        kind="coaching",
        mentor=people["coach"],
        protege=None,
        team=team,
        format="team",
    )
    informal = factories.SupportRelationshipFactory(
        program=None, kind="mentoring", mentor=people["coach"], protege=people["protege"]
    )
    return World(program, individual, team_relationship, informal, people)


def visible(user, queryset_method: str, model=SupportRelationship) -> set:
    return set(getattr(model.objects, queryset_method)(user).values_list("pk", flat=True))


LOGISTICS = {
    "coordinator": {"individual", "team"},
    "other_coordinator": set(),
    "mentor": {"individual"},
    "coach": {"team", "informal"},
    "protege": {"individual", "informal"},
    "team_member": {"team"},
    "supervisor": set(),
    "outsider": set(),
    "admin": {"individual", "team", "informal"},
}

CONVERSATION = {
    "coordinator": set(),
    "other_coordinator": set(),
    "mentor": {"individual"},
    "coach": {"team", "informal"},
    "protege": {"individual", "informal"},
    "team_member": {"team"},
    "supervisor": set(),
    "outsider": set(),
    "admin": set(),
}


def names(world: World, pks: set) -> set[str]:
    by_pk = {
        world.individual.pk: "individual",
        world.team.pk: "team",
        world.informal.pk: "informal",
    }
    return {by_pk[pk] for pk in pks}


@pytest.mark.parametrize("role", sorted(LOGISTICS))
def test_logistics_tier(world, role):
    user = world.people[role]
    assert names(world, visible(user, "visible_to")) == LOGISTICS[role]
    for relationship in (world.individual, world.team, world.informal):
        expected = relationship.pk in visible(user, "visible_to")
        assert (
            rules.test_rule("relationships.view_supportrelationship", user, relationship)
            is expected
        )


@pytest.mark.parametrize("role", sorted(CONVERSATION))
def test_conversation_tier(world, role):
    user = world.people[role]
    assert names(world, visible(user, "conversation_visible_to")) == CONVERSATION[role]
    for relationship in (world.individual, world.team, world.informal):
        expected = relationship.pk in visible(user, "conversation_visible_to")
        assert rules.test_rule("relationships.read_conversation", user, relationship) is expected


def test_coordinators_read_shared_logs_only_when_the_program_says_so(world):
    coordinator = User.objects.get(username="coordinator")
    Program.objects.filter(pk=world.program.pk).update(
        coordinators_read_shared_logs=True, shared_logs_since=clock.now()
    )
    assert names(world, visible(coordinator, "conversation_visible_to")) == {"individual", "team"}
    assert rules.test_rule("relationships.read_conversation", coordinator, world.individual)


def test_supervisor_who_also_coordinates_gets_logistics_only(world):
    """The firewall holds whatever other role the supervisor holds."""
    supervisor = world.people["supervisor"]
    world.program.coordinators.add(supervisor)
    Program.objects.filter(pk=world.program.pk).update(
        coordinators_read_shared_logs=True, shared_logs_since=clock.now()
    )
    supervisor = User.objects.get(pk=supervisor.pk)  # fresh per-request role sets

    assert names(world, visible(supervisor, "visible_to")) == {"individual", "team"}
    assert visible(supervisor, "conversation_visible_to") == set()
    assert not rules.test_rule("relationships.read_conversation", supervisor, world.individual)
    assert not rules.test_rule("relationships.read_conversation", supervisor, world.team)


def test_visits_and_goals_follow_their_relationship(world):
    visit = factories.VisitFactory(relationship=world.individual, logged=True)
    goal = factories.GoalFactory(relationship=world.individual)
    for role, user in world.people.items():
        sees_logistics = "individual" in LOGISTICS[role]
        sees_conversation = "individual" in CONVERSATION[role]
        assert (visit.pk in visible(user, "visible_to", Visit)) is sees_logistics, role
        assert (visit.pk in visible(user, "conversation_visible_to", Visit)) is sees_conversation
        assert (goal.pk in visible(user, "visible_to", Goal)) is sees_logistics, role
        assert (goal.pk in visible(user, "conversation_visible_to", Goal)) is sees_conversation
        assert rules.test_rule("goals.read_goal", user, goal) is sees_conversation, role


def test_coordinators_read_only_what_was_written_after_sharing_began(world):
    """Querysets and rules agree: a log, a planned visit, an acknowledgement or a goal from
    before the program began sharing stays between the people in the relationship."""
    before = {
        "log": factories.VisitFactory(relationship=world.individual, logged=True),
        "planned": factories.VisitFactory(relationship=world.individual),
        "goal": factories.GoalFactory(relationship=world.individual),
    }
    before["reflection"] = factories.AcknowledgementFactory(visit=before["log"])
    with time_machine.travel(clock.now() + datetime.timedelta(days=1), tick=False):
        Program.objects.filter(pk=world.program.pk).update(
            coordinators_read_shared_logs=True, shared_logs_since=clock.now()
        )
    with time_machine.travel(clock.now() + datetime.timedelta(days=2), tick=False):
        after = {
            "log": factories.VisitFactory(relationship=world.individual, logged=True),
            # Planned before, logged after: the log's words were written after.
            "planned": before["planned"],
            "goal": factories.GoalFactory(relationship=world.individual),
        }
        after["reflection"] = factories.AcknowledgementFactory(visit=after["log"])
        after["planned"].status = Visit.Status.LOGGED
        after["planned"].duration_minutes = 30
        after["planned"].logged_at = clock.now()
        after["planned"].save()
    del before["planned"]
    models = {"log": Visit, "planned": Visit, "goal": Goal, "reflection": Acknowledgement}
    rule = {"log": "relationships.read_visit", "planned": "relationships.read_visit"}
    rule["goal"] = "goals.read_goal"

    def reads(user, name, obj) -> bool:
        method = "visible_to" if name == "reflection" else "conversation_visible_to"
        found = obj.pk in visible(user, method, models[name])
        if name in rule:
            assert rules.test_rule(rule[name], user, obj) is found, name
        return found

    coordinator = User.objects.get(username="coordinator")
    assert [name for name, obj in before.items() if reads(coordinator, name, obj)] == []
    assert [name for name, obj in after.items() if reads(coordinator, name, obj)] == list(after)
    # The people in the relationship read all of it, whenever it was written.
    for person in ("mentor", "protege"):
        user = User.objects.get(username=person)
        for written in (before, after):
            assert all(reads(user, name, obj) for name, obj in written.items()), person


def test_private_notes_are_for_their_author_alone(world):
    visit = factories.VisitFactory(relationship=world.individual, logged=True)
    readers = {
        role
        for role, user in world.people.items()
        if rules.test_rule("relationships.read_private_notes", user, visit)
    }
    assert readers == {"mentor"}


def test_programs_are_visible_to_their_people(world):
    def sees(role):
        return Program.objects.visible_to(world.people[role]).filter(pk=world.program.pk).exists()

    assert {role for role in world.people if sees(role)} == {
        "coordinator",
        "mentor",
        "coach",
        "protege",
        "team_member",
        "admin",
    }
    assert rules.test_rule("programs.manage_program", world.people["coordinator"], world.program)
    assert not rules.test_rule("programs.manage_program", world.people["mentor"], world.program)


def test_every_permission_is_also_a_rule():
    """Pages test the tiers with rules.test_rule, because has_perm lets every superuser through."""
    from rules.permissions import permissions

    app_permissions = [
        name for name in permissions if name.split(".")[0] in {"programs", "relationships", "goals"}
    ]
    assert app_permissions
    assert [name for name in app_permissions if not rules.rule_exists(name)] == []
