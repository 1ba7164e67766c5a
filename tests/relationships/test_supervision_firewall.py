"""The supervision firewall under every edit (docs/design.md, "The supervision firewall").

The two attacks of the security review, replayed through the pages; who may record or change a
protégé's supervisor; the former supervisor's period, with the clock moved; and the protégé
being shown every change.
"""

import datetime
import html

import pytest
import rules
import time_machine
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from core import clock
from programs.models import Enrollment, ProtegeProfile, Supervision
from programs.profiles_services import protege_profile_save
from relationships.models import SupportRelationship
from tests import factories
from tests.programs.coordinator_world import coordinated_program, plant_secrets, relationship_in
from tests.relationships.test_coordinator_matching import match_url, post_data, suggestions_page

pytestmark = pytest.mark.django_db

MY_SUPPORT = "/relationships/my-support/"


def profile_url(program, enrollment) -> str:
    return f"/programs/{program.code}/participants/{enrollment.code}/profile/"


def profile_form(**changes) -> dict:
    data = {"position": "Lead teacher", "career_stage": "resident_1", "age_group_taught": ""}
    return {**data, **changes}


def text_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return html.unescape(response.content.decode())


def exports(client, program) -> str:
    return "".join(
        text_of(client, f"/programs/{program.code}/export/{what}.csv")
        for what in ("visits", "goals")
    )


def supervised_protege(program, supervisor, **user):
    """A protégé of `program` whose recorded supervisor is `supervisor`: (user, enrollment)."""
    protege = factories.ProtegeProfileFactory(supervisor=supervisor, **user).user
    return protege, factories.EnrollmentFactory(program=program, person=protege)


def enrolled_mentor(program, user):
    factories.MentorProfileFactory(user=user)
    for role in program.offered_roles:
        if role != Enrollment.Role.PROTEGE:
            factories.EnrollmentFactory(program=program, person=user, role=role)
    return user


# The attacks -------------------------------------------------------------------------------


def test_attack_1_a_coordinator_cannot_enroll_another_program_s_protege_and_clear_their_supervisor(
    client,
):
    """A coordinator of program A enrolled program B's protégé by username, cleared their
    supervisor, and B's coordinator then matched the protégé with that supervisor."""
    program_b, coordinator_b = coordinated_program(coordinator=factories.UserFactory())
    program_a, coordinator_a = coordinated_program(coordinator=factories.UserFactory())
    supervisor = enrolled_mentor(program_b, factories.UserFactory(first_name="Dana"))
    protege, enrollment_b = supervised_protege(
        program_b, supervisor, user__username="taylor", position="Assistant teacher"
    )

    client.force_login(coordinator_a)
    client.post(
        f"/programs/{program_a.code}/participants/add/",
        {"who": "existing", "person": "taylor", "role": "protege", "career_stage": "new"},
    )
    # Not enrolled: asked first. Program A's coordinator reaches none of their details.
    assert not Enrollment.objects.filter(program=program_a, person=protege).exists()
    page = text_of(client, f"/programs/{program_a.code}/participants/?state=all")
    assert protege.email not in page and "Assistant teacher" not in page
    for enrollment in Enrollment.objects.filter(person=protege):
        url = profile_url(program_a, enrollment)
        assert client.post(url, profile_form(supervisor="")).status_code == 404
    assert ProtegeProfile.objects.get(user=protege).supervisor == supervisor

    client.force_login(coordinator_b)
    page = client.post(match_url(program_b), post_data(enrollment_b, supervisor)).content.decode()
    assert "supervises" in html.unescape(page)
    assert not SupportRelationship.objects.filter(protege=protege).exists()


