"""What saving each good row of a roster does, for the preview and for the save alike: add
(a new account, an enrollment, or a request to an account from outside), change (an
enrollment's role or reason, profile fields: "field: old -> new") or leave as it is."""

from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext

from programs.models import AgeGroup, Enrollment, Organization
from programs.profiles import MentorProfile, ProtegeProfile
from programs.roster.checking import ADD, CHANGE, SAME, Change, RosterRow
from programs.roster.columns import PROTEGE, SUPPORT_ROLES
from programs.roster.known import Known

EMPTY = "—"


def plan_rows(rows: list[RosterRow], known: Known) -> None:
    """Decide each good row's outcome and changes."""
    roles_listed: dict[str, set[str]] = {}
    for row in rows:
        roles_listed.setdefault(row.email, set()).add(row.role)
    for row in rows:
        if not row.errors:
            _plan_row(row, known, roles_listed.get(row.email, set()))


def _plan_row(row: RosterRow, known: Known, roles_listed: set[str]) -> None:
    person = row.existing
    if row.is_supervisor:
        row.outcome = SAME if person else ADD
        row.note = (
            gettext("Existing account, recorded as supervisor")
            if person
            else gettext("New account for a supervisor: not enrolled, not invited")
        )
        return
    if person is None:
        row.outcome, row.note = ADD, gettext("New account, invited to set a password")
        return
    if person.pk not in known.inside:
        if (person.pk, row.role) in known.asked:
            row.outcome = SAME
            row.note = gettext("Asked to take part already; has not answered yet")
        else:
            row.asked = True
            row.outcome = ADD
            row.note = gettext(
                "Existing account: asked to accept first (profile details not recorded)"
            )
        return
    row.enrollment = _enrollment_to_update(row, known.enrollments.get(person.pk, []), roles_listed)
    if row.enrollment is not None:
        row.changes = _enrollment_changes(row, row.enrollment)
    row.changes += profile_changes(row, known)
    if row.enrollment is None:
        row.outcome, row.note = ADD, gettext("Existing account: enrolled")
    else:
        row.outcome = CHANGE if row.changes else SAME
        row.note = gettext("Already enrolled")


def _enrollment_to_update(
    row: RosterRow, enrollments: list[Enrollment], roles_listed: set[str]
) -> Enrollment | None:
    """The person's current enrollment in this role; or, for a mentor listed as coach (or the
    other way round), their enrollment in the other supporting role, unless the file lists
    them in that role too. A protégé listed as mentor keeps their protégé enrollment and gets
    a second one (someone may hold both)."""
    for enrollment in enrollments:
        if enrollment.role == row.role:
            return enrollment
    if row.role in SUPPORT_ROLES:
        for enrollment in enrollments:
            if enrollment.role in SUPPORT_ROLES and enrollment.role not in roles_listed:
                return enrollment
    return None


def _enrollment_changes(row: RosterRow, enrollment: Enrollment) -> list[Change]:
    changes = []
    if enrollment.role != row.role:
        changes.append(
            Change(
                "role",
                str(Enrollment.Role(enrollment.role).label),
                str(Enrollment.Role(row.role).label),
            )
        )
    if row.reason and row.reason != enrollment.reason:
        old = str(Enrollment.Reason(enrollment.reason).label) if enrollment.reason else EMPTY
        changes.append(Change("reason", old, str(Enrollment.Reason(row.reason).label)))
    return changes


def mentor_values(row: RosterRow) -> dict[str, Any]:
    """The mentor or coach profile's fields that the row gives a value."""
    values: dict[str, Any] = {
        "organization": row.organization,
        "currently_teaching": row.currently_teaching,
        "years_teaching": row.years_teaching,
        "age_groups": row.age_groups or None,
        "caseload_limit": row.caseload_limit,
    }
    return {name: value for name, value in values.items() if value is not None}


def protege_values(row: RosterRow) -> dict[str, Any]:
    """The protégé profile's fields that the row gives a value (the supervisor apart: they
    may have no account until the roster is saved)."""
    values = {
        "organization": row.organization,
        "position": row.values["position"],
        "career_stage": row.career_stage,
        "age_group_taught": row.age_group_taught,
    }
    return {name: value for name, value in values.items() if value not in (None, "")}


def _shown(name: str, value: Any) -> str:
    """A profile value as the preview shows it."""
    if value in (None, "", []):
        return EMPTY
    if isinstance(value, Organization):
        return value.name
    if isinstance(value, bool):
        return "yes" if value else "no"
    if name == "career_stage":
        return str(ProtegeProfile.CareerStage(value).label)
    if name == "age_group_taught":
        return str(AgeGroup(value).label)
    if name == "age_groups":
        return ", ".join(str(AgeGroup(item).label) for item in value)
    return str(value)


def _diff(profile: MentorProfile | ProtegeProfile, values: dict[str, Any]) -> list[Change]:
    changes = []
    for name, new in values.items():
        old = getattr(profile, name)
        if old != new:
            label = str(getattr(profile._meta.get_field(name), "verbose_name", name))
            changes.append(Change(label, _shown(name, old), _shown(name, new)))
    return changes


def profile_changes(row: RosterRow, known: Known) -> list[Change]:
    """What the row changes on the existing profile of its role (none for a new profile)."""
    assert row.existing is not None
    if row.role == PROTEGE:
        profile = known.protege_profiles.get(row.existing.pk)
        if profile is None:
            return []
        changes = _diff(profile, protege_values(row))
        return changes + _supervisor_change(row, profile, known)
    mentor_profile = known.mentor_profiles.get(row.existing.pk)
    return _diff(mentor_profile, mentor_values(row)) if mentor_profile else []


def _supervisor_change(row: RosterRow, profile: ProtegeProfile, known: Known) -> list[Change]:
    old: User | None = profile.supervisor
    if not row.supervisor_email or (old is not None and old.email.lower() == row.supervisor_email):
        return []
    if profile.user_id in known.supervised_by_importer:
        row.errors.append(
            gettext(
                "supervisor_email: you are or were their supervisor, so you cannot change who "
                "is recorded as their supervisor; another coordinator of the program or an "
                "administrator can."
            )
        )
    return [Change(gettext("supervisor"), old.email if old else EMPTY, row.supervisor_email)]
