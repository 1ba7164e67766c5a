"""Checking a roster's rows, column by column, against each other and against what is here
(programs/roster/known.py): each row's values go to its fields, what is wrong to its errors.
What saving a good row will do is worked out next (programs/roster/changes.py)."""

from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext

from programs import services
from programs.models import Enrollment, Organization, Program
from programs.roster.columns import (
    NO,
    PROTEGE,
    ROLE_LOOKUP,
    ROLE_PLURALS,
    SUPERVISOR,
    SUPPORT_ROLES,
    SUPPORTING,
    YES,
    age_lookup,
    norm,
    reason_lookup,
    stage_lookup,
)
from programs.roster.known import Known
from programs.roster.reading import RawRow

ADD, CHANGE, SAME = "add", "change", "same"
NAME_LENGTH = 150  # as auth.User keeps a first and a last name


@dataclass(frozen=True)
class Change:
    """One value a row changes: "field: old -> new"."""

    label: str
    old: str
    new: str


@dataclass
class RosterRow(RawRow):
    role: str = ""
    reason: str = ""
    email: str = ""  # lower-cased, "" when it is not a valid address
    existing: User | None = None
    organization: Organization | None = None
    supervisor: User | None = None  # a protégé's supervisor who has an account
    supervisor_email: str = ""  # lower-cased; the account may be made by another row
    career_stage: str = ""
    age_group_taught: str = ""
    age_groups: list[str] = field(default_factory=list)
    currently_teaching: bool | None = None  # None: the column is empty
    years_teaching: int | None = None
    caseload_limit: int | None = None
    # What saving it does (programs/roster/changes.py).
    outcome: str = ""  # ADD, CHANGE or SAME
    enrollment: Enrollment | None = None  # the current enrollment it updates
    asked: bool = False  # an existing account asked to accept first (services.needs_consent)
    changes: list[Change] = field(default_factory=list)
    note: str = ""

    @property
    def name(self) -> str:
        return f"{self.values.get('first_name', '')} {self.values.get('last_name', '')}".strip()

    @property
    def is_supervisor(self) -> bool:
        return self.role == SUPERVISOR

    @property
    def role_label(self) -> str:
        if self.is_supervisor:
            return gettext("Supervisor")
        return str(Enrollment.Role(self.role).label) if self.role else self.values.get("role", "")


def check_rows(rows: list[RosterRow], known: Known, by: User | None) -> None:
    """Check every row, and that the file hangs together."""
    listed = {row.values["email"].lower() for row in rows if row.values.get("email")}
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        if row.values:
            _check_row(row, known, seen, listed, by)
    _check_supervisor_rows(rows)


def _check_row(
    row: RosterRow,
    known: Known,
    seen: dict[tuple[str, str], int],
    listed: set[str],
    by: User | None,
) -> None:
    """`seen`: the line of each (email, role) met so far; `listed`: every row's address."""
    _check_role(row, known.offered)
    _check_names(row)
    _check_email(row, known, seen)
    if row.is_supervisor:
        return
    row.reason = _choice(row, "reason", reason_lookup(), gettext("one of the reasons"))
    _check_organization(row, known)
    if row.role == PROTEGE:
        row.career_stage = _choice(row, "career_stage", stage_lookup(), gettext("a career stage"))
        _check_stage_served(row, known.program)
        row.age_group_taught = _choice(
            row, "age_group_taught", age_lookup(), gettext("an age group")
        )
        _check_supervisor(row, known, listed, by)
    elif row.role in SUPPORT_ROLES:
        _check_currently_teaching(row)
        row.years_teaching = _int(row, "years_teaching")
        row.caseload_limit = _int(row, "caseload_limit", minimum=1)
        _check_age_groups(row)


def _check_stage_served(row: RosterRow, program: Program | None) -> None:
    if program is not None:
        try:
            services.check_stage_served(program, row.career_stage)
        except ValidationError as error:
            row.errors.extend(f"career_stage: {m}" for m in error.message_dict["career_stage"])


def _role_of(text: str, offered: tuple[str, ...]) -> str | None:
    """The role `text` names; "mentor or coach" is the program's supporting role when it
    offers one kind of relationship, and mentor when it offers both."""
    role = ROLE_LOOKUP.get(norm(text))
    if role == SUPPORTING:
        return next(r for r in (*offered, Enrollment.Role.MENTOR) if r in SUPPORT_ROLES)
    return role


def _check_role(row: RosterRow, offered: tuple[str, ...]) -> None:
    text = row.values["role"]
    role = _role_of(text, offered)
    if role is None:
        row.errors.append(
            gettext("role: “%(text)s” is not mentor, coach, protégé or supervisor.")
            % {"text": text}
            if text
            else gettext("role: say mentor, coach, protégé or supervisor.")
        )
    elif role != SUPERVISOR and offered and role not in offered:
        # Translators: the roles the program offers, joined: "mentor or protégé".
        roles = gettext(" or ").join(str(Enrollment.Role(r).label).lower() for r in offered)
        row.errors.append(
            gettext("role: this program has no %(role_plural)s: say %(roles)s.")
            % {"role_plural": ROLE_PLURALS[role], "roles": roles}
        )
        role = None
    row.role = role or ""