def test_attack_1_inside_one_organization_the_cleared_supervisor_stays_walled_off(client):
    """Within one sponsor organization the protégé is enrolled at once, and a coordinator of
    their program may change the record; the former supervisor is still never matched."""
    program_b, coordinator_b = coordinated_program(coordinator=factories.UserFactory())
    coordinator_a = factories.UserFactory(first_name="Alex", last_name="Other")
    program_a = factories.ProgramFactory(sponsor=program_b.sponsor, coordinators=[coordinator_a])
    supervisor = enrolled_mentor(
        program_b, factories.UserFactory(first_name="Dana", last_name="Director")
    )
    protege, enrollment_b = supervised_protege(program_b, supervisor, user__username="taylor")

    client.force_login(coordinator_a)
    client.post(
        f"/programs/{program_a.code}/participants/add/",
        {"who": "existing", "person": "taylor", "role": "protege", "career_stage": "new"},
    )
    enrollment_a = Enrollment.objects.get(program=program_a, person=protege)
    response = client.post(profile_url(program_a, enrollment_a), profile_form(supervisor=""))
    assert response.status_code == 302
    assert ProtegeProfile.objects.get(user=protege).supervisor is None

    client.force_login(coordinator_b)
    page = client.post(match_url(program_b), post_data(enrollment_b, supervisor)).content.decode()
    page = html.unescape(page)
    assert "Dana Director was" in page and "supervisor until" in page
    assert "cannot be their mentor or coach" in page
    assert not SupportRelationship.objects.filter(protege=protege).exists()

    # The protégé is told who changed the record.
    client.force_login(protege)
    page = text_of(client, MY_SUPPORT)
    assert "Your supervisor recorded here changed on" in page
    assert "by Alex Other: Dana Director is no longer recorded as your supervisor." in page


def test_attack_2_a_supervisor_made_co_coordinator_cannot_clear_their_own_record(client):
    """A supervisor made co-coordinator of a program that shares logs cleared their own record
    on their supervisee's profile, then read the supervisee's goals and visits.csv."""
    program, coordinator = coordinated_program(coordinators_read_shared_logs=True)
    supervisor = factories.UserFactory(username="dana")
    protege = factories.ProtegeProfileFactory(supervisor=supervisor).user
    relationship = relationship_in(program, protege=protege)
    secrets = plant_secrets(relationship)
    goal = relationship.goals.get()
    enrollment = Enrollment.objects.get(program=program, person=protege)

    client.force_login(coordinator)
    client.post(f"/programs/{program.code}/coordinators/", {"action": "add", "person": "dana"})
    assert program.coordinators.filter(pk=supervisor.pk).exists()

    client.force_login(supervisor)
    client.post(profile_url(program, enrollment), profile_form(supervisor=""))
    assert ProtegeProfile.objects.get(user=protege).supervisor == supervisor
    assert client.get(f"/goals/{goal.code}/").status_code == 404
    page = text_of(client, profile_url(program, enrollment))
    assert "You are or were" in page and "cannot change who is recorded" in page
    visit_page = text_of(client, f"/relationships/visits/{relationship.visits.get().code}/")
    assert not [secret for secret in secrets.all if secret in visit_page]
    exported = exports(client, program)
    assert str(relationship.code) in exported  # logistics, as for any coordinator
    assert not [secret for secret in secrets.all if secret in exported]


# Who may record or change the supervisor ----------------------------------------------------


def test_a_supervisor_cannot_change_their_own_record_through_the_service_either():
    program, supervisor = coordinated_program()
    protege, _ = supervised_protege(program, supervisor)
    profile = ProtegeProfile.objects.get(user=protege)
    profile.supervisor = None
    with pytest.raises(ValidationError, match="You are or were"):
        protege_profile_save(profile=profile, by=supervisor)
    assert ProtegeProfile.objects.get(user=protege).supervisor == supervisor


def test_a_former_supervisor_cannot_change_the_record_again(client):
    program, coordinator = coordinated_program()
    former = factories.UserFactory(username="former")
    program.coordinators.add(former)
    protege, enrollment = supervised_protege(program, former)
    factories.UserFactory(username="newboss")
    client.force_login(coordinator)
    assert (
        client.post(
            profile_url(program, enrollment), profile_form(supervisor="newboss")
        ).status_code
        == 302
    )

    client.force_login(former)
    assert "You are or were" in text_of(client, profile_url(program, enrollment))
    client.post(profile_url(program, enrollment), profile_form(supervisor="former"))
    assert ProtegeProfile.objects.get(user=protege).supervisor.username == "newboss"


