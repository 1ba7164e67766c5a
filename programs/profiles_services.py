"""Writes for people's profiles (programs/profiles.py), with the rules the database cannot
hold:
- only an administrator or a coordinator of the protégé's program records or changes their
  supervisor, never a present or former supervisor; every change is kept (`Supervision`);
- a supervisor never mentors or coaches the protégé (the supervision firewall: docs/design.md;
  relationships/services.py refuses the match the other way round);
- an edit that started from an older version of a profile is an EditConflict
  (core/versions.py), and one that changes nothing writes nothing.
"""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext

from core import clock, versions
from core.names import person_name
from programs.models import Enrollment
from programs.profiles import PREPARATION_FIELDS, MentorProfile, ProtegeProfile, Supervision

# What a coordinator edits on a person's profiles (programs/views/people.py), and what the
# version of such an edit covers (core/versions.py).
PROTEGE_PROFILE_FIELDS = (
    "organization",
    "position",
    "career_stage",
    "age_group_taught",
    "supervisor",
)
MENTOR_PROFILE_FIELDS = (
    "organization",
    "currently_teaching",
    "years_teaching",
    "age_groups",
    *PREPARATION_FIELDS,
    "credentials",
    "caseload_limit",
)


def _start_profile_edit(profile, names: tuple[str, ...], version: str | None) -> bool:
    """Check the version a profile's edit started from (EditConflict); whether it changes."""
    typed = versions.values_of(profile, names)
    saved, changed = versions.start_edit(
        profile, names, version=version, typed=typed, user_id=profile.user_id
    )
    if saved is not None and profile.pk is None:
        # Someone created the profile meanwhile, as this edit started from an empty one.
        profile.pk, profile._state.adding = saved.pk, False
    return changed


def _supports(*, supervisor_id: int, protege_id: int) -> bool:
    """Whether the supervisor mentors or coaches the protégé, alone or in a classroom team, in
    a relationship that has not ended. Read through the reverse relation `supports_given`, as
    relationships sits above this app (docs/design.md, "Shape of the code"): a relationship is
    open exactly while it has no end date (its constraint `ended_on_matches_status`)."""
    supports = Q(supports_given__protege=protege_id) | Q(supports_given__team__members=protege_id)
    return (
        User.objects.filter(pk=supervisor_id)
        .filter(supports, supports_given__ended_on__isnull=True)
        .exists()
    )


def supervisor_change_refusal(*, protege: User, new_supervisor_id: int | None, by: User) -> str:
    """Why `by` may not record or change `protege`'s supervisor ("" when they may).

    Only an administrator, or a coordinator of a program the protégé takes part in as protégé,
    may; never the supervisor themself, nor anyone who supervised the protégé before, nor
    anyone recording themselves (docs/design.md, "The supervision firewall")."""
    name = person_name(protege)
    if (
        ProtegeProfile.objects.filter(user=protege, supervisor=by).exists()
        or Supervision.objects.filter(protege=protege, supervisor=by).exists()
    ):
        return gettext(
            "You are or were %(name)s's supervisor, so you cannot change who is "
            "recorded as their supervisor: another coordinator of their program or "
            "an administrator can."
        ) % {"name": name}
    if new_supervisor_id == by.pk:
        return gettext(
            "You cannot record yourself as their supervisor: another coordinator of "
            "their program or an administrator can."
        )
    if by.is_superuser:
        return ""
    coordinates_their_program = (
        Enrollment.objects.current()
        .filter(person=protege, role=Enrollment.Role.PROTEGE, program__coordinators=by)
        .exists()
    )
    if not coordinates_their_program:
        return gettext(
            "Only an administrator or a coordinator of a program %(name)s takes part "
            "in can record their supervisor."
        ) % {"name": name}
    return ""


def _record_supervision(profile: ProtegeProfile, old_id: int | None, by: User | None) -> None:
    """Close the current spell of supervision and open the new one, at the same instant."""
    now = clock.now()
    current = Supervision.objects.filter(protege_id=profile.user_id, ended_at__isnull=True)
    kept = old_id is not None and current.filter(supervisor_id=old_id).exists()
    current.update(ended_at=now, ended_by=by)
    if old_id is not None and not kept:
        # Recorded around the services (before spells were kept, a bulk seed): keep it now, so
        # that the firewall knows them as a former supervisor.
        Supervision.objects.create(
            protege_id=profile.user_id, supervisor_id=old_id, ended_at=now, ended_by=by
        )
    if profile.supervisor_id is not None:
        Supervision.objects.create(
            protege_id=profile.user_id,
            supervisor_id=profile.supervisor_id,
            started_at=now,
            recorded_by=by,
        )


def protege_profile_check(*, profile: ProtegeProfile, by: User | None) -> int | None:
    """Refuse a protégé profile that may not be saved as it is (a ValidationError naming the
    field), and return the supervisor it had: a change of supervisor `by` may not make
    (`supervisor_change_refusal`; None is the system itself: seeding, command-line imports), or
    a supervisor who already mentors or coaches the protégé."""
    profile.full_clean()
    old_id = None
    if profile.pk:
        old_id = (
            ProtegeProfile.objects.select_for_update()
            .filter(pk=profile.pk)
            .values_list("supervisor_id", flat=True)
            .first()
        )
    if profile.supervisor_id != old_id and by is not None:
        refusal = supervisor_change_refusal(
            protege=profile.user, new_supervisor_id=profile.supervisor_id, by=by
        )
        if refusal:
            raise ValidationError({"supervisor": refusal})
    if profile.supervisor_id:
        if _supports(supervisor_id=profile.supervisor_id, protege_id=profile.user_id):
            raise ValidationError(
                {
                    "supervisor": (
                        gettext(
                            "This person mentors or coaches the protégé; a supervisor cannot. End "
                            "that relationship first, or record a different supervisor."
                        )
                    )
                }
            )
    return old_id


@transaction.atomic
def protege_profile_save(
    *, profile: ProtegeProfile, by: User | None, version: str | None = None
) -> ProtegeProfile:
    """Save a protégé profile (`protege_profile_check` first). A change of supervisor is kept
    (`Supervision`, closing the former spell and opening the new one) and shown to the
    protégé on their My support page.

    `version`: the version the edit started from (core/versions.py); a newer one raises
    EditConflict, and a save that changes nothing writes nothing."""
    if not _start_profile_edit(profile, PROTEGE_PROFILE_FIELDS, version):
        return profile
    old_id = protege_profile_check(profile=profile, by=by)
    profile.save()
    if profile.supervisor_id != old_id:
        _record_supervision(profile, old_id, by)
    return profile


@transaction.atomic
def mentor_profile_save(*, profile: MentorProfile, version: str | None = None) -> MentorProfile:
    """Save a mentor's or coach's profile; `version` as for protege_profile_save."""
    if not _start_profile_edit(profile, MENTOR_PROFILE_FIELDS, version):
        return profile
    profile.full_clean()
    profile.save()
    return profile
