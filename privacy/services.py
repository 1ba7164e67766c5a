"""Anonymizing: a person who asks (an administrator does it), and the relationships whose
program's retention period is over (`manage.py anonymize_expired`, nightly). docs/design.md,
Retention, states the policy.

Anonymizing keeps every figure (visit dates, minutes, statuses, activities, the number of
people present, goal statuses, baselines, targets and progress values) and removes the words:
free text becomes REMOVED (empty text stays empty, so a reader sees what was written and what
was not), private text is emptied, and a person's names, username and email become a
placeholder. The change history of those rows is rewritten the same way, so Django admin's
history no longer holds the words either. Each anonymization leaves an `Anonymization` row.
"""

import datetime
import itertools
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Case, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from core import clock
from evidence import services as evidence_services
from evidence.models import Attachment
from evidence.video_comments import VideoComment
from goals.models import ActionStep, Goal, ProgressEntry
from observations.models import Observation, ObservationScore
from outbox.models import Delivery
from privacy.models import Anonymization
from programs.models import Enrollment, MentorProfile, Program, ProtegeProfile
from relationships.models import (
    OPEN_STATUSES,
    Acknowledgement,
    ClassroomTeam,
    PersonSettings,
    SupportRelationship,
    Visit,
)

REMOVED = "(removed)"
PLACEHOLDER_FIRST_NAME = "Anonymized"
PLACEHOLDER_LAST_NAME = "person"
PLACEHOLDER_TEAM_NAME = "Anonymized team"
CHUNK = 200  # relationships anonymized in one transaction

# The free text of each model. Private text (author only) is emptied without looking at it:
# its column may hold ciphertext, which the database cannot compare with "".
VISIT_TEXT = (
    "location",
    "whats_working",
    "focus_challenges",
    "feedback",
    "protege_next_steps",
    "mentor_next_steps",
    "next_meeting_focus",
    "cancel_reason",
)
VISIT_PRIVATE = ("private_notes",)
ACKNOWLEDGEMENT_TEXT = ("reflection",)
ACKNOWLEDGEMENT_PRIVATE = ("private_reflection",)
GOAL_TEXT = ("title", "statement", "measure_description", "close_reason")
STEP_TEXT = ("what",)
PROGRESS_TEXT = ("note",)
RELATIONSHIP_TEXT = ("end_reason",)
ENROLLMENT_TEXT = ("leaving_note",)
MENTOR_PROFILE_TEXT = ("credentials",)
PROTEGE_PROFILE_TEXT = ("position",)


def placeholder_username(person: User) -> str:
    return f"anonymized-{person.pk}"


def _removed(name: str) -> Case:
    """REMOVED where the text was written, empty where it was empty."""
    return Case(
        When(**{name: ""}, then=Value("")),
        default=Value(REMOVED),
        output_field=models.TextField(),
    )


def _scrub(queryset: QuerySet, text: Iterable[str] = (), private: Iterable[str] = ()) -> None:
    """Replace the free text of these rows, and of every historical version of them (two
    queries, however many rows)."""
    values = {name: _removed(name) for name in text} | {name: Value("") for name in private}
    model = queryset.model
    history = model.history.model
    # A field the history leaves out (excluded_fields) has nothing to rewrite there.
    kept = {field.name for field in history._meta.get_fields()}
    history.objects.filter(id__in=queryset.values("pk")).update(
        **{name: value for name, value in values.items() if name in kept}
    )
    model.objects.filter(pk__in=queryset.values("pk")).update(**values)


def _scrub_writing(
    *, visits: Q, acknowledgements: Q, goals: Q, steps: Q, progress: Q, relationships: Q
) -> None:
    """The text of the visit logs, reflections, goals, action steps, progress notes and
    relationships that each of these conditions picks."""
    _scrub(Visit.objects.filter(visits), VISIT_TEXT, VISIT_PRIVATE)
    _scrub(
        Acknowledgement.objects.filter(acknowledgements),
        ACKNOWLEDGEMENT_TEXT,
        ACKNOWLEDGEMENT_PRIVATE,
    )
    _scrub(Goal.objects.filter(goals), GOAL_TEXT)
    _scrub(ActionStep.objects.filter(steps), STEP_TEXT)
    _scrub(ProgressEntry.objects.filter(progress), PROGRESS_TEXT)
    _scrub(SupportRelationship.objects.filter(relationships), RELATIONSHIP_TEXT)


