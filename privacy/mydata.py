"""Everything the app holds about a person, for them to download from their settings page: as
one JSON file, or as a zip of CSV files (one per kind of record, which a spreadsheet opens).

What a person gets is what they may read in the app, and nothing of anyone else's private
text (docs/design.md, privacy tiers):

- their account, settings, profiles, enrollments and classroom teams;
- the relationships they take part in (as mentor or coach, protégé or team member; the
  firewall's `taken_part_in_by`, so never one of a protégé they supervise), with their visits,
  the acknowledgements of those visits, goals, action steps and progress entries, the
  classroom observations with their scores and look-fors, the files added to them (a list:
  the files open from their pages) and the comments on the videos;
- private notes, private reflections and private files only where they are the author.

Relationships they only coordinate are not theirs: their conversation tier is not in the file.
The queries are a fixed number (19 with the account's), however many rows.

The files speak the reader's language (docs/translation.md): the zip's file names, columns,
README and words such as roles and yes or no; the JSON's keys stay English, for programs.
"""

import datetime
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core import clock
from core.names import person_name
from core.spreadsheet import csv_text
from evidence.models import Attachment
from evidence.video_comments import VideoComment
from goals.models import ActionStep, Goal, ProgressEntry
from observations.models import Observation, ObservationCheck, ObservationScore
from outbox import kinds
from outbox.services import turned_off
from programs.models import Enrollment, MentorProfile, ProtegeProfile
from relationships.models import Acknowledgement, PersonSettings, SupportRelationship, Visit

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Column:
    key: str  # the JSON key (the same in every language)
    header: "StrOrPromise"  # the CSV column's heading, in the reader's language
    value: Callable


@dataclass(frozen=True)
class Kind:
    name: str  # the JSON key (the same in every language)
    file: "StrOrPromise"  # the CSV file's name without ".csv", in the reader's language
    description: "StrOrPromise"  # a line of the zip's README, in the reader's language
    columns: tuple[Column, ...]


