"""Writes for programs and enrollment: creating, changing and archiving a program; enrolling
people (existing ones, or new ones with their profile) and recording that someone left.

Rules enforced here:
- whoever creates a program becomes one of its coordinators;
- an archived program takes no new enrollments;
- a person is enrolled once per role at a time, and a leaving date needs a reason;
- a new mentor or coach gets a mentor profile, a new protégé a protégé profile, and a protégé's
  supervisor is recorded so the supervision firewall can keep them apart;
- someone who already has an account and takes part in no program of the same sponsor
  organization is asked first (an `EnrollmentRequest`): they are enrolled only once they
  accept, so no coordinator sees or edits the details of a person outside their programs.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from core import clock, versions
from core.names import person_name
from programs import role_descriptions
from programs.accounts import NewPerson, person_create
from programs.invitations import enrollment_request_queue, invitation_queue, notify_sharing_changed
from programs.models import (
    SUPPORTING_ROLES,
    Enrollment,
    EnrollmentRequest,
    MentorProfile,
    Organization,
    Program,
    ProtegeProfile,
)
from programs.profiles_services import mentor_profile_save, protege_profile_save

# Fields a coordinator sets on the program form (everything but people and bookkeeping).
PROGRAM_FIELDS = (
    "sponsor",
    "name",
    "description",
    "support_model",
    "purposes",
    "purpose_other",
    "career_stages",
    "outcomes",
    "outcome_details",
    "mentor_organization",
    "mentors_currently_teaching",
    "goal_policy",
    "goal_scope",
    "focus_areas",
    "age_groups",
    "starts_on",
    "ends_on",
    "typical_duration_weeks",
    "director_involvement",
    "visits_per_month",
    "minutes_per_month",
    "days_to_first_visit",
    "days_to_first_goal",
    "coordinators_read_shared_logs",
    "proteges_record_progress",
    "record_retention_years",
)


def _check_known(fields: dict) -> None:
    unknown = set(fields) - set(PROGRAM_FIELDS)
    if unknown:
        raise TypeError(f"Unknown program fields: {sorted(unknown)}")


def _apply(program: Program, fields: dict) -> None:
    _check_known(fields)
    for name, value in fields.items():
        setattr(program, name, value)


def _existing(saved: Program | None) -> Program:
    """The program's row as saved now (`versions.locked`): programs are archived, never
    deleted, so it is always there."""
    if saved is None:
        raise Program.DoesNotExist("The program's row is gone.")
    return saved


def track_sharing(program: Program) -> None:
    """Record from when coordinators may read shared logs: they read what was written from
    then on (docs/design.md, "Audit"). Turning sharing off forgets it, so turning it on again
    starts afresh."""
    if not program.coordinators_read_shared_logs:
        program.shared_logs_since = None
    elif program.shared_logs_since is None:
        program.shared_logs_since = clock.now()


@transaction.atomic
def organization_create(*, name: str, kind: str = Organization.Kind.OTHER) -> Organization:
    """A new organization, or the active one of that name if it exists already."""
    name = " ".join(name.split())
    existing = Organization.objects.active().filter(name__iexact=name).first()
    if existing is not None:
        return existing
    organization = Organization(name=name, kind=kind)
    organization.full_clean()
    organization.save()
    return organization


@transaction.atomic
def program_create(*, by: User, **fields) -> Program:
    """Create a program; its creator becomes its coordinator."""
    program = Program()
    _apply(program, fields)
    track_sharing(program)
    program.full_clean()
    program.save()
    program.coordinators.add(by)
    return program


@transaction.atomic
def program_update(*, program: Program, version: str | None = None, **fields) -> Program:
    """Change a program's configuration. `version`: the version the edit started from
    (core/versions.py); a newer one raises EditConflict, and a save that changes nothing
    writes nothing."""
    _check_known(fields)
    saved, changed = versions.start_edit(program, PROGRAM_FIELDS, version=version, typed=fields)
    program = _existing(saved)
    if program.is_read_only:
        raise ValidationError(program.read_only_message)
    if not changed:
        return program
    sharing_before = program.coordinators_read_shared_logs
    _apply(program, fields)
    track_sharing(program)
    program.full_clean()
    program.save()
    if program.coordinators_read_shared_logs != sharing_before:
        notify_sharing_changed(program)
    return program


def program_cycle_stages_mark(*, program: Program, has_stages: bool) -> None:
    """Record whether the program names coaching cycle stages (`Program.has_cycle_stages`),
    for the cycles app, which owns the stages. A plain update: no history row, no version."""
    if program.has_cycle_stages != has_stages:
        Program.objects.filter(pk=program.pk).update(has_cycle_stages=has_stages)
        program.has_cycle_stages = has_stages


@transaction.atomic
def program_archive(*, program: Program) -> Program:
    """Archive a program: it leaves the coordinator's list; its records stay as they are."""
    if program.is_archived:
        raise ValidationError(gettext("This program is already archived."))
    program.archived_at = clock.now()
    program.save(update_fields=["archived_at"])
    return program