def _scrub_observations(observations: Q) -> None:
    """The notes of the observations this condition picks, overall and on each domain (their
    scores and look-fors stay: figures)."""
    picked = Observation.objects.filter(observations)
    _scrub(picked, ("note",))
    _scrub(ObservationScore.objects.filter(observation__in=picked.values("pk")), ("note",))


def _remove_evidence(*, attachments: Q, comments: Q) -> None:
    """Classroom evidence goes with the words: the files these conditions pick are deleted
    (their comments with them), and the words of the comments picked are replaced."""
    evidence_services.attachments_remove(attachments=Attachment.objects.filter(attachments))
    evidence_services.video_comments_scrub(
        comments=VideoComment.objects.filter(comments), replacement=REMOVED
    )


def _scrub_relationships(ids: list[int]) -> None:
    """Every word written in these relationships: visit logs, reflections, goals, action steps,
    progress notes, and why the relationship ended."""
    _scrub_writing(
        visits=Q(relationship__in=ids),
        acknowledgements=Q(visit__relationship__in=ids),
        goals=Q(relationship__in=ids),
        steps=Q(goal__relationship__in=ids),
        progress=Q(goal__relationship__in=ids),
        relationships=Q(pk__in=ids),
    )
    _scrub_observations(Q(relationship__in=ids))
    _remove_evidence(
        attachments=Q(relationship__in=ids), comments=Q(attachment__relationship__in=ids)
    )


def _scrub_person(person: User) -> None:
    """What a person wrote, and the notes others keep about them: their visit logs, their
    reflections, the goals they proposed (with those goals' steps), their progress notes, the
    reasons their relationships ended, the notes on their leaving, their profiles' text."""
    _scrub_writing(
        visits=Q(created_by=person),
        acknowledgements=Q(protege=person),
        goals=Q(created_by=person),
        steps=Q(goal__created_by=person),
        progress=Q(recorded_by=person),
        relationships=Q(mentor=person) | Q(protege=person),
    )
    _scrub_observations(Q(author=person))
    _remove_evidence(attachments=Q(author=person), comments=Q(author=person))
    _scrub(Enrollment.objects.filter(person=person), ENROLLMENT_TEXT)
    _scrub(MentorProfile.objects.filter(user=person), MENTOR_PROFILE_TEXT)
    _scrub(ProtegeProfile.objects.filter(user=person), PROTEGE_PROFILE_TEXT)


def _replace_names(person: User) -> None:
    """The placeholder for their names, username and email; the account can no longer sign in,
    its sessions end (a new password hash), its emails and calendar feed stop."""
    old_names = {person.username, person.email} - {""}
    person.username = placeholder_username(person)
    person.first_name = PLACEHOLDER_FIRST_NAME
    person.last_name = PLACEHOLDER_LAST_NAME
    person.email = ""
    person.is_active = False
    person.is_staff = False
    person.set_unusable_password()
    person.save()
    Delivery.objects.filter(recipient=person).update(address="")
    PersonSettings.objects.filter(user=person).update(
        calendar_enabled=False,
        calendar_token=uuid.uuid4(),
    )
    # The login throttle's records name the account by what was typed.
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__in=old_names).delete()
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(person.pk)
    ).update(object_repr=person.username)


def _anonymize_person(person: User, *, reason: str, by: User | None) -> Anonymization:
    _scrub_person(person)
    _replace_names(person)
    return Anonymization.objects.create(person=person, reason=reason, done_by=by)


@transaction.atomic
def person_anonymize(*, person: User, by: User) -> Anonymization:
    """Anonymize a person who asked, as an administrator (`by`)."""
    person = User.objects.select_for_update().get(pk=person.pk)
    if Anonymization.objects.filter(person=person).exists():
        raise ValidationError(_("This person has already been anonymized."))
    if person.pk == by.pk:
        raise ValidationError(_("You cannot anonymize your own account."))
    if person.is_superuser:
        raise ValidationError(
            _(
                "An administrator's account is not anonymized: take away their administrator "
                "rights in Django admin first."
            )
        )
    return _anonymize_person(person, reason=Anonymization.Reason.REQUEST, by=by)


