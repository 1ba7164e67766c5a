"""Saving a checked roster in bulk: a fixed number of queries whatever the number of rows
(new accounts, enrollments and their changes, requests to accounts from outside, profiles,
spells of supervision, then the emails, queued through the outbox and sent once the whole
save commits). The rows were checked and planned just before, in the same transaction
(programs/roster/changes.py); nothing here refuses a row."""

import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import User
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core import clock
from programs import accounts, invitations
from programs.models import Enrollment, EnrollmentRequest, Program
from programs.profiles import MentorProfile, ProtegeProfile, Supervision
from programs.profiles_services import MENTOR_PROFILE_FIELDS, PROTEGE_PROFILE_FIELDS
from programs.roster.changes import mentor_values, protege_values
from programs.roster.checking import ADD, CHANGE, RosterRow
from programs.roster.columns import PROTEGE, SUPERVISOR
from programs.roster.known import Known


@dataclass(frozen=True)
class Saved:
    enrolled: int  # enrollments made
    asked: int  # accounts from outside asked to accept first
    invited: int  # new people sent an invitation to set their password
    updated: int  # people already in the program whose role or details changed
    supervisors: int  # accounts made for supervisors only: neither enrolled nor invited


@transaction.atomic
def save_rows(*, program: Program, rows: list[RosterRow], known: Known, by: User | None) -> Saved:
    created = _create_accounts(rows)
    person_of = {**known.people, **created}
    for row in rows:
        row.existing = person_of[row.email]
    enrolled = _save_enrollments(program, rows, by)
    requests = _save_requests(program, rows, by)
    _save_mentor_profiles(rows, known, by)
    _save_protege_profiles(rows, known, person_of, by)
    enrolling = {row.email for row in rows if row.role != SUPERVISOR}
    invited = invitations.invitations_queue_many(
        [person for email, person in created.items() if email in enrolling], program, by
    )
    invitations.enrollment_requests_queue_many(requests)
    return Saved(
        enrolled=enrolled,
        asked=len(requests),
        invited=invited,
        updated=sum(1 for row in rows if row.outcome == CHANGE),
        supervisors=sum(1 for email in created if email not in enrolling),
    )


def _create_accounts(rows: list[RosterRow]) -> dict[str, User]:
    """Accounts for the addresses that have none, by address (the first row of an address
    names the person); no password: those invited choose one."""
    first: dict[str, RosterRow] = {}
    for row in rows:
        if row.existing is None:
            first.setdefault(row.email, row)
    news = [
        accounts.NewPerson(
            first_name=row.values["first_name"], last_name=row.values["last_name"], email=email
        )
        for email, row in first.items()
    ]
    users = []
    for new, username in zip(news, accounts.usernames_for(news), strict=True):
        user = User(
            username=username,
            first_name=new.first_name.strip(),
            last_name=new.last_name.strip(),
            email=new.email,
        )
        # As set_unusable_password() makes it, from one call for random bytes rather than
        # one per character (a tenth of a 2,000-row save).
        user.password = UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)
        users.append(user)
    User.objects.bulk_create(users)
    return {user.email: user for user in users}


def _save_enrollments(program: Program, rows: list[RosterRow], by: User | None) -> int:
    """Enroll the rows that add someone; change the role or reason of those already there."""
    new, changed = [], []
    today = clock.today()
    for row in rows:
        if row.role == SUPERVISOR or row.asked:
            continue
        if row.enrollment is None and row.outcome == ADD:
            new.append(
                Enrollment(
                    program=program,
                    person=row.existing,
                    role=row.role,
                    reason=row.reason,
                    joined_on=today,
                )
            )
        elif row.enrollment is not None and _apply(
            row.enrollment, {"role": row.role, "reason": row.reason or row.enrollment.reason}
        ):
            changed.append(row.enrollment)
    if new:
        bulk_create_with_history(new, Enrollment, default_user=by)
    if changed:
        bulk_update_with_history(changed, Enrollment, ["role", "reason"], default_user=by)
    return len(new)