@transaction.atomic
def program_restore(*, program: Program) -> Program:
    if not program.is_archived:
        raise ValidationError(gettext("This program is not archived."))
    program.archived_at = None
    program.save(update_fields=["archived_at"])
    return program


def _normalize(text: str) -> str:
    """Browsers send CRLF line ends; keep plain newlines so blank lines part paragraphs."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


@transaction.atomic
def role_descriptions_save(
    *, program: Program, mentor_text: str, coach_text: str, version: str | None = None
) -> Program:
    """Save the coordinator's own role descriptions; an empty text means "use the generated one".

    `version`: the version of the texts the edit started from, as people read them
    (`role_descriptions.texts`, core/versions.py); a newer one raises EditConflict, and a save
    that changes nothing writes nothing."""
    program = _existing(versions.locked(program))
    stored = {
        "mentor_role_description": _normalize(mentor_text),
        "coach_role_description": _normalize(coach_text),
    }
    versions.check(
        version,
        saved=role_descriptions.texts(program),
        typed={
            "mentor_text": stored["mentor_role_description"]
            or role_descriptions.generate(program, "mentoring"),
            "coach_text": stored["coach_role_description"]
            or role_descriptions.generate(program, "coaching"),
        },
        record=program,
    )
    if versions.unchanged(versions.values_of(program, stored), stored):
        return program
    program.mentor_role_description = stored["mentor_role_description"]
    program.coach_role_description = stored["coach_role_description"]
    program.save(update_fields=["mentor_role_description", "coach_role_description"])
    return program


# People and enrollment -------------------------------------------------------------------------


@dataclass
class MentorDetails:
    organization: Organization | None = None
    currently_teaching: bool = False
    years_teaching: int | None = None
    age_groups: list[str] = field(default_factory=list)
    prep_child_development: bool = False
    prep_adult_learning: bool = False
    prep_culture: bool = False
    prep_teacher_development: bool = False
    prep_reflective_practice: bool = False
    credentials: str = ""
    caseload_limit: int | None = None


@dataclass
class ProtegeDetails:
    organization: Organization | None = None
    position: str = ""
    career_stage: str = ""
    age_group_taught: str = ""
    supervisor: User | None = None


@dataclass(frozen=True)
class Enrolled:
    """An enrollment made, and what came with it."""

    enrollment: Enrollment
    person_created: bool  # a new account was made for them
    invitation_queued: bool  # an invitation to set their password goes out on commit

    @property
    def person(self) -> User:
        return self.enrollment.person


@dataclass(frozen=True)
class Asked:
    """An existing account asked to take part (`EnrollmentRequest`): not enrolled until they
    accept."""

    request: EnrollmentRequest
    email_queued: bool  # the request is emailed on commit, besides their home page

    @property
    def person(self) -> User:
        return self.request.person


def _fill_in(
    profile: MentorProfile | ProtegeProfile, details: MentorDetails | ProtegeDetails
) -> bool:
    """Set the profile's empty fields from `details`; never overwrite what it says."""
    changed = False
    for name, value in details.__dict__.items():
        if value in (None, "", []):
            continue
        current = getattr(profile, name)
        if current in (None, "", [], False) and current != value:
            setattr(profile, name, value)
            changed = True
    return changed


