"""Django admin: every model has a working admin, private text stays off list pages,
people's records are archived rather than deleted, and changelists do not query per row."""

import datetime

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AccessLogEntry
from core import clock
from goals.models import ActionStep, Goal, GoalTemplate, ProgressEntry
from programs.admin import PRIVATE_FIELDSET_TITLE
from programs.models import (
    Enrollment,
    MentorProfile,
    Organization,
    OrganizationLeader,
    Program,
    ProtegeProfile,
)
from relationships import summary_refresh
from relationships.models import (
    Acknowledgement,
    ClassroomTeam,
    InformalInvitation,
    SupportRelationship,
    Visit,
)
from tests.factories import (
    AcknowledgementFactory,
    ActionStepFactory,
    EnrollmentFactory,
    EnrollmentRequestFactory,
    GoalFactory,
    GoalTemplateFactory,
    MentorProfileFactory,
    PersonSettingsFactory,
    ProgramFactory,
    ProgressEntryFactory,
    ProtegeProfileFactory,
    RosterImportFactory,
    SupportRelationshipFactory,
    TeamRelationshipFactory,
    UserFactory,
    VisitFactory,
    in_days,
)

pytestmark = pytest.mark.django_db


OUR_APPS = ("programs", "relationships", "goals", "audit")
PRIVATE_NOTE = "PLANTED-PRIVATE-NOTE-mentor-worries-about-job"
PRIVATE_REFLECTION = "PLANTED-PRIVATE-REFLECTION-i-feel-overwhelmed"

NO_DELETE_MODELS = (
    Organization,
    Program,
    Enrollment,
    MentorProfile,
    ProtegeProfile,
    ClassroomTeam,
    SupportRelationship,
    Visit,
    Acknowledgement,
    GoalTemplate,
    Goal,
)


def _label(model) -> str:
    return model._meta.label_lower


REGISTERED = sorted(admin.site._registry, key=_label)
OUR_REGISTERED = [model for model in REGISTERED if model._meta.app_label in OUR_APPS]