def _check_names(row: RosterRow) -> None:
    for column in ("first_name", "last_name"):
        if not row.values[column]:
            row.errors.append(gettext("%(column)s: required.") % {"column": column})
        elif len(row.values[column]) > NAME_LENGTH:
            row.errors.append(
                gettext("%(column)s: at most %(count)s characters.")
                % {"column": column, "count": NAME_LENGTH}
            )


def _check_email(row: RosterRow, known: Known, seen: dict[tuple[str, str], int]) -> None:
    """The row's address, with the account that has it; each person listed once per role."""
    text = row.values["email"]
    email = text.lower()
    try:
        validate_email(email)
    except ValidationError:
        row.errors.append(
            gettext("email: “%(text)s” is not a valid email address.") % {"text": text}
            if email
            else gettext("%(column)s: required.") % {"column": "email"}
        )
        return
    row.email = email
    row.existing = known.people.get(email)
    key = (email, row.role)
    if key in seen:
        row.errors.append(
            gettext("email: the same person appears on line %(line)s too.") % {"line": seen[key]}
        )
    else:
        seen[key] = row.line


def _choice(row: RosterRow, column: str, lookup: dict[str, str], what: str) -> str:
    """The value a choice column names: "" when it is empty, or names none (an error)."""
    text = row.values[column]
    if not text:
        return ""
    value = lookup.get(norm(text), "")
    if not value:
        row.errors.append(
            gettext("%(column)s: “%(text)s” is not %(what)s.")
            % {"column": column, "text": text, "what": what}
        )
    return value


def _int(row: RosterRow, column: str, minimum: int = 0) -> int | None:
    value = row.values[column]
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        row.errors.append(
            gettext("%(column)s: “%(value)s” is not a whole number.")
            % {"column": column, "value": value}
        )
        return None
    if number < minimum:
        row.errors.append(
            gettext("%(column)s: must be at least %(minimum)s.")
            % {"column": column, "minimum": minimum}
        )
        return None
    return number


def _check_organization(row: RosterRow, known: Known) -> None:
    name = row.values["organization"]
    if name:
        row.organization = known.organizations.get(name.lower())
        if row.organization is None:
            row.errors.append(
                gettext("organization: no organization named “%(name)s”.") % {"name": name}
            )


def _check_supervisor(row: RosterRow, known: Known, listed: set[str], by: User | None) -> None:
    """A protégé's supervisor: someone with an account or listed in the file, not the protégé
    themself, nor the importer, nor someone who mentors or coaches them (the firewall)."""
    text = row.values["supervisor_email"]
    email = text.lower()
    if not email:
        return
    row.supervisor = known.people.get(email)
    if email == row.email:
        row.errors.append(gettext("supervisor_email: nobody can be their own supervisor."))
    elif row.supervisor is None and email not in listed:
        row.errors.append(
            gettext(
                "supervisor_email: nobody has the address “%(text)s”; add a row for them with "
                "the role supervisor."
            )
            % {"text": text}
        )
    elif by is not None and row.supervisor is not None and row.supervisor.pk == by.pk:
        row.errors.append(
            gettext(
                "supervisor_email: you cannot record yourself as their supervisor; another "
                "coordinator of the program or an administrator can."
            )
        )
    elif (
        row.supervisor is not None
        and row.existing is not None
        and (row.supervisor.pk, row.existing.pk) in known.supports
    ):
        row.errors.append(
            gettext(
                "supervisor_email: this person mentors or coaches the protégé; a supervisor "
                "cannot. End that relationship first, or record a different supervisor."
            )
        )
    row.supervisor_email = email


def _check_currently_teaching(row: RosterRow) -> None:
    text = row.values["currently_teaching"]
    flag = norm(text)
    if flag in YES:
        row.currently_teaching = True
    elif flag in NO:
        row.currently_teaching = False
    elif flag:
        row.errors.append(
            gettext("currently_teaching: say yes or no, not “%(text)s”.") % {"text": text}
        )


def _check_age_groups(row: RosterRow) -> None:
    """A mentor's age groups of expertise, separated by semicolons; each one once."""
    for item in [part for part in row.values["age_groups"].split(";") if part.strip()]:
        value = age_lookup().get(norm(item))
        if value is None:
            row.errors.append(
                gettext("age_groups: “%(text)s” is not an age group.") % {"text": item.strip()}
            )
        elif value not in row.age_groups:
            row.age_groups.append(value)


def _check_supervisor_rows(rows: list[RosterRow]) -> None:
    """A supervisor with no account yet is listed for the protégés who name them: an account
    nobody names would be made for nothing."""
    named = {row.supervisor_email for row in rows if row.supervisor_email}
    for row in rows:
        if row.is_supervisor and row.email and row.existing is None and row.email not in named:
            row.errors.append(
                gettext("email: no protégé in the file names this supervisor in supervisor_email.")
            )