def _save_mentor_profile(person: User, details: MentorDetails) -> MentorProfile:
    profile = MentorProfile.objects.filter(user=person).first()
    if profile is None:
        profile = MentorProfile(user=person)
        for name, value in details.__dict__.items():
            if not (name == "caseload_limit" and value is None):
                setattr(profile, name, value)
    elif not _fill_in(profile, details):
        return profile
    return mentor_profile_save(profile=profile)


def _save_protege_profile(person: User, details: ProtegeDetails, by: User | None) -> ProtegeProfile:
    profile = ProtegeProfile.objects.filter(user=person).first()
    if profile is None:
        profile = ProtegeProfile(user=person)
        for name, value in details.__dict__.items():
            if not (name == "career_stage" and not value):
                setattr(profile, name, value)
    elif not _fill_in(profile, details):
        return profile
    return protege_profile_save(profile=profile, by=by)


def check_stage_served(program: Program, stage: str) -> None:
    """Refuse a protégé's career stage that `program` does not serve."""
    if stage and not program.serves_stage(stage):
        label = str(dict(ProtegeProfile.CareerStage.choices).get(stage, stage)).lower()
        raise ValidationError(
            {
                "career_stage": gettext(
                    "%(program)s serves %(served)s, not %(stage)s: choose one of their stages."
                )
                % {"program": program.name, "served": program.stages_served(), "stage": label}
            }
        )


def people_inside(*, program: Program, person_ids: Iterable[int]) -> set[int]:
    """Those of `person_ids` who take part now (a current enrollment, any role) in an active
    program of `program`'s sponsor organization: people a coordinator enrolls without asking."""
    return set(
        Enrollment.objects.current()
        .filter(
            person_id__in=list(person_ids),
            program__sponsor_id=program.sponsor_id,
            program__archived_at__isnull=True,
        )
        .values_list("person_id", flat=True)
    )


def needs_consent(*, program: Program, person: User) -> bool:
    """Whether enrolling this existing account asks them first: they take part in no program
    of the program's sponsor organization (`people_inside`)."""
    return person.pk not in people_inside(program=program, person_ids=[person.pk])


def _check_enrollable(*, program: Program, role: str, reason: str, person: User | None) -> None:
    if program.is_read_only:
        if program.is_archived:
            raise ValidationError(
                gettext("This program is archived: it takes no new participants.")
            )
        raise ValidationError(
            gettext("This program is closed for the year: it takes no new participants.")
        )
    offered = program.offered_roles
    if role not in offered:
        # Translators: the roles a program offers, joined: "mentor or protégé".
        names = gettext(" or ").join(str(Enrollment.Role(r).label).lower() for r in offered)
        raise ValidationError(
            {
                "role": gettext("In %(program)s, people take part as %(roles)s: choose one.")
                % {"program": program.name, "roles": names}
            }
        )
    if reason and reason not in Enrollment.Reason.values:
        raise ValidationError({"reason": gettext("Choose one of the reasons in the list.")})
    if person is not None and (
        Enrollment.objects.current().filter(program=program, person=person, role=role).exists()
    ):
        raise ValidationError(
            {
                "person": gettext("%(person)s is already enrolled in this role.")
                % {"person": person_name(person)}
            }
        )


def _person_to_enroll(
    *,
    program: Program,
    role: str,
    reason: str,
    person: User | None,
    new_person: NewPerson | None,
    accepted: EnrollmentRequest | None,
) -> tuple[User, bool]:
    """The person `enrollment_create` enrolls, and whether their account is new: `person`, if
    they may be enrolled without asking, or an account created for `new_person`."""
    if person is not None and new_person is None:
        _check_enrollable(program=program, role=role, reason=reason, person=person)
        if accepted is None and needs_consent(program=program, person=person):
            raise ValidationError(
                {
                    "person": gettext(
                        "%(person)s takes part in no program of %(sponsor)s: ask them to accept "
                        "first."
                    )
                    % {"person": person_name(person), "sponsor": program.sponsor.name}
                }
            )
        return person, False
    if person is None and new_person is not None:
        _check_enrollable(program=program, role=role, reason=reason, person=None)
        return person_create(new_person), True
    raise ValidationError(gettext("Choose an existing person or enter a new one."))


