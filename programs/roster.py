"""Importing a roster of participants from a CSV file.

The coordinator downloads a template, fills one row per person, uploads it and sees a preview
with every row's problems before anything is saved. Saving is all or nothing: when any row is
bad, no row is saved; when all are good, every row is.

The preview is stateless: the page carries the file's text in a hidden field. Confirming parses
and checks it again, and stores the checked rows in a `RosterImport`; the task worker saves
them (`programs.tasks.roster_import_save`), checking them once more against the database, inside
one transaction, while the coordinator's page says how far it has got.
"""

import csv
import io
import logging
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower

from core import clock
from programs import accounts, services
from programs.models import (
    SUPPORTING_ROLES,
    AgeGroup,
    Enrollment,
    Organization,
    Program,
    RosterImport,
)

logger = logging.getLogger(__name__)

MAX_ROWS = 2000
MAX_BYTES = 1_000_000

COLUMNS = (
    "role",
    "first_name",
    "last_name",
    "email",
    "reason",
    "organization",
    "position",
    "career_stage",
    "age_group_taught",
    "supervisor_email",
    "currently_teaching",
    "years_teaching",
    "age_groups",
    "caseload_limit",
)
REQUIRED_COLUMNS = ("role", "first_name", "last_name", "email")

# What each column takes, shown on the import page and in the template's example rows.
COLUMN_HELP = {
    "role": "mentor, coach or protégé (protege).",
    "first_name": "Required.",
    "last_name": "Required.",
    "email": "Required. Someone who already has an account is enrolled as they are, if they "
    "take part in another program of the same organization; otherwise they are asked to "
    "accept first.",
    "reason": "Why they take part: "
    + "; ".join(label for _, label in Enrollment.Reason.choices)
    + ". Optional.",
    "organization": "Their organization or site, exactly as it is named here. Optional.",
    "position": "Protégés: their position, e.g. Lead teacher. Optional.",
    "career_stage": "Protégés: pre-service, new, resident 1, resident 2, resident 3 or "
    "experienced.",
    "age_group_taught": "Protégés: infants, toddlers, preschool, kindergarten, grades 1-3, older.",
    "supervisor_email": "Protégés: the email of their supervisor, who will never be matched with "
    "them. Optional.",
    "currently_teaching": "Mentors and coaches: yes or no.",
    "years_teaching": "Mentors and coaches: a whole number. Optional.",
    "age_groups": "Mentors and coaches: age groups of expertise, separated by semicolons.",
    "caseload_limit": "Mentors and coaches: how many relationships at most (default 12).",
}

EXAMPLE_ROWS = (
    {
        "role": "mentor",
        "first_name": "Maria",
        "last_name": "Lopez",
        "email": "maria.lopez@example.org",
        "reason": "By choice",
        "currently_teaching": "yes",
        "years_teaching": "14",
        "age_groups": "preschool; kindergarten",
        "caseload_limit": "8",
    },
    {
        "role": "protégé",
        "first_name": "Sam",
        "last_name": "Okafor",
        "email": "sam.okafor@example.org",
        "reason": "Required by the job",
        "position": "Lead teacher",
        "career_stage": "resident 1",
        "age_group_taught": "kindergarten",
        "supervisor_email": "principal@example.org",
    },
)


def template_rows() -> list[list[str]]:
    """The downloadable template's rows: the header and two example rows to overwrite."""
    return [list(COLUMNS)] + [[row.get(column, "") for column in COLUMNS] for row in EXAMPLE_ROWS]


def _norm(value: str) -> str:
    return " ".join(
        value.strip().lower().replace("é", "e").replace("\u2013", "-").replace("_", " ").split()
    )


def _choice_lookup(choices, extra: dict | None = None) -> dict[str, str]:
    lookup = {}
    for value, label in choices:
        lookup[_norm(value)] = value
        lookup[_norm(label)] = value
    lookup.update(extra or {})
    return lookup