def _save_requests(program: Program, rows: list[RosterRow], by: User | None) -> list:
    requests = [
        EnrollmentRequest(
            program=program, person=row.existing, role=row.role, reason=row.reason, asked_by=by
        )
        for row in rows
        if row.asked
    ]
    return EnrollmentRequest.objects.bulk_create(requests)


def _enrolled_rows(rows: list[RosterRow], role_is_protege: bool) -> list[RosterRow]:
    """The rows whose person's profile is recorded: enrolled or taking part already."""
    return [
        row
        for row in rows
        if row.role != SUPERVISOR
        and not row.asked
        and (row.role == PROTEGE) == role_is_protege
        and (row.enrollment is not None or row.outcome == ADD)
    ]


def _apply(profile: Any, values: dict[str, Any]) -> bool:
    """Set `values` on `profile`; whether any differed."""
    changed = False
    for name, value in values.items():
        if getattr(profile, name) != value:
            setattr(profile, name, value)
            changed = True
    return changed


def _save_mentor_profiles(rows: list[RosterRow], known: Known, by: User | None) -> None:
    new: dict[int, MentorProfile] = {}
    changed: dict[int, MentorProfile] = {}
    for row in _enrolled_rows(rows, role_is_protege=False):
        assert row.existing is not None
        pk = row.existing.pk
        profile = known.mentor_profiles.get(pk)
        if profile is None:
            profile = new.setdefault(pk, MentorProfile(user=row.existing))
            _apply(profile, mentor_values(row))
        elif _apply(profile, mentor_values(row)):
            changed[pk] = profile
    if new:
        bulk_create_with_history(list(new.values()), MentorProfile, default_user=by)
    if changed:
        fields = list(MENTOR_PROFILE_FIELDS)
        bulk_update_with_history(list(changed.values()), MentorProfile, fields, default_user=by)


def _save_protege_profiles(
    rows: list[RosterRow], known: Known, person_of: dict[str, User], by: User | None
) -> None:
    new: dict[int, ProtegeProfile] = {}
    changed: dict[int, ProtegeProfile] = {}
    supervised: list[tuple[ProtegeProfile, int | None]] = []
    for row in _enrolled_rows(rows, role_is_protege=True):
        assert row.existing is not None
        pk = row.existing.pk
        values = protege_values(row)
        if row.supervisor_email:
            values["supervisor_id"] = person_of[row.supervisor_email].pk
        profile = known.protege_profiles.get(pk)
        if profile is None:
            profile = new.setdefault(pk, ProtegeProfile(user=row.existing))
            _apply(profile, values)
            if profile.supervisor_id is not None:
                supervised.append((profile, None))
            continue
        old_supervisor = profile.supervisor_id
        if _apply(profile, values):
            changed[pk] = profile
            if profile.supervisor_id != old_supervisor:
                supervised.append((profile, old_supervisor))
    if new:
        bulk_create_with_history(list(new.values()), ProtegeProfile, default_user=by)
    if changed:
        fields = list(PROTEGE_PROFILE_FIELDS)
        bulk_update_with_history(list(changed.values()), ProtegeProfile, fields, default_user=by)
    if supervised:
        _record_supervisions(supervised, by)


def _record_supervisions(changes: list[tuple[ProtegeProfile, int | None]], by: User | None) -> None:
    """Close each protégé's current spell of supervision and open the new one, at the same
    instant (as programs.profiles_services._record_supervision does for one)."""
    now = clock.now()
    current = Supervision.objects.filter(
        protege_id__in=[profile.user_id for profile, _ in changes], ended_at__isnull=True
    )
    kept = set(current.values_list("protege_id", "supervisor_id"))
    current.update(ended_at=now, ended_by=by)
    spells = []
    for profile, old_id in changes:
        if old_id is not None and (profile.user_id, old_id) not in kept:
            # Recorded before spells were kept: keep it now, so that the firewall knows them.
            spells.append(
                Supervision(
                    protege_id=profile.user_id, supervisor_id=old_id, ended_at=now, ended_by=by
                )
            )
        if profile.supervisor_id is not None:
            spells.append(
                Supervision(
                    protege_id=profile.user_id,
                    supervisor_id=profile.supervisor_id,
                    started_at=now,
                    recorded_by=by,
                )
            )
    Supervision.objects.bulk_create(spells)
