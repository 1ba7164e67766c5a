"""seed_scale: a small copy of the state-wide world keeps every model rule, gives the bench
people pages of realistic size, is deterministic, and refuses to run twice."""

import hashlib
import io

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F
from django.urls import reverse

from audit.models import AccessLogEntry
from goals.models import ActionStep, Goal, ProgressEntry
from programs.models import Enrollment, MentorProfile, Organization, Program, ProtegeProfile
from relationships.models import Acknowledgement, ClassroomTeam, SupportRelationship, Visit
from seed import scale

pytestmark = pytest.mark.django_db

SMALL = 0.005  # 2 programs, 200 protégés, 300 relationships, 3,000 visits, 750 goals


def build(factor: float = SMALL) -> dict:
    return scale.build(factor, out=io.StringIO())


@pytest.fixture(scope="class")
def small_world(django_db_setup, django_db_blocker):
    """The SMALL world, built once for the class; each test then runs in a savepoint inside
    this transaction, and the world is rolled back after the class."""
    with django_db_blocker.unblock(), transaction.atomic():
        build()
        yield
        transaction.set_rollback(True)


class TestTheSmallWorld:
    """The tests that only read the SMALL world share one build of it."""

    def test_counts_match_the_scale(self, small_world):
        counts = scale.Counts.for_scale(SMALL)
        assert Program.objects.count() == counts.programs
        assert SupportRelationship.objects.count() == counts.relationships
        assert Visit.objects.count() == counts.visits
        assert Goal.objects.count() == counts.goals
        assert MentorProfile.objects.count() == counts.mentors
        assert ProtegeProfile.objects.count() == counts.proteges
        assert ActionStep.objects.count() == 2 * counts.goals
        assert ProgressEntry.objects.exists()
        assert Acknowledgement.objects.exists()
        assert ClassroomTeam.objects.exists()
        assert SupportRelationship.objects.filter(format="team").exists()
        assert Enrollment.objects.exclude(left_on=None).exists()

    def test_every_row_passes_model_validation_and_the_app_rules(self, small_world):
        # full_clean: field choices, choice lists, the models' own clean(), the constraints.
        for model in (
            Organization,
            Program,
            Enrollment,
            MentorProfile,
            ProtegeProfile,
            ClassroomTeam,
            SupportRelationship,
            Visit,
            Acknowledgement,
            Goal,
            ActionStep,
            ProgressEntry,
        ):
            for obj in model.objects.order_by("?")[:40]:
                try:
                    obj.full_clean()
                except ValidationError as error:  # pragma: no cover - shown on failure
                    pytest.fail(f"{model.__name__} {obj.pk}: {error}")
        # A relationship's kind is one its program offers.
        for relationship in SupportRelationship.objects.select_related("program"):
            assert relationship.kind in relationship.program.offered_kinds
        # The supervisor firewall: nobody supports or coordinates a protégé they supervise.
        supervisors = set(
            ProtegeProfile.objects.exclude(supervisor=None).values_list("supervisor_id", flat=True)
        )
        assert supervisors
        assert not SupportRelationship.objects.filter(mentor_id__in=supervisors).exists()
        assert not Program.coordinators.through.objects.filter(user_id__in=supervisors).exists()
        assert not SupportRelationship.objects.filter(
            protege__protege_profile__supervisor=F("mentor")
        ).exists()
        # Prescribed goals only where the program prescribes, and from its own templates.
        assert not Goal.objects.filter(
            origin="prescribed", relationship__program__goal_policy="collaborative"
        ).exists()
        assert (
            not Goal.objects.filter(origin="prescribed")
            .exclude(template__program=F("relationship__program"))
            .exists()
        )
        # Someone who left the program has no open relationship in it.
        left = Enrollment.objects.filter(role="protege").exclude(left_on=None)
        for enrollment in left[:50]:
            assert (
                not SupportRelationship.objects.open()
                .filter(protege=enrollment.person, program=enrollment.program)
                .exists()
            )

    def test_bench_people_get_pages_of_realistic_size(self, client, small_world):
        mentor = User.objects.get(username="bench-mentor")
        protege = User.objects.get(username="bench-protege")
        coordinator = User.objects.get(username="bench-coordinator")
        relationship = SupportRelationship.objects.get(mentor=mentor, protege=protege)

        assert 25 <= SupportRelationship.objects.open().filter(mentor=mentor).count() <= 50
        logs = Visit.objects.logged().filter(relationship__protege=protege).count()
        assert 25 <= logs <= 50
        assert relationship.program.coordinators.filter(pk=coordinator.pk).exists()
        assert relationship.goals.count() == scale.BENCH_GOALS
        assert not mentor.has_usable_password()

        pages = [
            (coordinator, reverse("home")),
            (coordinator, reverse("programs:detail", kwargs={"code": relationship.program.code})),
            (mentor, reverse("home")),
            (mentor, reverse("relationships:caseload")),
            (mentor, reverse("relationships:detail", kwargs={"code": relationship.code})),
            (mentor, reverse("relationships:visit_log_new", kwargs={"code": relationship.code})),
            (protege, reverse("home")),
            (protege, reverse("relationships:feedback")),
            (
                coordinator,
                reverse(
                    "programs:export",
                    kwargs={"code": relationship.program.code, "what": "relationships"},
                ),
            ),
        ]
        for person, url in pages:
            client.force_login(person)
            response = client.get(url)
            assert response.status_code == 200, (person.username, url)
        # Of the bench's pages, only the export is in the access log: one row.
        assert AccessLogEntry.objects.get().kind == "export"

    def test_it_refuses_to_run_twice_and_leaves_sequences_usable(self, small_world):
        with pytest.raises(CommandError, match="Scale data is already in this database"):
            call_command("seed_scale", scale=SMALL, stdout=io.StringIO())
        # Ids were assigned by the builder: new rows must still get fresh ones.
        organization = Organization.objects.create(name="After the seed", kind="school")
        assert organization.pk > Organization.objects.exclude(pk=organization.pk).latest("pk").pk


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for row in SupportRelationship.objects.order_by("pk").values_list(
        "code", "mentor__username", "protege__username", "status", "starts_on"
    ):
        digest.update(repr(row).encode())
    for row in Visit.objects.order_by("pk").values_list("code", "date", "status"):
        digest.update(repr(row).encode())
    for row in Goal.objects.order_by("pk").values_list("code", "status", "template_id"):
        digest.update(repr(row).encode())
    return digest.hexdigest()


