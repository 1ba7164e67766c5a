"""What a roster's rows name that is already here, read in a fixed number of queries whatever
the number of rows: accounts, organizations, the program's enrollments and requests, profiles,
open support relationships (for the supervision firewall). Emails and organization names are
compared case-insensitively (keys are lower-case)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Q
from django.db.models.functions import Lower

from programs import services
from programs.models import Enrollment, EnrollmentRequest, Organization, Program
from programs.profiles import MentorProfile, ProtegeProfile, Supervision
from programs.roster.reading import RawRow


@dataclass(frozen=True)
class Known:
    people: dict[str, User]  # by email address, people and supervisors alike
    organizations: dict[str, Organization]  # active ones, by name
    enrollments: dict[int, list[Enrollment]]  # each person's current ones in the program
    inside: set[int]  # people enrolled without asking first (services.people_inside)
    asked: set[tuple[int, str]]  # (person, role) asked to take part, not answered yet
    mentor_profiles: dict[int, MentorProfile]  # by person
    protege_profiles: dict[int, ProtegeProfile]  # by person, with their supervisor
    supports: set[tuple[int, int]]  # (supporter, protégé) in a relationship not ended
    supervised_by_importer: set[int]  # protégés the importer supervises or supervised
    offered: tuple[str, ...] = ()  # the roles the program offers (Program.offered_roles)
    program: Program | None = None  # whose career stages a protégé's must be

    @classmethod
    def look_up(cls, program: Program, rows: Sequence[RawRow], by: User | None) -> "Known":
        people = _people_by_email(rows)
        ids = [person.pk for person in people.values()]
        return cls(
            people=people,
            organizations=_organizations_by_name(rows),
            enrollments=_enrollments(program, ids),
            inside=services.people_inside(program=program, person_ids=ids),
            asked=set(
                EnrollmentRequest.objects.pending()
                .filter(program=program, person__in=ids)
                .values_list("person_id", "role")
            ),
            # With their organization: the preview compares it with the row's.
            mentor_profiles={
                p.user_id: p
                for p in MentorProfile.objects.filter(user__in=ids).select_related("organization")
            },
            protege_profiles={
                p.user_id: p
                for p in ProtegeProfile.objects.filter(user__in=ids).select_related(
                    "supervisor", "organization"
                )
            },
            supports=_open_supports(ids),
            supervised_by_importer=_supervised_by(by, ids),
            offered=tuple(program.offered_roles),
            program=program,
        )


def _emails(rows: Iterable[RawRow]) -> set[str]:
    return {row.values[name].lower() for row in rows for name in ("email", "supervisor_email")} - {
        ""
    }


def _people_by_email(rows: Sequence[RawRow]) -> dict[str, User]:
    """The accounts of the rows' email addresses and supervisors' addresses (the first one
    made, where two share an address)."""
    emails = _emails(row for row in rows if row.values)
    people: dict[str, User] = {}
    if emails:
        for user in (
            User.objects.annotate(lower_email=Lower("email"))
            .filter(lower_email__in=emails)
            .order_by("pk")
        ):
            people.setdefault(user.email.lower(), user)
    return people


def _organizations_by_name(rows: Sequence[RawRow]) -> dict[str, Organization]:
    """The active organizations the rows name."""
    names = {row.values["organization"].lower() for row in rows if row.values.get("organization")}
    organizations: dict[str, Organization] = {}
    if names:
        for org in (
            Organization.objects.active()
            .annotate(lower_name=Lower("name"))
            .filter(lower_name__in=names)
            .order_by("pk")
        ):
            organizations.setdefault(org.name.lower(), org)
    return organizations


def _enrollments(program: Program, ids: list[int]) -> dict[int, list[Enrollment]]:
    found: dict[int, list[Enrollment]] = {}
    for enrollment in (
        Enrollment.objects.current().filter(program=program, person__in=ids).order_by("pk")
    ):
        found.setdefault(enrollment.person_id, []).append(enrollment)
    return found


def _open_supports(ids: list[int]) -> set[tuple[int, int]]:
    """Who of `ids` mentors or coaches whom of `ids`, alone or in a classroom team, in a
    relationship that has not ended (as programs.profiles_services._supports reads it, through
    the reverse relation, relationships sitting above this app)."""
    if not ids:
        return set()
    pairs: set[tuple[int, int]] = set()
    open_supports = Q(supports_given__ended_on__isnull=True)
    for supporter, protege, member in (
        User.objects.filter(open_supports, pk__in=ids)
        .values_list("pk", "supports_given__protege_id", "supports_given__team__members")
        .distinct()
    ):
        pairs.update((supporter, other) for other in (protege, member) if other is not None)
    return pairs


def _supervised_by(by: User | None, ids: list[int]) -> set[int]:
    """The protégés of `ids` whose supervisor `by` is or was: `by` may not change it."""
    if by is None or not ids:
        return set()
    return set(
        ProtegeProfile.objects.filter(user__in=ids, supervisor=by).values_list("user_id", flat=True)
    ) | set(
        Supervision.objects.filter(protege__in=ids, supervisor=by).values_list(
            "protege_id", flat=True
        )
    )