def test_only_an_admin_or_a_coordinator_of_the_protege_s_program_records_the_supervisor():
    program, coordinator = coordinated_program()
    _, elsewhere = coordinated_program(coordinator=factories.UserFactory())
    protege, _ = supervised_protege(program, None)
    principal = factories.UserFactory()
    profile = ProtegeProfile.objects.get(user=protege)
    profile.supervisor = principal
    with pytest.raises(ValidationError, match="Only an administrator or a coordinator"):
        protege_profile_save(profile=profile, by=elsewhere)
    profile.supervisor = coordinator
    with pytest.raises(ValidationError, match="cannot record yourself"):
        protege_profile_save(profile=profile, by=coordinator)

    profile.supervisor = principal
    protege_profile_save(profile=profile, by=coordinator)
    admin = factories.UserFactory(admin=True)
    profile.supervisor = None
    protege_profile_save(profile=profile, by=admin)
    spells = Supervision.objects.filter(protege=protege).order_by("pk")
    assert [(s.supervisor, s.recorded_by, s.ended_by) for s in spells] == [
        (principal, coordinator, admin)
    ]


def test_an_admin_changing_the_supervisor_in_django_admin_is_kept_and_refused_to_the_supervisor(
    admin_client, admin_user
):
    protege = factories.ProtegeProfileFactory(supervisor=factories.UserFactory()).user
    profile = protege.protege_profile
    url = f"/admin/programs/protegeprofile/{profile.pk}/change/"
    data = {
        "user": protege.pk,
        "position": profile.position,
        "career_stage": profile.career_stage,
        "age_group_taught": profile.age_group_taught,
        "supervisor": admin_user.pk,
    }
    response = admin_client.post(url, data)
    assert "cannot record yourself" in html.unescape(response.content.decode())
    new = factories.UserFactory()
    assert admin_client.post(url, {**data, "supervisor": new.pk}).status_code == 302
    assert Supervision.objects.get(protege=protege, ended_at__isnull=True).supervisor == new
    assert Supervision.objects.get(protege=protege, supervisor=new).recorded_by == admin_user


# The former supervisor's period --------------------------------------------------------------