@transaction.atomic
def enrollment_create(
    *,
    program: Program,
    role: str,
    reason: str = "",
    person: User | None = None,
    new_person: NewPerson | None = None,
    mentor: MentorDetails | None = None,
    protege: ProtegeDetails | None = None,
    joined_on: datetime.date | None = None,
    invited_by: User | None = None,
    accepted: EnrollmentRequest | None = None,
) -> Enrolled:
    """Enroll an existing person, or create a new one, as mentor/coach or protégé.

    The person gets the profile of their role if they have none yet; an existing profile keeps
    what it says, and only its empty fields are filled in from the details given (a supervisor
    recorded by `invited_by`, who must be allowed to: programs.profiles_services). A new person
    with an email address gets an invitation to set their password once this is saved
    (`Enrolled.invitation_queued` says whether one was queued).

    An existing person who `needs_consent` is refused unless they `accepted` a request for
    this enrollment: coordinators call `enrollment_add`, which asks them instead.
    """
    person, created = _person_to_enroll(
        program=program,
        role=role,
        reason=reason,
        person=person,
        new_person=new_person,
        accepted=accepted,
    )
    enrollment = Enrollment(
        program=program,
        person=person,
        role=role,
        reason=reason,
        joined_on=joined_on or clock.today(),
    )
    enrollment.full_clean()
    enrollment.save()
    # The profile after the enrollment: whoever records a supervisor must coordinate a program
    # the protégé takes part in.
    if role in SUPPORTING_ROLES:
        _save_mentor_profile(person, mentor or MentorDetails())
    else:
        details = protege or ProtegeDetails()
        check_stage_served(program, details.career_stage)
        if details.supervisor is not None and details.supervisor.pk == person.pk:
            raise ValidationError({"supervisor": gettext("Nobody can be their own supervisor.")})
        _save_protege_profile(person, details, invited_by)
    return Enrolled(
        enrollment=enrollment,
        person_created=created,
        invitation_queued=created and invitation_queue(person, program, invited_by),
    )


@transaction.atomic
def enrollment_request_create(
    *, program: Program, person: User, role: str, reason: str = "", by: User | None
) -> Asked:
    """Ask someone who already has an account to take part in `program`; they get an email
    (when they have an address) and see the request on their home page."""
    _check_enrollable(program=program, role=role, reason=reason, person=person)
    if not person.is_active:
        raise ValidationError({"person": gettext("This account is deactivated.")})
    if (
        EnrollmentRequest.objects.pending()
        .filter(program=program, person=person, role=role)
        .exists()
    ):
        raise ValidationError(
            {
                "person": gettext(
                    "%(person)s has already been asked to take part in this role, and has "
                    "not answered yet."
                )
                % {"person": person_name(person)}
            }
        )
    asked = EnrollmentRequest(program=program, person=person, role=role, reason=reason, asked_by=by)
    asked.full_clean()
    asked.save()
    return Asked(request=asked, email_queued=enrollment_request_queue(asked))


def enrollment_add(
    *,
    program: Program,
    role: str,
    reason: str = "",
    person: User | None = None,
    new_person: NewPerson | None = None,
    mentor: MentorDetails | None = None,
    protege: ProtegeDetails | None = None,
    invited_by: User | None = None,
) -> Enrolled | Asked:
    """A coordinator enrolls someone: a new person, or an existing one who takes part in a
    program of the same sponsor, at once (`enrollment_create`); any other existing account is
    asked first, and the request is returned (the details given are not recorded: their
    profile is theirs until they take part)."""
    if person is not None and needs_consent(program=program, person=person):
        return enrollment_request_create(
            program=program, person=person, role=role, reason=reason, by=invited_by
        )
    return enrollment_create(
        program=program,
        role=role,
        reason=reason,
        person=person,
        new_person=new_person,
        mentor=mentor,
        protege=protege,
        invited_by=invited_by,
    )