# "mentor or coach", the one supporting role of old rosters, is the program's own: see
# `_role_of`.
SUPPORTING = "mentor or coach"
ROLE_LOOKUP = {
    "mentor": Enrollment.Role.MENTOR,
    "coach": Enrollment.Role.COACH,
    "mentor or coach": SUPPORTING,
    "mentor/coach": SUPPORTING,
    "protege": Enrollment.Role.PROTEGE,
    "mentee": Enrollment.Role.PROTEGE,
    "teacher": Enrollment.Role.PROTEGE,
}
REASON_LOOKUP = _choice_lookup(Enrollment.Reason.choices)
AGE_LOOKUP = _choice_lookup(
    AgeGroup.choices,
    {"preschool": "preschool", "grades 1-3": "grades_1_3", "grade 1-3": "grades_1_3"},
)
STAGE_LOOKUP = _choice_lookup(
    [
        ("pre_service", "Pre-service / student teacher"),
        ("new", "New to the field"),
        ("resident_1", "Resident teacher, year 1"),
        ("resident_2", "Resident teacher, year 2"),
        ("resident_3", "Resident teacher, year 3"),
        ("experienced", "Experienced teacher"),
    ],
    {
        "pre-service": "pre_service",
        "student teacher": "pre_service",
        "resident 1": "resident_1",
        "resident 2": "resident_2",
        "resident 3": "resident_3",
    },
)
YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0", ""}


@dataclass
class RosterRow:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    role: str = ""
    reason: str = ""
    existing: User | None = None
    organization: Organization | None = None
    supervisor: User | None = None
    career_stage: str = ""
    age_group_taught: str = ""
    age_groups: list[str] = field(default_factory=list)
    currently_teaching: bool = False
    years_teaching: int | None = None
    caseload_limit: int | None = None
    asked: bool = False  # an existing account asked to accept first (services.needs_consent)

    @property
    def name(self) -> str:
        return f"{self.values.get('first_name', '')} {self.values.get('last_name', '')}".strip()

    @property
    def role_label(self) -> str:
        return Enrollment.Role(self.role).label if self.role else self.values.get("role", "")

    @property
    def action(self) -> str:
        if self.asked:
            return "Existing account: asked to accept first (profile details not recorded)"
        return "Existing account" if self.existing else "New account"