@dataclass
class PersonData:
    """A person's records, as rows of plain values under each kind."""

    exported_at: datetime.datetime
    account: list[tuple[str, str, object]]  # (key, label, value)
    tables: dict[str, list[dict]]

    def as_json(self) -> bytes:
        document = {
            "exported_at": clock.local(self.exported_at),
            "about": str(ABOUT),
            "account": {key: value for key, _, value in self.account},
            **self.tables,
        }
        return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()

    def as_zip(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            readme = gettext("README")
            archive.writestr(f"{readme}.txt", _readme(self.exported_at))
            archive.writestr(
                f"{ACCOUNT_FILE}.csv",
                _csv(
                    [gettext("what"), gettext("value")],
                    [[label, value] for _key, label, value in self.account],
                ),
            )
            for kind in KINDS:
                archive.writestr(
                    f"{kind.file}.csv",
                    _csv(
                        [str(column.header) for column in kind.columns],
                        [[row[c.key] for c in kind.columns] for row in self.tables[kind.name]],
                    ),
                )
        return buffer.getvalue()


ABOUT = _(
    "Everything the mentoring and coaching app holds about you: your account, settings, "
    "profiles and enrollments, and the relationships you take part in with their visits, "
    "acknowledgements, goals, action steps, progress, observations, files and comments on "
    "videos. Private notes, private reflections and private files are included where they are "
    "yours; other people's private text and files never are."
)
ACCOUNT_FILE = pgettext_lazy("file name", "account")


def _text(value) -> str:
    """A cell as a spreadsheet shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value)
    if isinstance(value, datetime.datetime):
        return clock.local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, str):
        return value
    return str(value)  # numbers, codes


def _csv(headers: list[str], rows: list[list]) -> bytes:
    # Written text is kept from being read as a formula (core/spreadsheet.py); a
    # byte-order mark makes Excel read the accents (protégé) as UTF-8.
    cells = [headers, *([_text(value) for value in row] for row in rows)]
    return "".join(csv_text(cells)).encode("utf-8-sig")


def _readme(exported_at: datetime.datetime) -> str:
    files = {kind.name: kind.file for kind in KINDS}
    lines = [
        gettext("Your data from the mentoring and coaching app"),
        gettext("Downloaded %(when)s") % {"when": _text(exported_at)},
        "",
        str(ABOUT),
        "",
        gettext("Each file opens in a spreadsheet (Excel, Numbers, LibreOffice, Google Sheets):"),
        "",
        gettext("%(file)s.csv: your account, settings and profiles.") % {"file": ACCOUNT_FILE},
    ]
    lines += [f"{kind.file}.csv: {kind.description}" for kind in KINDS]
    lines += [
        "",
        gettext(
            "Rows refer to each other by code: a visit's '%(relationship)s' column is the code "
            "in %(relationships)s.csv, a progress entry's '%(goal)s' the code in %(goals)s.csv."
        )
        % {
            "relationship": _("relationship"),
            "relationships": files["relationships"],
            "goal": _("goal"),
            "goals": files["goals"],
        },
    ]
    return "\r\n".join(lines) + "\r\n"


def _str(obj) -> str:
    return "" if obj is None else str(obj)


def _name(user: User | None) -> str:
    return person_name(user) if user is not None else ""


def _my_role(relationship: SupportRelationship, user: User) -> str:
    if relationship.mentor_id == user.pk:
        if relationship.kind == SupportRelationship.Kind.MENTORING:
            return gettext("mentor")
        return gettext("coach")
    if relationship.protege_id == user.pk:
        return gettext("protégé")
    return gettext("team member")


def _choice(field_owner, name: str) -> Callable:
    """The label of a choice, read from the model's field."""
    choices = dict(field_owner._meta.get_field(name).choices)
    return lambda value: choices.get(value, value)


def _columns(*specs: tuple) -> tuple[Column, ...]:
    return tuple(Column(key, header, value) for key, header, value in specs)


_kind = _choice(SupportRelationship, "kind")
_format = _choice(SupportRelationship, "format")
_relationship_status = _choice(SupportRelationship, "status")
_visit_status = _choice(Visit, "status")
_goal_status = _choice(Goal, "status")
_origin = _choice(Goal, "origin")
_who = _choice(ActionStep, "who")
_role = _choice(Enrollment, "role")
_reason = _choice(Enrollment, "reason")
_leaving = _choice(Enrollment, "leaving_reason")
_attachment_kind = _choice(Attachment, "kind")
_attachment_tier = _choice(Attachment, "tier")


def _attachment_goal(attachment: Attachment, user: User) -> str:
    """The goal a file belongs to: its own, or the goal of its progress entry."""
    if attachment.goal is not None:
        return str(attachment.goal.code)
    if attachment.progress_entry is not None:
        return str(attachment.progress_entry.goal.code)
    return ""


def _private_notes(visit: Visit, user: User) -> str:
    return visit.private_notes if visit.created_by_id == user.pk else ""


def _private_reflection(ack: Acknowledgement, user: User) -> str:
    return ack.private_reflection if ack.protege_id == user.pk else ""


KINDS = (
    Kind(
        "enrollments",
        pgettext_lazy("file name", "enrollments"),
        _("the programs you are or were enrolled in, and in what role."),
        _columns(
            ("program", _("program"), lambda e, u: e.program.name),
            ("role", _("role"), lambda e, u: _role(e.role)),
            ("reason", _("reason for taking part"), lambda e, u: _reason(e.reason)),
            ("joined_on", _("joined on"), lambda e, u: e.joined_on),
            ("left_on", _("left on"), lambda e, u: e.left_on),
            ("leaving_reason", _("reason for leaving"), lambda e, u: _leaving(e.leaving_reason)),
            ("leaving_note", _("note on leaving"), lambda e, u: e.leaving_note),
        ),
    ),
    Kind(
        "classroom_teams",
        pgettext_lazy("file name", "classroom_teams"),
        _("the classroom teams you belong to."),
        _columns(
            ("team", _("team"), lambda t, u: t.name),
            ("program", _("program"), lambda t, u: t.program.name if t.program else ""),
            ("site", _("site"), lambda t, u: t.site.name),
            ("age_group", _("age group"), lambda t, u: t.get_age_group_display()),
        ),
    ),
    Kind(
        "relationships",
        pgettext_lazy("file name", "relationships"),
        _("your mentoring and coaching relationships, as mentor or coach, protégé or team member."),
        _columns(
            ("code", _("relationship"), lambda r, u: r.code),
            (
                "program",
                _("program"),
                lambda r, u: r.program.name if r.program else gettext("(informal)"),
            ),
            ("kind", _("kind"), lambda r, u: _kind(r.kind)),
            ("format", _("format"), lambda r, u: _format(r.format)),
            ("my_role", _("my role"), _my_role),
            ("mentor_or_coach", _("mentor or coach"), lambda r, u: _name(r.mentor)),
            (
                "protege_or_team",
                _("protégé or team"),
                lambda r, u: r.team.name if r.team_id else _name(r.protege),
            ),
            ("status", _("status"), lambda r, u: _relationship_status(r.status)),
            ("starts_on", _("starts on"), lambda r, u: r.starts_on),
            ("planned_end_on", _("planned end"), lambda r, u: r.planned_end_on),
            ("ended_on", _("ended on"), lambda r, u: r.ended_on),
            ("end_reason", _("reason for ending or pausing"), lambda r, u: r.end_reason),
        ),
    ),
    Kind(
        "visits",
        pgettext_lazy("file name", "visits"),
        _(
            "the visits of those relationships, scheduled, logged or cancelled, with their logs; "
            "private notes only on the visits you logged."
        ),
        _columns(
            ("code", _("visit"), lambda v, u: v.code),
            ("relationship", _("relationship"), lambda v, u: v.relationship.code),
            ("status", _("status"), lambda v, u: _visit_status(v.status)),
            ("date", _("date"), lambda v, u: v.date),
            ("start_time", _("start time"), lambda v, u: v.start_time),
            ("duration_minutes", _("duration (minutes)"), lambda v, u: v.duration_minutes),
            ("location", _("location"), lambda v, u: v.location),
            ("adults_present", _("adults present"), lambda v, u: v.adults_present),
            ("children_present", _("children present"), lambda v, u: v.children_present),
            ("activities", _("activities"), lambda v, u: v.activity_labels()),
            ("goals", _("goals addressed"), lambda v, u: [g.title for g in v.goals.all()]),
            ("whats_working", _("what's working"), lambda v, u: v.whats_working),
            ("focus_challenges", _("current focus / challenges"), lambda v, u: v.focus_challenges),
            ("feedback", _("feedback to the protégé"), lambda v, u: v.feedback),
            ("protege_next_steps", _("protégé's next steps"), lambda v, u: v.protege_next_steps),
            ("mentor_next_steps", _("mentor's next steps"), lambda v, u: v.mentor_next_steps),
            ("next_meeting_on", _("next meeting date"), lambda v, u: v.next_meeting_on),
            ("next_meeting_focus", _("next meeting focus"), lambda v, u: v.next_meeting_focus),
            ("cancel_reason", _("reason for cancelling"), lambda v, u: v.cancel_reason),
            ("written_by", _("written by"), lambda v, u: _name(v.created_by)),
            ("logged_at", _("logged at"), lambda v, u: v.logged_at),
            ("private_notes", _("my private notes"), _private_notes),
        ),
    ),
    Kind(
        "acknowledgements",
        pgettext_lazy("file name", "acknowledgements"),
        _(
            "the acknowledgements of those visits, with the reflections shared with the mentor "
            "or coach; private reflections only where they are yours."
        ),
        _columns(
            ("visit", _("visit"), lambda a, u: a.visit.code),
            ("visit_date", _("visit date"), lambda a, u: a.visit.date),
            ("by", _("acknowledged by"), lambda a, u: _name(a.protege)),
            ("acknowledged_at", _("acknowledged at"), lambda a, u: a.acknowledged_at),
            ("reflection", _("reflection"), lambda a, u: a.reflection),
            ("private_reflection", _("my private reflection"), _private_reflection),
        ),
    ),
    Kind(
        "goals",
        pgettext_lazy("file name", "goals"),
        _("the goals of those relationships."),
        _columns(
            ("code", _("goal"), lambda g, u: g.code),
            ("relationship", _("relationship"), lambda g, u: g.relationship.code),
            ("title", _("title"), lambda g, u: g.title),
            ("statement", _("goal statement"), lambda g, u: g.statement),
            ("origin", _("origin"), lambda g, u: _origin(g.origin)),
            ("focus_area", _("focus area"), lambda g, u: g.focus_area),
            ("student_focused", _("student-focused"), lambda g, u: g.student_focused),
            ("measure", _("how progress is measured"), lambda g, u: g.measure_description),
            ("baseline", _("baseline"), lambda g, u: g.baseline),
            ("target", _("target"), lambda g, u: g.target),
            ("unit", _("unit"), lambda g, u: g.unit),
            ("target_date", _("target date"), lambda g, u: g.target_date),
            ("status", _("status"), lambda g, u: _goal_status(g.status)),
            ("close_reason", _("reason for closing"), lambda g, u: g.close_reason),
            ("proposed_by", _("proposed by"), lambda g, u: _name(g.created_by)),
            ("created_at", _("created at"), lambda g, u: g.created_at),
            ("agreed_at", _("agreed at"), lambda g, u: g.agreed_at),
            ("closed_at", _("closed at"), lambda g, u: g.closed_at),
        ),
    ),
    Kind(
        "action_steps",
        pgettext_lazy("file name", "action_steps"),
        _("the action steps of those goals."),
        _columns(
            ("goal", _("goal"), lambda s, u: s.goal.code),
            ("who", _("who"), lambda s, u: _who(s.who)),
            ("what", _("what"), lambda s, u: s.what),
            ("due_on", _("due"), lambda s, u: s.due_on),
            ("done_at", _("done at"), lambda s, u: s.done_at),
            ("done_by", _("done by"), lambda s, u: _name(s.done_by)),
        ),
    ),
    Kind(
        "progress_entries",
        pgettext_lazy("file name", "progress_entries"),
        _("the progress recorded on those goals."),
        _columns(
            ("goal", _("goal"), lambda p, u: p.goal.code),
            ("date", _("date"), lambda p, u: p.date),
            ("value", _("value"), lambda p, u: p.value),
            ("unit", _("unit"), lambda p, u: p.goal.unit),
            ("note", _("note"), lambda p, u: p.note),
            ("visit", _("visit"), lambda p, u: p.visit.code if p.visit_id else ""),
            ("recorded_by", _("recorded by"), lambda p, u: _name(p.recorded_by)),
        ),
    ),
    Kind(
        "observations",
        pgettext_lazy("file name", "observations"),
        _("the classroom observations of those relationships."),
        _columns(
            ("code", _("observation"), lambda o, u: o.code),
            ("relationship", _("relationship"), lambda o, u: o.relationship.code),
            ("visit", _("visit"), lambda o, u: o.visit.code if o.visit_id else ""),
            ("tool", _("tool"), lambda o, u: o.tool.name),
            ("observed_on", _("observed on"), lambda o, u: o.observed_on),
            ("observed_by", _("observed by"), lambda o, u: _name(o.author)),
            ("note", _("note"), lambda o, u: o.note),
        ),
    ),
    Kind(
        "observation_scores",
        pgettext_lazy("file name", "observation_scores"),
        _(
            "the score of each domain in those observations (for a checklist, the share of "
            "its look-fors seen, in percent)."
        ),
        _columns(
            ("observation", _("observation"), lambda s, u: s.observation.code),
            ("domain", _("domain"), lambda s, u: s.domain.name),
            ("score", _("score"), lambda s, u: s.score),
            ("note", _("note"), lambda s, u: s.note),
        ),
    ),
    Kind(
        "observation_checks",
        pgettext_lazy("file name", "observation_checks"),
        _("the look-fors seen or not in those observations (checklists)."),
        _columns(
            ("observation", _("observation"), lambda c, u: c.observation.code),
            ("domain", _("domain"), lambda c, u: c.item.domain.name),
            ("look_for", _("look-for"), lambda c, u: c.item.text),
            ("seen", _("seen"), lambda c, u: c.seen),
        ),
    ),
    Kind(
        "attachments",
        pgettext_lazy("file name", "attachments"),
        _(
            "the photos, videos and documents added to those visits, goals and progress: the "
            "shared ones and your own private ones (the files themselves open from their page "
            "in the app)."
        ),
        _columns(
            ("code", _("attachment"), lambda a, u: a.code),
            ("relationship", _("relationship"), lambda a, u: a.relationship.code),
            ("visit", _("visit"), lambda a, u: a.visit.code if a.visit_id else ""),
            ("goal", _("goal"), _attachment_goal),
            ("kind", _("kind"), lambda a, u: _attachment_kind(a.kind)),
            ("who_sees_it", _("who sees it"), lambda a, u: _attachment_tier(a.tier)),
            ("file_name", _("file name"), lambda a, u: a.original_name),
            ("size_bytes", _("size (bytes)"), lambda a, u: a.size),
            ("caption", _("caption"), lambda a, u: a.caption),
            ("added_by", _("added by"), lambda a, u: _name(a.author)),
            ("added_at", _("added at"), lambda a, u: a.created_at),
        ),
    ),
    Kind(
        "video_comments",
        pgettext_lazy("file name", "video_comments"),
        _("the comments on those videos, at their moment in the video."),
        _columns(
            ("code", _("comment"), lambda c, u: c.code),
            ("video", _("video"), lambda c, u: c.attachment.code),
            ("seconds", _("moment (seconds into the video)"), lambda c, u: c.at_seconds),
            ("comment", _("comment"), lambda c, u: c.body),
            ("reply_to", _("reply to"), lambda c, u: c.parent.code if c.parent_id else ""),
            ("written_by", _("written by"), lambda c, u: _name(c.author)),
            ("written_at", _("written at"), lambda c, u: c.created_at),
        ),
    ),
)


def _account(user: User) -> list[tuple[str, str, object]]:
    fields = [
        ("username", gettext("username"), user.username),
        ("first_name", gettext("first name"), user.first_name),
        ("last_name", gettext("last name"), user.last_name),
        ("email", gettext("email address"), user.email),
        ("date_joined", gettext("account created"), user.date_joined),
        ("last_login", gettext("last signed in"), user.last_login),
    ]
    off = turned_off(user)
    fields += [
        (f"email_{kind.name}", str(kind.switch).lower(), kind.name not in off)
        for kind in kinds.optional_kinds()
    ]
    settings = PersonSettings.objects.filter(user=user).first()
    if settings is not None:
        fields += [
            ("calendar_enabled", gettext("calendar feed on"), settings.calendar_enabled),
            ("language", gettext("language (empty: the browser's)"), settings.language),
        ]
    mentor = MentorProfile.objects.filter(user=user).select_related("organization").first()
    if mentor is not None:
        fields += [
            (
                "mentor_organization",
                gettext("mentor profile: organization"),
                _str(mentor.organization),
            ),
            (
                "mentor_currently_teaching",
                gettext("mentor profile: currently a classroom teacher"),
                mentor.currently_teaching,
            ),
            (
                "mentor_years_teaching",
                gettext("mentor profile: years teaching"),
                mentor.years_teaching,
            ),
            ("mentor_age_groups", gettext("mentor profile: age groups"), mentor.age_group_labels()),
            (
                "mentor_preparation",
                gettext("mentor profile: preparation in"),
                mentor.preparation_labels(),
            ),
            ("mentor_credentials", gettext("mentor profile: credentials"), mentor.credentials),
            (
                "mentor_caseload_limit",
                gettext("mentor profile: caseload limit"),
                mentor.caseload_limit,
            ),
        ]
    protege = (
        ProtegeProfile.objects.filter(user=user)
        .select_related("organization", "supervisor")
        .first()
    )
    if protege is not None:
        fields += [
            ("protege_site", gettext("protégé profile: site"), _str(protege.organization)),
            ("protege_position", gettext("protégé profile: position"), protege.position),
            (
                "protege_career_stage",
                gettext("protégé profile: career stage"),
                protege.get_career_stage_display(),
            ),
            (
                "protege_age_group_taught",
                gettext("protégé profile: age group taught"),
                protege.get_age_group_taught_display(),
            ),
            (
                "protege_supervisor",
                gettext("protégé profile: supervisor"),
                _name(protege.supervisor),
            ),
        ]
    return fields


def person_data(user: User) -> PersonData:
    """Everything the app holds about `user` that is theirs to read (see the module's doc)."""
    relationships = list(
        SupportRelationship.objects.taken_part_in_by(user)
        .select_related("program", "mentor", "protege", "team")
        .order_by("starts_on", "pk")
    )
    ids = [relationship.pk for relationship in relationships]
    visits = list(
        Visit.objects.filter(relationship__in=ids)
        .select_related("relationship", "created_by")
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.only("pk", "title")))
        .order_by("date", "start_time", "pk")
    )
    goals = list(
        Goal.objects.filter(relationship__in=ids)
        .select_related("relationship", "created_by")
        .order_by("created_at", "pk")
    )
    rows = {
        "enrollments": Enrollment.objects.filter(person=user)
        .select_related("program")
        .order_by("joined_on", "pk"),
        "classroom_teams": user.classroom_teams.select_related("program", "site").order_by("pk"),
        "relationships": relationships,
        "visits": visits,
        "acknowledgements": Acknowledgement.objects.filter(visit__relationship__in=ids)
        .select_related("visit", "protege")
        .order_by("visit__date", "acknowledged_at", "pk"),
        "goals": goals,
        "action_steps": ActionStep.objects.filter(goal__relationship__in=ids)
        .select_related("goal", "done_by")
        .order_by("goal__created_at", "due_on", "pk"),
        "progress_entries": ProgressEntry.objects.filter(goal__relationship__in=ids)
        .select_related("goal", "visit", "recorded_by")
        .order_by("goal__created_at", "date", "pk"),
        "observations": Observation.objects.filter(relationship__in=ids)
        .select_related("relationship", "visit", "tool", "author")
        .order_by("observed_on", "pk"),
        "observation_scores": ObservationScore.objects.filter(observation__relationship__in=ids)
        .select_related("observation", "domain")
        .order_by("observation__observed_on", "observation_id", "domain__order", "pk"),
        "observation_checks": ObservationCheck.objects.filter(observation__relationship__in=ids)
        .select_related("observation", "item__domain")
        .order_by("observation__observed_on", "observation_id", "item__domain__order", "pk"),
        # The shared files of those relationships and the person's own private ones.
        "attachments": Attachment.objects.filter(relationship__in=ids)
        .readable_by(user, shared=True)
        .select_related("relationship", "visit", "goal", "progress_entry__goal", "author")
        .order_by("created_at", "pk"),
        "video_comments": VideoComment.objects.filter(
            attachment__relationship__in=ids, attachment__tier=Attachment.Tier.SHARED
        )
        .select_related("attachment", "parent", "author")
        .order_by("attachment__created_at", "attachment_id", "at_seconds", "pk"),
    }
    tables = {
        kind.name: [
            {column.key: column.value(obj, user) for column in kind.columns}
            for obj in rows[kind.name]
        ]
        for kind in KINDS
    }
    return PersonData(exported_at=clock.now(), account=_account(user), tables=tables)