@transaction.atomic
def enrollment_request_answer(
    *, enrollment_request: EnrollmentRequest, by: User, accept: bool
) -> Enrollment | None:
    """The person asked accepts (and is enrolled) or declines. Only they can answer, once."""
    asked = (
        EnrollmentRequest.objects.select_for_update()
        .select_related("program")
        .get(pk=enrollment_request.pk)
    )
    if by.pk != asked.person_id:
        raise ValidationError(gettext("Only the person asked can answer this request."))
    if not asked.is_pending:
        raise ValidationError(
            gettext("You have already answered: %(status)s.")
            % {"status": asked.get_status_display()}
        )
    enrollment = None
    if accept:
        enrollment = enrollment_create(
            program=asked.program,
            role=asked.role,
            reason=asked.reason,
            person=by,
            accepted=asked,
        ).enrollment
    asked.status = (
        EnrollmentRequest.Status.ACCEPTED if accept else EnrollmentRequest.Status.DECLINED
    )
    asked.answered_at = clock.now()
    asked.save(update_fields=["status", "answered_at"])
    return enrollment


@transaction.atomic
def enrollment_leave(
    *,
    enrollment: Enrollment,
    reason: str,
    note: str = "",
    left_on: datetime.date | None = None,
) -> Enrollment:
    """Record that someone left the program, with a reason. Their records stay."""
    if not enrollment.is_current:
        raise ValidationError(gettext("This person has already left the program."))
    if reason not in Enrollment.LeavingReason.values:
        raise ValidationError({"leaving_reason": gettext("Choose a reason for leaving.")})
    if reason == Enrollment.LeavingReason.OTHER and not note.strip():
        raise ValidationError({"leaving_note": gettext("Say what the other reason is.")})
    left_on = left_on or clock.today()
    if left_on < enrollment.joined_on:
        raise ValidationError(
            {
                "left_on": gettext(
                    "They joined on %(joined_on)s: the leaving date must be on or after that."
                )
                % {"joined_on": enrollment.joined_on.isoformat()}
            }
        )
    enrollment.left_on = left_on
    enrollment.leaving_reason = reason
    enrollment.leaving_note = note.strip()
    enrollment.full_clean()
    enrollment.save()
    return enrollment


# Co-coordinators ------------------------------------------------------------------------------


@transaction.atomic
def coordinator_add(*, program: Program, person: User) -> Program:
    """Make `person` one of the program's coordinators (Program.history records the change)."""
    if program.is_read_only:
        raise ValidationError(program.read_only_message)
    if not person.is_active:
        raise ValidationError({"person": gettext("This account is deactivated.")})
    if program.coordinators.filter(pk=person.pk).exists():
        raise ValidationError(
            {
                "person": gettext("%(person)s is already a coordinator.")
                % {"person": person_name(person)}
            }
        )
    program.coordinators.add(person)
    return program


@transaction.atomic
def coordinator_invite(*, program: Program, new: NewPerson, by: User) -> User:
    """Make someone who has no account yet one of the program's coordinators: their account,
    with no password, and the invitation that lets them choose one (programs/invitations.py),
    sent once this commits."""
    if program.is_archived:
        raise ValidationError(gettext("This program is archived; restore it before changing it."))
    person = person_create(new)
    program.coordinators.add(person)
    invitation_queue(person, program, by, as_coordinator=True)
    return person


@transaction.atomic
def coordinator_remove(*, program: Program, person: User) -> Program:
    """Remove one of the program's coordinators; the last one stays."""
    if program.is_read_only:
        raise ValidationError(program.read_only_message)
    # Lock the program row so two coordinators removing each other cannot leave none.
    Program.objects.select_for_update().filter(pk=program.pk).first()
    coordinator_ids = set(program.coordinators.values_list("pk", flat=True))
    if person.pk not in coordinator_ids:
        raise ValidationError(
            gettext("%(person)s is not a coordinator of this program.")
            % {"person": person_name(person)}
        )
    if len(coordinator_ids) == 1:
        raise ValidationError(
            gettext(
                "A program needs at least one coordinator: add another before removing this one."
            )
        )
    program.coordinators.remove(person)
    return program