@dataclass
class RosterPreview:
    text: str = ""
    rows: list[RosterRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def bad_rows(self) -> list[RosterRow]:
        return [row for row in self.rows if row.errors]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.file_errors and not self.bad_rows


def decode(upload) -> tuple[str, list[str]]:
    """The text of an uploaded file, or a reason why it cannot be read."""
    if upload.size > MAX_BYTES:
        return "", [f"The file is larger than {MAX_BYTES // 1000} kB; split it into smaller ones."]
    raw = upload.read()
    # A NUL byte is never in a text CSV file (a spreadsheet's own format, or UTF-16 text, has
    # them), and PostgreSQL refuses it in a query.
    if b"\x00" not in raw:
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return raw.decode(encoding), []
            except UnicodeDecodeError:
                continue
    return "", ["The file is not a text CSV file. Save it as CSV (UTF-8) and try again."]


def _int(value: str, row: RosterRow, column: str, minimum: int = 0) -> int | None:
    value = value.strip()
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        row.errors.append(f"{column}: “{value}” is not a whole number.")
        return None
    if number < minimum:
        row.errors.append(f"{column}: must be at least {minimum}.")
        return None
    return number


def preview(program: Program, text: str) -> RosterPreview:
    """Parse and check every row; nothing is written. A fixed number of queries."""
    result = RosterPreview(text=text)
    rows = _read_rows(text, result)
    if result.file_errors:
        return result
    _check_rows(program, rows, result)
    return result


def _check_rows(program: Program, rows: list[RosterRow], result: RosterPreview) -> None:
    """Check `rows` against each other and the database, into `result.rows`."""
    known = _Known.look_up(program, rows)
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        _check_row(row, known, seen)
        row.asked = row.existing is not None and row.existing.pk not in known.inside
        result.rows.append(row)
    result.rows.sort(key=lambda r: r.line)


# Reading the file ------------------------------------------------------------------------------


def _read_rows(text: str, result: RosterPreview) -> list[RosterRow]:
    """The rows of the file to check. What makes the whole file unusable goes to
    `result.file_errors`; a row with more values than there are columns goes to `result.rows`
    with its error."""
    if not text.strip():
        result.file_errors.append("The file is empty.")
        return []
    reader = csv.DictReader(io.StringIO(text))
    header = [(_norm(name or "").replace(" ", "_")) for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    problem = _header_problem(header)
    if problem:
        result.file_errors.append(problem)
        return []
    rows: list[RosterRow] = []
    try:
        for raw in reader:
            if _is_blank(raw):
                continue
            if None in raw:
                result.rows.append(_overlong_row(reader.line_num))
                continue
            values = {name: (raw.get(name) or "").strip() for name in COLUMNS}
            rows.append(RosterRow(line=reader.line_num, values=values))
            if len(rows) > MAX_ROWS:
                result.file_errors.append(f"At most {MAX_ROWS} rows per file.")
                return rows
    except csv.Error as error:
        result.file_errors.append(f"The file could not be read as CSV: {error}.")
        return rows
    if not rows and not result.rows:
        result.file_errors.append("The file has no rows under its header.")
    return rows


def _header_problem(header: list[str]) -> str:
    """What is wrong with the first line's column names ("" when nothing is)."""
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        return (
            "The first line must name the columns; missing: "
            + ", ".join(missing)
            + ". Download the template to see the expected columns."
        )
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        return "Unknown columns: " + ", ".join(unknown) + ". Use the template's columns."
    return ""


def _is_blank(raw: dict) -> bool:
    """A line with nothing in it. (Values past the last column come as a list under the key
    None, which this does not read.)"""
    return not any((value or "").strip() for value in raw.values() if isinstance(value, str))


def _overlong_row(line: int) -> RosterRow:
    row = RosterRow(line=line, values={})
    row.errors.append("This row has more values than there are columns.")
    return row


# Checking the rows -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Known:
    """What the rows name that is already here, read in a fixed number of queries. Emails and
    organization names are compared case-insensitively (keys are lower-case)."""

    people: dict[str, User]  # by email address, people and supervisors alike
    organizations: dict[str, Organization]  # active ones, by name
    enrolled: set[tuple[int, str]]  # (person, role) taking part in the program now
    inside: set[int]  # people enrolled without asking first (services.people_inside)
    offered: tuple[str, ...] = ()  # the roles the program offers (Program.offered_roles)

    @classmethod
    def look_up(cls, program: Program, rows: list[RosterRow]) -> "_Known":
        people = _people_by_email(rows)
        organizations = _organizations_by_name(rows)
        person_ids = [person.pk for person in people.values()]
        enrolled = set(
            Enrollment.objects.current()
            .filter(program=program, person__in=person_ids)
            .values_list("person_id", "role")
        )
        inside = services.people_inside(program=program, person_ids=person_ids)
        return cls(
            people=people,
            organizations=organizations,
            enrolled=enrolled,
            inside=inside,
            offered=tuple(program.offered_roles),
        )


def _people_by_email(rows: list[RosterRow]) -> dict[str, User]:
    """The accounts of the rows' email addresses and supervisors' addresses (the first one
    made, where two share an address)."""
    emails = {row.values["email"].lower() for row in rows if row.values["email"]} | {
        row.values["supervisor_email"].lower() for row in rows if row.values["supervisor_email"]
    }
    people: dict[str, User] = {}
    if emails:
        for user in (
            User.objects.annotate(lower_email=Lower("email"))
            .filter(lower_email__in=emails)
            .order_by("pk")
        ):
            people.setdefault(user.email.lower(), user)
    return people


def _organizations_by_name(rows: list[RosterRow]) -> dict[str, Organization]:
    """The active organizations the rows name."""
    names = {row.values["organization"].lower() for row in rows if row.values["organization"]}
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


def _check_row(row: RosterRow, known: _Known, seen: dict[tuple[str, str], int]) -> None:
    """Check one row, column by column: its values go to the row's fields, what is wrong to
    `row.errors`. `seen`: the line of each (email, role) met so far."""
    _check_role(row, known.offered)
    _check_names(row)
    email = _check_email(row, known, seen)
    row.reason = _choice(row, "reason", REASON_LOOKUP, "one of the reasons")
    _check_organization(row, known)
    if row.role == Enrollment.Role.PROTEGE:
        row.career_stage = _choice(row, "career_stage", STAGE_LOOKUP, "a career stage")
        row.age_group_taught = _choice(row, "age_group_taught", AGE_LOOKUP, "an age group")
        _check_supervisor(row, known, email)
    elif row.role in SUPPORTING_ROLES:
        _check_currently_teaching(row)
        row.years_teaching = _int(row.values["years_teaching"], row, "years_teaching")
        row.caseload_limit = _int(row.values["caseload_limit"], row, "caseload_limit", minimum=1)
        _check_age_groups(row)


ROLE_PLURALS: dict[str, str] = {
    Enrollment.Role.MENTOR: "mentors",
    Enrollment.Role.COACH: "coaches",
    Enrollment.Role.PROTEGE: "protégés",
}


def _role_of(text: str, offered: tuple[str, ...]) -> str | None:
    """The role `text` names; "mentor or coach" is the program's supporting role when it
    offers one kind of relationship, and mentor when it offers both."""
    role = ROLE_LOOKUP.get(_norm(text))
    if role == SUPPORTING:
        return next(r for r in (*offered, Enrollment.Role.MENTOR) if r in SUPPORTING_ROLES)
    return role


def _check_role(row: RosterRow, offered: tuple[str, ...]) -> None:
    text = row.values["role"]
    role = _role_of(text, offered)
    roles = " or ".join(Enrollment.Role(r).label.lower() for r in offered)
    if role is None:
        row.errors.append(
            f"role: “{text}” is not mentor, coach or protégé."
            if text
            else "role: say mentor, coach or protégé."
        )
    elif offered and role not in offered:
        row.errors.append(f"role: this program has no {ROLE_PLURALS[role]}: say {roles}.")
        role = None
    row.role = role or ""


def _check_names(row: RosterRow) -> None:
    if not row.values["first_name"]:
        row.errors.append("first_name: required.")
    if not row.values["last_name"]:
        row.errors.append("last_name: required.")


def _check_email(row: RosterRow, known: _Known, seen: dict[tuple[str, str], int]) -> str:
    """The row's email address, lower-cased ("" when it is not a valid one), with the account
    that has it: listed once per role, and not enrolled in the program in that role already."""
    text = row.values["email"]
    email = text.lower()
    try:
        validate_email(email)
    except ValidationError:
        row.errors.append(
            f"email: “{text}” is not a valid email address." if email else "email: required."
        )
        return ""
    row.existing = known.people.get(email)
    key = (email, row.role)
    if key in seen:
        row.errors.append(f"email: the same person appears on line {seen[key]} too.")
    else:
        seen[key] = row.line
    if row.existing and (row.existing.pk, row.role) in known.enrolled:
        row.errors.append("Already enrolled in this program in this role.")
    return email


def _choice(row: RosterRow, column: str, lookup: dict[str, str], what: str) -> str:
    """The value a choice column names: "" when it is empty, or names none (an error)."""
    text = row.values[column]
    if not text:
        return ""
    value = lookup.get(_norm(text), "")
    if not value:
        row.errors.append(f"{column}: “{text}” is not {what}.")
    return value


def _check_organization(row: RosterRow, known: _Known) -> None:
    name = row.values["organization"]
    if name:
        row.organization = known.organizations.get(name.lower())
        if row.organization is None:
            row.errors.append(f"organization: no organization named “{name}”.")


def _check_supervisor(row: RosterRow, known: _Known, email: str) -> None:
    """A protégé's supervisor: someone with an account, not the protégé themself."""
    text = row.values["supervisor_email"]
    if not text:
        return
    row.supervisor = known.people.get(text.lower())
    if row.supervisor is None:
        row.errors.append(f"supervisor_email: nobody has the address “{text}”.")
    elif text.lower() == email:
        row.errors.append("supervisor_email: nobody can be their own supervisor.")


def _check_currently_teaching(row: RosterRow) -> None:
    text = row.values["currently_teaching"]
    flag = _norm(text)
    if flag in YES:
        row.currently_teaching = True
    elif flag not in NO:
        row.errors.append(f"currently_teaching: say yes or no, not “{text}”.")


def _check_age_groups(row: RosterRow) -> None:
    """A mentor's age groups of expertise, separated by semicolons; each one once."""
    for item in [part for part in row.values["age_groups"].split(";") if part.strip()]:
        value = AGE_LOOKUP.get(_norm(item))
        if value is None:
            row.errors.append(f"age_groups: “{item.strip()}” is not an age group.")
        elif value not in row.age_groups:
            row.age_groups.append(value)


# Saving ----------------------------------------------------------------------------------------


def _enroll(
    program: Program, row: RosterRow, by: User | None
) -> services.Enrolled | services.Asked:
    v = row.values
    mentor = protege = None
    if row.role in SUPPORTING_ROLES:
        mentor = services.MentorDetails(
            organization=row.organization,
            currently_teaching=row.currently_teaching,
            years_teaching=row.years_teaching,
            age_groups=row.age_groups,
            caseload_limit=row.caseload_limit,
        )
    else:
        protege = services.ProtegeDetails(
            organization=row.organization,
            position=v["position"],
            career_stage=row.career_stage,
            age_group_taught=row.age_group_taught,
            supervisor=row.supervisor,
        )
    new_person = None
    if row.existing is None:
        new_person = accounts.NewPerson(
            first_name=v["first_name"], last_name=v["last_name"], email=v["email"]
        )
    return services.enrollment_add(
        program=program,
        role=row.role,
        reason=row.reason,
        person=row.existing,
        new_person=new_person,
        mentor=mentor,
        protege=protege,
        invited_by=by,
    )


class _RowFailed(Exception):
    pass


def _save(
    program: Program, result: RosterPreview, by: User | None
) -> list[services.Enrolled | services.Asked]:
    """Save every row of a checked roster, or none (an empty list, with the rows' problems in
    `result`): the enrollments saved, and requests to existing accounts from outside the
    program's organization."""
    if not result.is_valid:
        return []
    saved: list[services.Enrolled | services.Asked] = []
    try:
        with transaction.atomic():
            # A person listed twice (once per role) is created once.
            created: dict[str, User] = {}
            for row in result.rows:
                email = row.values["email"].lower()
                if row.existing is None and email in created:
                    row.existing = created[email]
                try:
                    added = _enroll(program, row, by)
                except ValidationError as error:
                    row.errors.extend(_messages(error))
                    raise _RowFailed from error
                created.setdefault(email, added.person)
                saved.append(added)
    except _RowFailed:
        return []
    return saved


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [
            f"{name}: {message}" if name != "__all__" else message
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return list(error.messages)


# Saving in the background ----------------------------------------------------------------------


def stored_rows(result: RosterPreview) -> list[dict]:
    """What a `RosterImport` keeps of a checked roster: each row's line and the columns it
    fills, as the preview page carried them."""
    return [
        {"line": row.line, "values": {name: value for name, value in row.values.items() if value}}
        for row in result.rows
    ]


def _recheck(program: Program, stored: list[dict]) -> RosterPreview:
    """Check stored rows again, against the database as it is now."""
    rows = [
        RosterRow(
            line=item["line"],
            values={name: str(item["values"].get(name, "")) for name in COLUMNS},
        )
        for item in stored
    ]
    result = RosterPreview()
    _check_rows(program, rows, result)
    return result


def roster_import_queue(*, program: Program, result: RosterPreview, by: User) -> RosterImport:
    """Store a checked roster to be saved by the task worker, once this write commits."""
    from programs.tasks import roster_import_save

    with transaction.atomic():
        job = RosterImport.objects.create(
            program=program,
            uploaded_by=by,
            row_count=len(result.rows),
            rows=stored_rows(result),
        )
        transaction.on_commit(lambda: roster_import_save.enqueue(job.pk))
    return job


def _claim(import_id: int) -> RosterImport | None:
    """Lock the import and mark it as being saved; None if it is not waiting to be saved."""
    with transaction.atomic():
        job = (
            RosterImport.objects.select_for_update(of=("self",))
            .select_related("program", "program__sponsor", "uploaded_by")
            .filter(pk=import_id, status=RosterImport.Status.QUEUED)
            .first()
        )
        if job is None:
            return None
        job.status = RosterImport.Status.RUNNING
        job.save(update_fields=["status"])
    return job


def _finish(job: RosterImport, status: str, **fields) -> None:
    """Record how the import ended, and forget its rows."""
    job.status = status
    job.finished_at = clock.now()
    job.rows = []
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=["status", "finished_at", "rows", *fields])


def roster_import_run(*, import_id: int) -> str:
    """Save a queued roster import, every row or none, and record the outcome: the counts, or
    the problems that stopped it. Returns its status afterwards."""
    job = _claim(import_id)
    if job is None:
        return "skipped"
    try:
        with transaction.atomic():
            result = _recheck(job.program, job.rows)
            saved = _save(job.program, result, job.uploaded_by)
            if saved:
                asked = sum(1 for added in saved if isinstance(added, services.Asked))
                invited = sum(
                    1
                    for added in saved
                    if isinstance(added, services.Enrolled) and added.invitation_queued
                )
                _finish(
                    job,
                    RosterImport.Status.DONE,
                    enrolled_count=len(saved) - asked,
                    asked_count=asked,
                    invited_count=invited,
                )
                return job.status
    except Exception as error:
        logger.exception("Roster import %s failed", job.pk)
        _finish(
            job,
            RosterImport.Status.FAILED,
            error=f"The import stopped on an unexpected error ({type(error).__name__}). "
            "Try again; if it happens again, tell an administrator.",
        )
        return job.status
    _finish(job, RosterImport.Status.FAILED, error=_problems(result))
    return job.status


def _problems(result: RosterPreview) -> str:
    """The rows' problems, one line per row."""
    lines = list(result.file_errors)
    for row in result.bad_rows:
        who = f" ({row.name})" if row.name else ""
        lines.append(f"Line {row.line}{who}: " + " ".join(row.errors))
    return "\n".join(lines) or "No rows to save."


def done_notices(job: RosterImport) -> list[tuple[str, str]]:
    """What a finished import saved, as (Bootstrap alert level, sentence): how many people it
    enrolled, asked and invited (the sentences the confirm page's redirect used to show)."""
    notices = []
    enrolled, asked, invited = job.enrolled_count, job.asked_count, job.invited_count
    if enrolled:
        notices.append(
            ("success", f"Imported {enrolled} participant{'s' if enrolled != 1 else ''}.")
        )
    if asked:
        one = asked == 1
        notices.append(
            (
                "info",
                f"{asked} {'person' if one else 'people'} with an account outside this "
                f"organization's programs {'was' if one else 'were'} asked to accept first.",
            )
        )
    if invited:
        notices.append(
            (
                "info",
                f"{invited} new {'person was' if invited == 1 else 'people were'} sent "
                "an invitation to set their password.",
            )
        )
    return notices