# Retention ---------------------------------------------------------------------------------


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier (28 February for 29 February in a year without one)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def expired_relationships(today: datetime.date) -> QuerySet[SupportRelationship]:
    """Ended relationships, not yet anonymized, whose program keeps records `N` years and which
    ended on or before today's date `N` years ago: on the day the period ends, not the day
    before."""
    periods = (
        Program.objects.filter(record_retention_years__isnull=False)
        .order_by()
        .values_list("record_retention_years", flat=True)
        .distinct()
    )
    expired = Q(pk__in=[])
    for years in periods:
        if years is None:  # not read: the filter leaves them out, the column allows them
            continue
        expired |= Q(
            program__record_retention_years=years, ended_on__lte=years_before(today, years)
        )
    return (
        SupportRelationship.objects.filter(expired, ended_on__isnull=False)
        .exclude(status__in=OPEN_STATUSES)
        .filter(anonymization__isnull=True)
    )


def people_done_with(pending: QuerySet[SupportRelationship]) -> QuerySet[User]:
    """People whose names go once their relationships are anonymized: they took part in an
    anonymized (or `pending`) relationship and in no other, are enrolled nowhere now,
    coordinate no program, supervise nobody and are not staff."""
    done = SupportRelationship.objects.filter(
        Q(anonymization__isnull=False) | Q(pk__in=pending.values("pk"))
    )
    kept = SupportRelationship.objects.filter(anonymization__isnull=True).exclude(
        pk__in=pending.values("pk")
    )
    took_part = (
        Q(pk__in=done.values("mentor"))
        | Q(pk__in=done.filter(protege__isnull=False).values("protege"))
        | Q(
            pk__in=ClassroomTeam.members.through.objects.filter(
                classroomteam__relationships__in=done
            ).values("user")
        )
    )
    takes_part = (
        Q(pk__in=kept.values("mentor"))
        | Q(pk__in=kept.filter(protege__isnull=False).values("protege"))
        | Q(
            pk__in=ClassroomTeam.members.through.objects.filter(
                classroomteam__relationships__in=kept
            ).values("user")
        )
        | Q(pk__in=Enrollment.objects.current().values("person"))
        | Q(pk__in=Program.coordinators.through.objects.values("user"))
        | Q(pk__in=ProtegeProfile.objects.filter(supervisor__isnull=False).values("supervisor"))
    )
    return (
        User.objects.filter(took_part)
        .exclude(takes_part)
        .filter(is_staff=False, is_superuser=False, anonymization__isnull=True)
        .order_by("pk")
    )


def teams_done_with(pending: QuerySet[SupportRelationship]) -> QuerySet[ClassroomTeam]:
    """Classroom teams all of whose relationships are anonymized (or `pending`)."""
    kept = SupportRelationship.objects.filter(anonymization__isnull=True).exclude(
        pk__in=pending.values("pk")
    )
    return (
        ClassroomTeam.objects.filter(relationships__isnull=False)
        .exclude(pk__in=kept.filter(team__isnull=False).values("team"))
        .exclude(name=PLACEHOLDER_TEAM_NAME)
        .distinct()
        .order_by("pk")
    )


@dataclass(frozen=True)
class RetentionResult:
    relationships: int
    people: int
    teams: int


def relationships_anonymize_expired(*, dry_run: bool = False) -> RetentionResult:
    """Anonymize the relationships whose program's retention period is over, then the names of
    the people and teams that have nothing left that is kept. `dry_run` counts and changes
    nothing. Each chunk of relationships, and each person, is its own transaction, so a run
    that stops half way leaves whole anonymizations behind, and the next run goes on."""
    expired = expired_relationships(clock.today())
    ids = list(expired.values_list("pk", flat=True).order_by("pk"))
    if dry_run:
        return RetentionResult(
            relationships=len(ids),
            people=people_done_with(expired).count(),
            teams=teams_done_with(expired).count(),
        )
    for chunk in itertools.batched(ids, CHUNK):
        with transaction.atomic():
            _scrub_relationships(list(chunk))
            Anonymization.objects.bulk_create(
                Anonymization(relationship_id=pk, reason=Anonymization.Reason.RETENTION)
                for pk in chunk
            )
    nothing = SupportRelationship.objects.none()
    people = 0
    for person in people_done_with(nothing):
        with transaction.atomic():
            _anonymize_person(person, reason=Anonymization.Reason.RETENTION, by=None)
        people += 1
    teams = list(teams_done_with(nothing).values_list("pk", flat=True))
    with transaction.atomic():
        _scrub_team_names(teams)
    return RetentionResult(relationships=len(ids), people=people, teams=len(teams))


def _scrub_team_names(ids: list[int]) -> None:
    name = Value(PLACEHOLDER_TEAM_NAME)
    ClassroomTeam.history.model.objects.filter(id__in=ids).update(name=name)
    ClassroomTeam.objects.filter(pk__in=ids).update(name=name)