def test_the_same_seed_builds_the_same_world():
    with transaction.atomic():
        build(0.002)
        first = _fingerprint()
        transaction.set_rollback(True)
    assert not Visit.objects.exists()
    build(0.002)
    assert _fingerprint() == first


def test_the_command_reports_what_it_built():
    out = io.StringIO()
    call_command("seed_scale", scale=0.002, stdout=out)
    text = out.getvalue()
    assert "Built the scale world" in text
    assert "relationships.Visit" in text
    assert "bench-coordinator" in text


def test_program_size_and_caseload_grow_one_program_and_one_caseload():
    """`--program-size` and `--caseload`: the first program grows, the totals stay, and the
    world's monthly summaries are counted (seed_scale ends with rebuild_summaries)."""
    from relationships import summary_refresh
    from relationships.models import SupportMonth

    counts = scale.Counts(
        programs=6,
        mentors=60,
        proteges=200,
        relationships=300,
        visits=900,
        goals=100,
        program_size=150,
        caseload=30,
    )
    scale.build(counts=counts, out=io.StringIO())
    first, *others = Program.objects.order_by("pk")
    assert SupportRelationship.objects.count() == 300
    assert first.relationships.count() >= 3 * max(p.relationships.count() for p in others)
    mentor = User.objects.get(username="bench-mentor")
    assert SupportRelationship.objects.open().filter(mentor=mentor).count() == 30
    assert mentor.mentor_profile.caseload_limit == 35
    ids = SupportRelationship.objects.values_list("pk", flat=True)
    expected = summary_refresh.count(ids, today=scale.clock.today())
    stored = {(row.relationship_id, row.month): row.visits for row in SupportMonth.objects.all()}
    assert stored == {key: month.visits for key, month in expected.items()}


def test_a_caseload_the_program_cannot_hold_is_refused():
    with pytest.raises(CommandError, match="caseload"):
        call_command("seed_scale", "--scale", "0.005", "--caseload", "400", stdout=io.StringIO())
