"""Invitations and password reset, co-coordinators, and editing profiles after enrollment."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User

from programs.models import Enrollment, MentorProfile, ProtegeProfile
from reports.rollup import stored
from tests.factories import (
    EnrollmentFactory,
    MentorProfileFactory,
    OrganizationFactory,
    ProtegeProfileFactory,
    UserFactory,
)
from tests.programs.coordinator_world import (
    coordinated_program,
    in_another_program_of_the_same_sponsor,
    relationship_in,
)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long phrase nobody guesses"


def _enroll_new(client, program, **extra):
    return client.post(
        f"/programs/{program.code}/participants/add/",
        {
            "who": "new",
            "first_name": "Ana",
            "last_name": "Reyes",
            "email": "ana.reyes@example.org",
            "role": "protege",
            "career_stage": "new",
            **extra,
        },
        follow=True,
    )


def _link(body: str) -> str:
    url = re.search(r"https?://\S+/accounts/password/reset/\S+/", body).group(0)
    return urlsplit(url).path


def _set_password(client, link: str, password: str = NEW_PASSWORD):
    response = client.get(link)  # Django moves the token into the session, then redirects
    assert response.status_code == 302
    return client.post(
        response.url, {"new_password1": password, "new_password2": password}, follow=True
    )


# Invitations --------------------------------------------------------------------------------


def test_a_new_person_gets_one_invitation_and_can_set_a_password_and_log_in(
    client, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://mentoring.example.org"
    program, coordinator = coordinated_program(name="Induction")
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        page = _enroll_new(client, program).content.decode()
    # One email queued (the roll-up's bump of its versions aside: reports/rollup/stored.py).
    assert len([c for c in callbacks if not isinstance(c, stored.Pending)]) == 1
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["ana.reyes@example.org"]
    assert "Induction" in email.subject
    assert "https://mentoring.example.org/accounts/password/reset/" in email.body
    person = User.objects.get(email="ana.reyes@example.org")
    assert not person.has_usable_password()
    assert f"Your username is: {person.username}" in email.body
    assert "An invitation to set their password was sent to ana.reyes@example.org." in page

    client.logout()
    link = _link(email.body)
    page = _set_password(client, link)
    assert page.redirect_chain[-1][0] == "/accounts/password/reset/complete/"
    assert "Your password is set" in page.content.decode()
    response = client.post(
        "/accounts/login/", {"username": person.username, "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == person

    # The link worked once: now it says so.
    client.logout()
    response = client.get(link, follow=True)
    assert "This link no longer works" in response.content.decode()
    assert len(mailoutbox) == 1


def test_a_short_password_is_refused_next_to_the_field(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    program, coordinator = coordinated_program()
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        _enroll_new(client, program)
    client.logout()
    page = _set_password(client, _link(mailoutbox[0].body), "short").content.decode()
    assert "at least 12 characters" in page
    assert "Choose your password" in page


def test_enrolling_an_existing_person_sends_no_invitation(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    program, coordinator = coordinated_program()
    person = UserFactory(username="jrivera", email="jrivera@example.org")
    in_another_program_of_the_same_sponsor(program, person)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/programs/{program.code}/participants/add/",
            {"who": "existing", "person": "jrivera", "role": "protege", "career_stage": "new"},
        )
    assert Enrollment.objects.filter(program=program, person__username="jrivera").exists()
    assert mailoutbox == []


def test_a_refused_enrollment_sends_nothing(client, mailoutbox, django_capture_on_commit_callbacks):
    program, coordinator = coordinated_program()
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = _enroll_new(client, program, supervisor="nobody-by-that-name")
    assert "Nobody has the username" in response.content.decode()
    assert mailoutbox == []
    assert not User.objects.filter(email="ana.reyes@example.org").exists()


def test_send_the_invitation_again_only_to_people_who_never_logged_in(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    program, coordinator = coordinated_program()
    invited = EnrollmentFactory(program=program, person__email="new@example.org")
    invited.person.set_unusable_password()
    invited.person.save()
    regular = EnrollmentFactory(program=program, person__email="old@example.org")
    User.objects.filter(pk=regular.person.pk).update(last_login="2026-01-05T10:00:00Z")
    client.force_login(coordinator)
    page = client.get(f"/programs/{program.code}/participants/").content.decode()
    assert page.count("Send the invitation again") == 1
    assert f"/participants/{invited.code}/invite/" in page

    url = f"/programs/{program.code}/participants/{invited.code}/invite/"
    assert "We will email new@example.org" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "The invitation was sent again" in response.content.decode()
    assert [m.to for m in mailoutbox] == [["new@example.org"]]
    assert "/accounts/password/reset/" in mailoutbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/programs/{program.code}/participants/{regular.code}/invite/")
    assert "They have logged in already" in response.content.decode()
    assert len(mailoutbox) == 1


def test_invite_is_404_outside_the_coordinators_programs(client):
    program, _ = coordinated_program()
    enrollment = EnrollmentFactory(program=program)
    other, other_coordinator = coordinated_program(coordinator=UserFactory())
    client.force_login(other_coordinator)
    url = f"/programs/{other.code}/participants/{enrollment.code}/invite/"
    assert client.post(url).status_code == 404


# Password reset -----------------------------------------------------------------------------


def test_forgot_password_link_on_the_login_page(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password/reset/"' in page
    assert "Forgot your password?" in page


@pytest.mark.parametrize("email", ["known@example.org", "nobody@example.org"])
def test_reset_shows_the_same_sent_page_for_known_and_unknown_addresses(
    client, mailoutbox, settings, email, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://mentoring.example.org"
    UserFactory(username="known", email="known@example.org", password="x" * 16)
    with django_capture_on_commit_callbacks(execute=True):  # the worker sends the email
        response = client.post("/accounts/password/reset/", {"email": email}, follow=True)
    assert response.redirect_chain == [("/accounts/password/reset/sent/", 302)]
    assert "Check your email" in response.content.decode()
    if email == "known@example.org":
        assert len(mailoutbox) == 1
        assert "https://mentoring.example.org/accounts/password/reset/" in mailoutbox[0].body
    else:
        assert mailoutbox == []


def test_reset_reaches_an_invited_person_who_never_set_a_password(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    person = UserFactory(username="invited", email="invited@example.org")
    person.set_unusable_password()
    person.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "INVITED@example.org"})
    assert len(mailoutbox) == 1
    page = _set_password(client, _link(mailoutbox[0].body))
    assert "Your password is set" in page.content.decode()
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


# Co-coordinators ----------------------------------------------------------------------------


def test_add_and_remove_a_co_coordinator_with_history(client):
    program, coordinator = coordinated_program()
    colleague = UserFactory(
        username="lee", first_name="Pat", last_name="Lee", email="pat.lee@example.org"
    )
    client.force_login(coordinator)
    url = f"/programs/{program.code}/coordinators/"
    response = client.post(url, {"action": "add", "person": "PAT.LEE@example.org"}, follow=True)
    assert "Pat Lee is now a coordinator" in response.content.decode()
    assert set(program.coordinators.all()) == {coordinator, colleague}
    # The colleague now manages the program.
    client.force_login(colleague)
    assert client.get(url).status_code == 200

    response = client.post(url, {"action": "add", "person": "lee"})
    assert "already a coordinator" in response.content.decode()
    response = client.post(url, {"action": "add", "person": "ghost"})
    assert "Nobody has the username or email address “ghost”" in response.content.decode()

    response = client.post(url, {"action": "remove", "username": "coord"}, follow=True)
    assert set(program.coordinators.all()) == {colleague}
    page = response.content.decode()
    assert "is no longer a coordinator" in page
    assert "added Pat Lee" in page and "removed" in page
    history = [
        {row.user_id for row in record.coordinators.all()}
        for record in program.history.order_by("history_date", "history_id")
    ]
    assert {coordinator.pk, colleague.pk} in history
    assert history[-1] == {colleague.pk}

    # The last coordinator stays.
    response = client.post(url, {"action": "remove", "username": "lee"})
    assert "at least one coordinator" in response.content.decode()
    assert set(program.coordinators.all()) == {colleague}


def test_removing_yourself_leaves_the_program(client):
    program, coordinator = coordinated_program()
    program.coordinators.add(UserFactory(username="other"))
    client.force_login(coordinator)
    response = client.post(
        f"/programs/{program.code}/coordinators/", {"action": "remove", "username": "coord"}
    )
    assert response.status_code == 302 and response.url == "/programs/"
    assert client.get(f"/programs/{program.code}/coordinators/").status_code == 404


def test_participants_cannot_manage_coordinators(client):
    program, _ = coordinated_program()
    enrollment = EnrollmentFactory(program=program)
    client.force_login(enrollment.person)
    response = client.post(
        f"/programs/{program.code}/coordinators/",
        {"action": "add", "person": enrollment.person.username},
    )
    assert response.status_code == 403
    assert not program.coordinators.filter(pk=enrollment.person.pk).exists()


# Profiles after enrollment -----------------------------------------------------------------


def test_edit_a_mentor_profile(client):
    program, coordinator = coordinated_program()
    site = OrganizationFactory(name="Oak Hill Center", parent=program.sponsor)
    enrollment = EnrollmentFactory(program=program, role=Enrollment.Role.MENTOR)
    MentorProfileFactory(user=enrollment.person, caseload_limit=12)
    client.force_login(coordinator)
    url = f"/programs/{program.code}/participants/{enrollment.code}/profile/"
    assert "mentor or coach profile" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "organization": site.pk,
            "currently_teaching": "on",
            "years_teaching": "9",
            "age_groups": ["infants", "toddlers"],
            "prep_adult_learning": "on",
            "credentials": "CDA",
            "caseload_limit": "4",
        },
    )
    assert response.status_code == 302
    profile = MentorProfile.objects.get(user=enrollment.person)
    assert profile.organization == site
    assert profile.currently_teaching and profile.prep_adult_learning
    assert not profile.prep_culture
    assert profile.years_teaching == 9
    assert profile.age_groups == ["infants", "toddlers"]
    assert profile.caseload_limit == 4
    assert profile.credentials == "CDA"

    response = client.post(url, {"caseload_limit": "0", "credentials": "kept"})
    page = response.content.decode()
    assert "greater than or equal to 1" in page
    assert "kept" in page


def test_edit_a_protege_profile_refuses_a_supervisor_who_mentors_them(client):
    program, coordinator = coordinated_program()
    relationship = relationship_in(program)
    ProtegeProfileFactory(user=relationship.protege)
    enrollment = Enrollment.objects.get(program=program, person=relationship.protege)
    principal = UserFactory(username="principal")
    client.force_login(coordinator)
    url = f"/programs/{program.code}/participants/{enrollment.code}/profile/"
    base = {"position": "Assistant teacher", "career_stage": "resident_2", "age_group_taught": ""}
    response = client.post(url, {**base, "supervisor": relationship.mentor.username})
    page = response.content.decode()
    assert "This person mentors or coaches the protégé; a supervisor cannot." in page
    assert 'value="Assistant teacher"' in page
    assert ProtegeProfile.objects.get(user=relationship.protege).supervisor is None

    response = client.post(url, {**base, "supervisor": "principal"})
    assert response.status_code == 302
    profile = ProtegeProfile.objects.get(user=relationship.protege)
    assert profile.supervisor == principal
    assert profile.position == "Assistant teacher"
    assert profile.career_stage == "resident_2"


def test_profile_edit_only_for_current_participants_of_my_programs(client):
    program, coordinator = coordinated_program()
    left = EnrollmentFactory(
        program=program, joined_on="2025-09-01", left_on="2026-01-10", leaving_reason="moved"
    )
    other, _ = coordinated_program(coordinator=UserFactory())
    elsewhere = EnrollmentFactory(program=other)
    client.force_login(coordinator)
    assert (
        client.get(f"/programs/{program.code}/participants/{left.code}/profile/").status_code == 404
    )
    assert (
        client.get(f"/programs/{program.code}/participants/{elsewhere.code}/profile/").status_code
        == 404
    )
    assert (
        client.get(f"/programs/{other.code}/participants/{elsewhere.code}/profile/").status_code
        == 404
    )