def admin_url(model, view: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def make_world(n: int) -> dict:
    """One row of every model, with people and places of their own (so N+1 queries would show)."""
    program = ProgramFactory(
        name=f"Early Literacy Coaching {n}",
        support_model=Program.SupportModel.BOTH,
        goal_policy=Program.GoalPolicy.BOTH,
        purposes=["retention", "curriculum"],
        outcomes=["practices"],
        age_groups=["preschool"],
        starts_on=datetime.date(2025, 9, 1),
        coordinators=[UserFactory(username=f"coordinator{n}")],
    )
    protege = ProtegeProfileFactory(
        user__username=f"protege{n}",
        organization=program.sponsor,
        supervisor=UserFactory(username=f"supervisor{n}"),
    ).user
    relationship = SupportRelationshipFactory(
        program=program, kind="mentoring", mentor__username=f"mentor{n}", protege=protege
    )
    MentorProfileFactory(user=relationship.mentor, age_groups=["infants"])
    relationship.pauses.create(starts_on=in_days(-20), ends_on=in_days(-10))
    EnrollmentFactory(program=program, person=protege)
    EnrollmentFactory(program=program, person=relationship.mentor, role="mentor")
    TeamRelationshipFactory(program=program, mentor=relationship.mentor)
    visit = VisitFactory(relationship=relationship, logged=True, private_notes=PRIVATE_NOTE)
    AcknowledgementFactory(visit=visit, private_reflection=PRIVATE_REFLECTION)
    template = GoalTemplateFactory(program=program, title=f"Dialogic reading {n}")
    goal = GoalFactory(
        prescribed=True, relationship=relationship, template=template, title=f"Open questions {n}"
    )
    visit.goals.add(goal)
    ActionStepFactory(goal=goal)
    ProgressEntryFactory(goal=goal, visit=visit)
    PersonSettingsFactory(user=protege)
    OrganizationLeader.objects.create(
        organization=program.sponsor, user=UserFactory(username=f"leader{n}")
    )
    AccessLogEntry.objects.create(
        reader=program.coordinators.get(),
        role="coordinator",
        kind="visit",
        what="A log",
        relationship=relationship,
        program=program,
        visit=visit,
    )
    EnrollmentRequestFactory(program=program, person=UserFactory(username=f"asked{n}"))
    InformalInvitation.objects.create(
        inviter=protege,
        invitee=UserFactory(username=f"colleague{n}"),
        kind="mentoring",
        inviter_role="protege",
    )
    RosterImportFactory(program=program)
    # The monthly summaries are counted when the writes commit, which a test's never do.
    summary_refresh.refresh([relationship.pk])
    return {"program": program, "visit": visit, "org": program.sponsor, "template": template}


@pytest.fixture
def world():
    return make_world(1)


@pytest.fixture
def superuser_request(rf, admin_user):
    request = rf.get("/admin/")
    request.user = admin_user
    return request


def test_every_model_of_ours_has_an_admin():
    missing = [
        model._meta.label
        for app in OUR_APPS
        for model in apps.get_app_config(app).get_models()
        if not hasattr(model, "instance_type")  # simple_history's historical models
        and model not in admin.site._registry
    ]
    assert missing == []


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_changelist_and_add_page_load(admin_client, superuser_request, world, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200

    can_add = admin.site._registry[model].has_add_permission(superuser_request)
    response = admin_client.get(admin_url(model, "add"))
    assert response.status_code == (200 if can_add else 403)


@pytest.mark.parametrize("model", OUR_REGISTERED, ids=_label)
def test_change_page_and_history_load(admin_client, world, model):
    obj = model.objects.first()
    assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200
    assert admin_client.get(admin_url(model, "history", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", OUR_REGISTERED, ids=_label)
def test_changelist_queries_do_not_grow_with_rows(admin_client, model):
    make_world(1)
    url = admin_url(model, "changelist")
    admin_client.get(url)  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as one_world:
        assert admin_client.get(url).status_code == 200

    for n in range(2, 6):
        make_world(n)
    with CaptureQueriesContext(connection) as five_worlds:
        response = admin_client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 5
    assert len(five_worlds) == len(one_world), [q["sql"] for q in five_worlds]


def test_visit_changelist_never_shows_private_notes(admin_client, world):
    response = admin_client.get(admin_url(Visit, "changelist"))
    assert response.context["cl"].result_count == 1
    assert PRIVATE_NOTE not in response.text


def test_searching_visits_does_not_reach_private_notes(admin_client, world):
    url = admin_url(Visit, "changelist")
    assert admin_client.get(url, {"q": "mentor1"}).context["cl"].result_count == 1
    assert admin_client.get(url, {"q": PRIVATE_NOTE}).context["cl"].result_count == 0


def test_acknowledgement_changelist_never_shows_private_reflection(admin_client, world):
    url = admin_url(Acknowledgement, "changelist")
    response = admin_client.get(url)
    assert response.context["cl"].result_count == 1
    assert PRIVATE_REFLECTION not in response.text
    searched = admin_client.get(url, {"q": PRIVATE_REFLECTION})
    assert searched.context["cl"].result_count == 0


def test_visit_change_form_says_private_notes_exist_and_their_length_but_never_their_words(
    admin_client, world
):
    visit = world["visit"]
    response = admin_client.get(admin_url(Visit, "change", visit.pk))
    fieldset = next(fs for fs in response.context["adminform"] if fs.name == PRIVATE_FIELDSET_TITLE)
    assert "only the author reads" in fieldset.description.lower()
    assert PRIVATE_NOTE not in response.text
    assert f"Written: {len(PRIVATE_NOTE)} characters" in response.text
    # The acknowledgement inline keeps the protégé's private reflection out of sight too.
    assert PRIVATE_REFLECTION not in response.text
    assert f"Written: {len(PRIVATE_REFLECTION)} characters" in response.text
    assert 'name="private_notes"' not in response.text


def test_acknowledgement_change_form_never_shows_the_private_reflection(admin_client, world):
    ack = Acknowledgement.objects.get()
    response = admin_client.get(admin_url(Acknowledgement, "change", ack.pk))
    assert response.status_code == 200
    assert PRIVATE_REFLECTION not in response.text
    assert f"Written: {len(PRIVATE_REFLECTION)} characters" in response.text


def test_an_empty_private_note_reads_as_nothing_written(admin_client, world):
    visit = VisitFactory(relationship=world["visit"].relationship, private_notes="")
    response = admin_client.get(admin_url(Visit, "change", visit.pk))
    assert "Nothing written" in response.text


def test_saving_an_acknowledgement_in_admin_keeps_the_private_reflection(admin_client, world):
    ack = Acknowledgement.objects.get()
    moment = clock.local(ack.acknowledged_at)
    response = admin_client.post(
        admin_url(Acknowledgement, "change", ack.pk),
        {
            "visit": ack.visit_id,
            "protege": ack.protege_id,
            "acknowledged_at_0": moment.date().isoformat(),
            "acknowledged_at_1": moment.time().isoformat(timespec="seconds"),
            "reflection": "Edited by an admin at the protégé's request.",
        },
    )
    assert response.status_code == 302, response.context["errors"]
    ack.refresh_from_db()
    assert ack.reflection == "Edited by an admin at the protégé's request."
    assert ack.private_reflection == PRIVATE_REFLECTION


@pytest.mark.parametrize(
    ("model", "field"),
    [(Visit, "private_notes"), (Acknowledgement, "private_reflection")],
    ids=["visit", "acknowledgement"],
)
def test_private_text_is_kept_out_of_the_history(admin_client, world, model, field):
    obj = model.objects.get()
    setattr(obj, field, getattr(obj, field) + "-edited")
    obj.save()
    history = obj.history.model
    assert field not in {f.name for f in history._meta.get_fields()}
    planted = getattr(obj, field)[:20]
    for url in (
        admin_url(model, "history", obj.pk),
        admin_url(model, "simple_history", obj.pk, obj.history.first().pk),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200
        assert planted not in response.text


def _access_log_inserts(queries) -> int:
    return sum(q["sql"].startswith('INSERT INTO "audit_accesslogentry"') for q in queries)


@pytest.mark.parametrize(
    "model", [Visit, Acknowledgement, Goal, ActionStep, ProgressEntry], ids=_label
)
def test_every_admin_view_of_a_record_with_conversation_or_private_text_is_logged(
    admin_client, admin_user, world, model
):
    AccessLogEntry.objects.all().delete()
    obj = model.objects.get() if model is not Goal else Goal.objects.get(title="Open questions 1")
    relationship = world["visit"].relationship
    urls = [
        admin_url(model, "change", obj.pk),
        admin_url(model, "history", obj.pk),
        admin_url(model, "simple_history", obj.pk, obj.history.first().pk),
    ]
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url).status_code == 200
        assert _access_log_inserts(queries) == 1, url
    entries = list(AccessLogEntry.objects.all())
    assert len(entries) == 3
    assert {(e.reader, e.role, e.kind, e.relationship) for e in entries} == {
        (admin_user, "admin", "admin", relationship)
    }
    assert {e.path for e in entries} == set(urls)


def test_the_protege_sees_that_an_administrator_read_their_log(admin_client, client, world):
    AccessLogEntry.objects.all().delete()
    visit = world["visit"]
    admin_client.get(admin_url(Visit, "change", visit.pk))
    client.force_login(visit.relationship.protege)
    page = client.get(reverse("audit:who_read_my_logs")).text
    assert "Administrator" in page
    assert f"The logged visit of {visit.date:%Y-%m-%d}, in admin" in page


def test_a_list_of_action_steps_logs_each_relationship_on_it_in_one_insert(admin_client):
    for n in range(1, 4):
        make_world(n)
    AccessLogEntry.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        assert admin_client.get(admin_url(ActionStep, "changelist")).status_code == 200
    assert _access_log_inserts(queries) == 1
    logged = AccessLogEntry.objects.values_list("relationship", flat=True)
    assert sorted(logged) == sorted(
        ActionStep.objects.values_list("goal__relationship", flat=True).distinct()
    )


def test_lists_without_conversation_text_are_not_logged(admin_client, world):
    AccessLogEntry.objects.all().delete()
    for model in (Visit, Acknowledgement, Goal):
        assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert not AccessLogEntry.objects.exists()


def test_admins_filter_the_whole_access_log_and_cannot_change_it(admin_client, world):
    visit = world["visit"]
    admin_client.get(admin_url(Visit, "change", visit.pk))  # an admin read, beside Cora's
    url = admin_url(AccessLogEntry, "changelist")
    assert admin_client.get(url).context["cl"].result_count == 2
    for query, kinds in (
        ({"role__exact": "admin"}, {"admin"}),
        ({"kind__exact": "visit"}, {"visit"}),
    ):
        response = admin_client.get(url, query)
        assert {entry.kind for entry in response.context["cl"].result_list} == kinds
    program = world["program"]
    response = admin_client.get(url, {"program__id__exact": program.pk})
    assert response.context["cl"].result_count == 1
    entry = AccessLogEntry.objects.first()
    change = admin_url(AccessLogEntry, "change", entry.pk)
    assert admin_client.get(change).status_code == 200  # to read
    admin_client.post(change, {"what": "Rewritten"})
    entry.refresh_from_db()
    assert entry.what != "Rewritten"
    assert admin_client.get(admin_url(AccessLogEntry, "add")).status_code == 403
    assert admin_client.post(admin_url(AccessLogEntry, "delete", entry.pk)).status_code == 403


def test_delete_action_is_not_offered_for_visits(admin_client, world):
    response = admin_client.get(admin_url(Visit, "changelist"))
    action_form = response.context["action_form"]
    actions = [] if action_form is None else action_form.fields["action"].choices
    assert "delete_selected" not in [name for name, _ in actions]
    assert "Delete selected" not in response.text


@pytest.mark.parametrize("model", NO_DELETE_MODELS, ids=_label)
def test_records_people_wrote_cannot_be_deleted_in_admin(admin_client, world, model):
    obj = model.objects.first()
    assert admin_client.get(admin_url(model, "delete", obj.pk)).status_code == 403
    assert admin_client.post(admin_url(model, "delete", obj.pk)).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("model", [ActionStep, ProgressEntry], ids=_label)
def test_parts_of_a_goal_can_be_deleted(admin_client, world, model):
    obj = model.objects.get()
    response = admin_client.post(admin_url(model, "delete", obj.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize(
    ("model", "action", "field"),
    [
        (Organization, "archive_selected", "archived_at"),
        (Program, "archive_selected", "archived_at"),
        (ClassroomTeam, "archive_selected", "archived_at"),
        (GoalTemplate, "retire_selected", "retired_at"),
    ],
    ids=lambda value: value if isinstance(value, str) else _label(value),
)
def test_archive_action_keeps_the_record_and_its_history(admin_client, world, model, action, field):
    obj = model.objects.first()
    versions = obj.history.count()
    response = admin_client.post(
        admin_url(model, "changelist"),
        {"action": action, "_selected_action": [obj.pk]},
        follow=True,
    )
    assert response.status_code == 200
    obj.refresh_from_db()
    assert getattr(obj, field) is not None
    assert obj.history.count() == versions + 1
    assert obj.history.first().history_user.is_superuser


def test_archived_filter_hides_archived_programs(admin_client, world):
    Program.objects.update(archived_at=clock.now())
    make_world(2)
    url = admin_url(Program, "changelist")
    response = admin_client.get(url, {"archived": "no"})
    assert [p.name for p in response.context["cl"].result_list] == ["Early Literacy Coaching 2"]


@pytest.mark.parametrize(
    ("model", "field", "value"),
    [
        (Program, "purposes", "retention"),
        (Program, "outcomes", "practices"),
        (Program, "age_groups", "preschool"),
        (MentorProfile, "age_groups", "infants"),
        (Visit, "activities", "observing"),
    ],
)
def test_choice_lists_render_as_ticked_checkboxes(admin_client, world, model, field, value):
    obj = model.objects.first()
    response = admin_client.get(admin_url(model, "change", obj.pk))
    html = response.text
    assert f'<textarea name="{field}"' not in html
    assert f'type="checkbox" name="{field}" value="{value}"' in html
    assert response.context["adminform"].form.initial[field] == getattr(obj, field)


def _inline_management_data(response) -> dict:
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


def test_program_add_form_saves_choice_lists(admin_client, world):
    url = admin_url(Program, "add")
    data = {
        "name": "Retention Mentoring",
        "sponsor": world["org"].pk,
        "support_model": "mentoring",
        "purposes": ["retention", "new_to_field"],
        "outcomes": ["quality_ratings"],
        "age_groups": ["infants", "toddlers"],
        "mentor_organization": "either",
        "goal_policy": "collaborative",
        "goal_scope": "wide",
        "director_involvement": "optional",
        "proteges_record_progress": "on",
        **_inline_management_data(admin_client.get(url)),
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    program = Program.objects.get(name="Retention Mentoring")
    assert program.purposes == ["retention", "new_to_field"]
    assert program.outcomes == ["quality_ratings"]
    assert program.age_groups == ["infants", "toddlers"]


def test_program_add_form_refuses_unknown_choice(admin_client, world):
    url = admin_url(Program, "add")
    data = {
        "name": "Crafted",
        "sponsor": world["org"].pk,
        "support_model": "mentoring",
        "purposes": ["world_domination"],
        "mentor_organization": "either",
        "goal_policy": "collaborative",
        "goal_scope": "wide",
        "director_involvement": "optional",
        **_inline_management_data(admin_client.get(url)),
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "purposes" in response.context["adminform"].form.errors
    assert not Program.objects.filter(name="Crafted").exists()


def test_program_form_is_grouped_the_way_a_coordinator_thinks(admin_client, world):
    program = world["program"]
    response = admin_client.get(admin_url(Program, "change", program.pk))
    assert [fs.name for fs in response.context["adminform"]] == [
        "Basics",
        "Purpose and outcomes",
        "Mentors and coaches",
        "Goals",
        "Who and when",
        "Dosage expectations",
        "Sharing",
        "Role descriptions",
        "Coordinators",
    ]
    # Current enrollments are listed on the program page.
    assert "protege1" in response.text


def test_program_page_enrolls_a_new_person(admin_client, world):
    program = world["program"]
    newcomer = UserFactory(username="newcomer")
    url = admin_url(Program, "change", program.pk)
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name != "coordinators"
    }
    data.update(
        {
            "sponsor": program.sponsor_id,
            "coordinators": [u.pk for u in program.coordinators.all()],
        }
    )
    for inline in admin_client.get(url).context["inline_admin_formsets"]:
        formset = inline.formset
        prefix = formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = str(formset.initial_form_count())
        data[f"{prefix}-INITIAL_FORMS"] = str(formset.initial_form_count())
        for i, enrollment in enumerate(formset.get_queryset()):
            data[f"{prefix}-{i}-id"] = enrollment.pk
            data[f"{prefix}-{i}-program"] = program.pk
        if formset.initial_form_count() == 0:
            data[f"{prefix}-TOTAL_FORMS"] = "1"
            data[f"{prefix}-0-person"] = newcomer.pk
            data[f"{prefix}-0-role"] = "protege"
            data[f"{prefix}-0-joined_on"] = "2025-09-15"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert program.enrollments.filter(person=newcomer, role="protege").exists()