def test_a_former_supervisor_is_walled_off_for_the_period_then_from_what_they_supervised(client):
    # Both kinds, so that she can be suggested as the coach of a protégé who has a mentor.
    program, coordinator = coordinated_program(
        coordinators_read_shared_logs=True, support_model="both"
    )
    former = enrolled_mentor(program, factories.UserFactory(username="former"))
    program.coordinators.add(
        former
    )  # she reads the shared logs of everyone else she does not supervise
    protege, enrollment = supervised_protege(program, former)
    factories.UserFactory(username="newboss")
    before = factories.SupportRelationshipFactory(program=program, protege=protege)
    old = plant_secrets(before, tag="old")
    before_goal = before.goals.get()

    changed_at = clock.now() + datetime.timedelta(days=10)
    with time_machine.travel(changed_at, tick=False):
        client.force_login(coordinator)
        response = client.post(profile_url(program, enrollment), profile_form(supervisor="newboss"))
        assert response.status_code == 302
    with time_machine.travel(changed_at + datetime.timedelta(days=100), tick=False):
        # One open mentoring relationship at a time: the first ends as the next begins.
        SupportRelationship.objects.filter(pk=before.pk).update(
            status="completed", ended_on=clock.today()
        )
        after = factories.SupportRelationshipFactory(program=program, protege=protege)
        new = plant_secrets(after, tag="new")
    after_goal = after.goals.get()

    # Within the period she is treated exactly as the current supervisor.
    with time_machine.travel(changed_at + datetime.timedelta(days=364), tick=False):
        client.force_login(former)
        assert client.get(f"/goals/{before_goal.code}/").status_code == 404
        assert client.get(f"/goals/{after_goal.code}/").status_code == 404
        exported = exports(client, program)
        assert not [secret for secret in old.all + new.all if secret in exported]
        client.force_login(coordinator)
        suggested = suggestions_page(client, program, enrollment, kind="coaching").context[
            "suggestions"
        ]
        assert former not in [suggestion.person for suggestion in suggested]
        page = client.post(
            match_url(program), post_data(enrollment, former, kind="coaching")
        ).content.decode()
        assert "supervisor until" in html.unescape(page)

    # After it, she never reads what was written while she was supervisor; the rest she reads
    # as a coordinator of a program that shares logs, and she may be matched again.
    with time_machine.travel(changed_at + datetime.timedelta(days=366), tick=False):
        client.force_login(former)
        assert client.get(f"/goals/{before_goal.code}/").status_code == 404
        assert client.get(f"/goals/{after_goal.code}/").status_code == 200
        exported = exports(client, program)
        assert not [secret for secret in old.all if secret in exported]
        assert [secret for secret in new.shared if secret in exported]
        reader = User.objects.get(pk=former.pk)
        readable = set(SupportRelationship.objects.conversation_visible_to(reader))
        assert readable >= {after} and before not in readable
        assert rules.test_rule("relationships.read_conversation", reader, after)
        assert not rules.test_rule("relationships.read_conversation", reader, before)
        client.force_login(coordinator)
        suggested = suggestions_page(client, program, enrollment, kind="coaching").context[
            "suggestions"
        ]
        assert former in [suggestion.person for suggestion in suggested]


def test_the_period_is_a_setting(client, settings):
    settings.FIREWALL_FORMER_SUPERVISOR_DAYS = 30
    program, coordinator = coordinated_program(coordinators_read_shared_logs=True)
    former = factories.UserFactory(username="former")
    program.coordinators.add(former)
    protege, enrollment = supervised_protege(program, former)
    factories.UserFactory(username="newboss")
    client.force_login(coordinator)
    client.post(profile_url(program, enrollment), profile_form(supervisor="newboss"))
    with time_machine.travel(clock.now() + datetime.timedelta(days=31), tick=False):
        after = factories.SupportRelationshipFactory(program=program, protege=protege)
        goal = factories.GoalFactory(relationship=after)
        client.force_login(former)
        assert client.get(f"/goals/{goal.code}/").status_code == 200


# What the protégé is shown ------------------------------------------------------------------


def test_the_protege_sees_every_change_of_their_supervisor(client):
    coordinator = factories.UserFactory(username="coord", first_name="Carla", last_name="Moreno")
    program, _ = coordinated_program(coordinator=coordinator)
    first = factories.UserFactory(first_name="Dana", last_name="Director")
    factories.UserFactory(username="second", first_name="Sam", last_name="Second")
    protege, enrollment = supervised_protege(program, first)
    factories.SupportRelationshipFactory(program=program, protege=protege)

    with time_machine.travel(datetime.datetime(2026, 11, 20, 15, 0, tzinfo=datetime.UTC)):
        client.force_login(coordinator)
        client.post(profile_url(program, enrollment), profile_form(supervisor="second"))
    with time_machine.travel(datetime.datetime(2026, 11, 25, 15, 0, tzinfo=datetime.UTC)):
        client.post(profile_url(program, enrollment), profile_form(supervisor=""))
        client.force_login(protege)
        page = text_of(client, MY_SUPPORT)

    assert (
        "Your supervisor recorded here changed on November 20, 2026 by Carla Moreno: "
        "from Dana Director to Sam Second." in page
    )
    assert (
        "Your supervisor recorded here changed on November 25, 2026 by Carla Moreno: "
        "Sam Second is no longer recorded as your supervisor." in page
    )
    assert page.index("November 25, 2026") < page.index("November 20, 2026")
    assert "No supervisor is recorded for you now." in page
