"""The mentor and coach workspace: caseload, visits and the calendar (the relationship page:
relationships/views/relationship.py).

The visit page is shared, as the relationship page is: the mentor or coach sees their tools, the
protégé (or each team member) sees theirs through includes, and the program's coordinators see
the logistics (and the conversation only when the program shares logs). Private notes are shown
to their author alone.
"""

import datetime
from urllib.parse import urlencode

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core import clock, versions
from core.access import Read, record_read
from core.http import AuthedRequest
from core.querytools import CountingPaginator, head_and_total
from programs.forms import add_service_error
from relationships import selectors, services
from relationships.calendar import build_feed
from relationships.caseload import caseload_cards
from relationships.forms import (
    SCHEDULE_FIELDS,
    VisitCancelForm,
    VisitLogForm,
    VisitScheduleForm,
)
from relationships.lookups import get_permitted_or_404
from relationships.models import PersonSettings, SupportRelationship, Visit
from relationships.rules import conversation_since
from relationships.services import LOG_FIELDS
from relationships.views.relationship import page_relationship

PAGE_SIZE = 25


def _working_relationship(request: AuthedRequest, code) -> SupportRelationship:
    """A relationship the person works in as its mentor or coach: else 404 or 403."""
    relationship = page_relationship(request, code)
    if not rules.test_rule("relationships.work_in_relationship", request.user, relationship):
        raise PermissionDenied(_("Only the mentor or coach of an open relationship can do this."))
    return relationship


def _visit(request: AuthedRequest, code) -> Visit:
    """A visit of a relationship whose pages the person may open: else 404."""
    return get_permitted_or_404(
        Visit.objects.select_related(
            "relationship",
            "relationship__program",
            "relationship__protege",
            "relationship__team",
            "relationship__mentor",
            "created_by",
        ),
        rule="relationships.open_visit_page",
        user=request.user,
        code=code,
    )


def _working_visit(request: AuthedRequest, code) -> Visit:
    visit = _visit(request, code)
    if not rules.test_rule("relationships.work_in_relationship", request.user, visit.relationship):
        raise PermissionDenied(_("Only the mentor or coach of an open relationship can do this."))
    return visit


# Caseload -------------------------------------------------------------------------------------


def caseload(request: AuthedRequest) -> HttpResponse:
    """My relationships as mentor or coach, grouped by program, with what needs doing."""
    ended = request.GET.get("show") == "ended"
    today = clock.today()
    relationships = selectors.caseload_for(request.user, ended=ended)
    page = CountingPaginator(relationships, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "relationships/supportrelationship_caseload.html",
        {
            "page_obj": page,
            "cards": caseload_cards(list(page.object_list), today=today),
            "show_ended": ended,
        },
    )


# Visits ---------------------------------------------------------------------------------------


def visit_detail(request: AuthedRequest, code) -> HttpResponse:
    """The log page: logistics for everyone who sees the relationship, the conversation for
    its readers, the private notes for their author alone."""
    visit = _visit(request, code)
    relationship = visit.relationship
    user = request.user
    can_read = rules.test_rule("relationships.read_visit", user, visit)
    can_work = rules.test_rule("relationships.work_in_relationship", user, relationship)
    acknowledgements = list(
        visit.acknowledgements.select_related("protege").defer("private_reflection")
    )
    if (
        can_read
        and conversation_since(user, relationship) is not None
        and (visit.status == Visit.Status.LOGGED or visit.next_meeting_focus)
    ):
        record_read(
            request,
            [
                Read(
                    kind="visit",
                    what=f"The {'log' if visit.status == Visit.Status.LOGGED else 'plan'} "
                    f"of the visit on {_day(visit.date)}, {visit.date.year}",
                    relationship_id=relationship.pk,
                    program_id=relationship.program_id,
                    visit_id=visit.pk,
                )
            ],
        )
    return render(
        request,
        "relationships/visit_detail.html",
        {
            "visit": visit,
            "relationship": relationship,
            "can_read": can_read,
            "can_work": can_work,
            "is_mentor": relationship.mentor_id == user.pk,
            "can_read_private": rules.test_rule("relationships.read_private_notes", user, visit),
            "acknowledgements": acknowledgements if can_read else [],
            "goals": list(visit.goals.all()) if can_read else [],
            "progress_entries": list(
                visit.progress_entries.current().select_related("goal").order_by("date", "pk")
            )
            if can_read
            else [],
            "editable": can_work
            and visit.status != Visit.Status.CANCELLED
            and not (visit.status == Visit.Status.LOGGED and acknowledgements),
        },
    )


def _offer_to_log(error: ValidationError, log_url: str, date: datetime.date) -> ValidationError:
    """The service's refusal of a scheduled date that has passed, with a link to the log page
    for that date ("Log it instead"); any other refusal as it is."""
    errors = getattr(error, "error_dict", {})
    if not any(e.code == services.PAST_VISIT for e in errors.get("date", ())):
        return error
    url = f"{log_url}?{urlencode({'date': date.isoformat()})}"
    dates = [
        format_html('{} <a href="{}">{}</a>.', e.message, url, _("Log it instead"))
        if e.code == services.PAST_VISIT
        else e.message
        for e in errors["date"]
    ]
    return ValidationError({**errors, "date": dates})


def _date_asked(request: AuthedRequest) -> datetime.date | None:
    """The date in `?date=` (ISO, as the schedule form's "Log it instead" link gives it)."""
    try:
        return datetime.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return None


def visit_schedule(request: AuthedRequest, code) -> HttpResponse:
    relationship = _working_relationship(request, code)
    if request.method == "POST":
        form = VisitScheduleForm(request.POST)
        if form.is_valid():
            try:
                visit = services.visit_schedule(
                    relationship=relationship,
                    by=request.user,
                    **{name: form.cleaned_data[name] for name in SCHEDULE_FIELDS},
                )
            except ValidationError as error:
                log_url = reverse("relationships:visit_log_new", args=[relationship.code])
                add_service_error(form, _offer_to_log(error, log_url, form.cleaned_data["date"]))
            else:
                messages.success(
                    request,
                    _("Visit scheduled for %(day)s. It is on your calendar.")
                    % {"day": _local_day(visit.date)},
                )
                return redirect(relationship)
    else:
        form = VisitScheduleForm(
            initial={
                "date": clock.today(),
                "location": selectors.usual_location(relationship),
            }
        )
    return render(
        request,
        "relationships/visit_form.html",
        {"form": form, "relationship": relationship, "mode": "schedule"},
    )


def _log_form_initial(
    request: AuthedRequest, relationship: SupportRelationship
) -> dict[str, object]:
    """Today's date (or the one in `?date=`) and the usual place."""
    return {
        "date": _date_asked(request) or clock.today(),
        "location": selectors.usual_location(relationship),
    }


def _save_log(
    request: AuthedRequest,
    form: VisitLogForm,
    relationship: SupportRelationship,
    visit: Visit | None = None,
) -> Visit:
    """Log the visit and, when asked, put the next meeting on the calendar: all or nothing."""
    data = {name: form.cleaned_data[name] for name in LOG_FIELDS}
    with transaction.atomic():
        visit = services.visit_log(
            relationship=relationship,
            by=request.user,
            visit=visit,
            goals=form.cleaned_data["goals"],
            **data,
        )
        next_on = visit.next_meeting_on
        if (
            form.cleaned_data.get("schedule_next")
            and next_on
            and not relationship.visits.scheduled().filter(date=next_on).exists()
        ):
            try:
                services.visit_schedule(
                    relationship=relationship,
                    by=request.user,
                    date=next_on,
                    start_time=visit.start_time,
                    duration_minutes=visit.duration_minutes,
                    location=visit.location,
                    next_meeting_focus=visit.next_meeting_focus,
                )
            except ValidationError as error:
                raise ValidationError({"next_meeting_on": error.messages}) from error
    return visit


def _log_posted(
    request: AuthedRequest,
    form: VisitLogForm,
    relationship: SupportRelationship,
    visit: Visit | None = None,
) -> HttpResponse | None:
    """Save a posted log (`_save_log`) and go to the visit; None to show the form again, with
    what was wrong."""
    if not form.is_valid():
        return None
    try:
        visit = _save_log(request, form, relationship, visit=visit)
    except ValidationError as error:
        add_service_error(form, error)
        return None
    messages.success(request, _logged_message(visit))
    return redirect(visit)


def _render_log_form(
    request: AuthedRequest,
    form: VisitLogForm | VisitScheduleForm,
    relationship: SupportRelationship,
    visit: Visit | None = None,
    mode: str = "log",
    **context: object,
) -> HttpResponse:
    return render(
        request,
        "relationships/visit_form.html",
        {"form": form, "relationship": relationship, "visit": visit, "mode": mode, **context},
    )


PLANNED_SHOWN = 5  # planned visits offered on the new-log page; the rest: the relationship page


def visit_log_new(request: AuthedRequest, code) -> HttpResponse:
    """Log a visit that was not scheduled. The page first offers the visits planned for today
    or earlier and not yet logged, so that logging one of them does not leave a twin behind."""
    relationship = _working_relationship(request, code)
    today = clock.today()
    # One query: the latest planned visits and how many there are.
    planned, planned_total = head_and_total(
        relationship.visits.scheduled()
        .filter(date__lte=today)
        .order_by("-date", F("start_time").desc(nulls_last=True), "-pk"),
        PLANNED_SHOWN,
    )
    if request.method == "POST":
        form = VisitLogForm(request.POST, relationship=relationship)
        if response := _log_posted(request, form, relationship):
            return response
    else:
        form = VisitLogForm(
            initial=_log_form_initial(request, relationship), relationship=relationship
        )
    return _render_log_form(
        request,
        form,
        relationship,
        planned=planned,
        planned_more=planned_total - len(planned),
        today=today,
    )


def visit_log(request: AuthedRequest, code) -> HttpResponse:
    """Turn a scheduled visit into a logged one."""
    visit = _working_visit(request, code)
    relationship = visit.relationship
    if visit.status != Visit.Status.SCHEDULED:
        messages.info(request, _("This visit is not waiting to be logged."))
        return redirect(visit)
    if request.method == "POST":
        form = VisitLogForm(request.POST, instance=visit, relationship=relationship)
        if response := _log_posted(request, form, relationship, visit):
            return response
    else:
        # The focus planned for this visit becomes the log's focus; "next meeting" starts empty.
        initial: dict[str, object] = {"next_meeting_focus": ""}
        if visit.date > clock.today():  # it happened sooner than planned
            initial["date"] = clock.today()
        if asked := _date_asked(request):  # "Log it instead", from changing its date
            initial["date"] = asked
        if visit.next_meeting_focus and not visit.focus_challenges:
            initial["focus_challenges"] = visit.next_meeting_focus
        if not visit.location:
            initial["location"] = selectors.usual_location(relationship)
        form = VisitLogForm(instance=visit, initial=initial, relationship=relationship)
    return _render_log_form(request, form, relationship, visit)


def visit_edit(request: AuthedRequest, code) -> HttpResponse:
    """Change a scheduled visit, or a log until it is acknowledged (history is kept)."""
    visit = _working_visit(request, code)
    relationship = visit.relationship
    if visit.status == Visit.Status.CANCELLED:
        messages.info(request, _("A cancelled visit cannot be changed."))
        return redirect(visit)
    if visit.status == Visit.Status.LOGGED and visit.acknowledgements.exists():
        messages.info(request, _("This log has been acknowledged, so it can no longer be edited."))
        return redirect(visit)
    scheduled = visit.status == Visit.Status.SCHEDULED
    data = request.POST if request.method == "POST" else None
    form: VisitScheduleForm | VisitLogForm
    fields: tuple[str, ...]
    if scheduled:
        form = VisitScheduleForm(data, instance=visit)
        fields = SCHEDULE_FIELDS
    else:
        form = VisitLogForm(
            data,
            instance=visit,
            relationship=relationship,
            show_schedule_next=False,
            initial={"goals": list(visit.goals.all())},
        )
        fields = LOG_FIELDS
    edited = fields if scheduled else (*fields, "goals")
    version = versions.carry(form, request, lambda: versions.values_of(visit, edited))
    if data is not None and form.is_valid():
        try:
            services.visit_update(
                visit=visit,
                by=request.user,
                goals=None if scheduled else form.cleaned_data["goals"],
                version=version,
                **{name: form.cleaned_data[name] for name in fields},
            )
        except versions.EditConflict as conflict:
            versions.show_conflict(form, conflict, keep_url=visit.get_absolute_url())
        except ValidationError as error:
            if scheduled:  # a date gone by: log this visit, on that date
                log_url = reverse("relationships:visit_log", args=[visit.code])
                error = _offer_to_log(error, log_url, form.cleaned_data["date"])
            add_service_error(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(visit)
    return _render_log_form(
        request, form, relationship, visit, mode="edit_schedule" if scheduled else "edit"
    )


def visit_cancel(request: AuthedRequest, code) -> HttpResponse:
    visit = _working_visit(request, code)
    if visit.status != Visit.Status.SCHEDULED:
        messages.info(request, _("Only a scheduled visit can be cancelled."))
        return redirect(visit)
    form = VisitCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_cancel(visit=visit, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_error(form, error, {"cancel_reason": "reason"})
        else:
            messages.success(
                request,
                _("The visit on %(day)s is cancelled.") % {"day": _local_day(visit.date)},
            )
            return redirect(visit.relationship)
    return render(
        request,
        "relationships/visit_cancel.html",
        {"form": form, "visit": visit, "relationship": visit.relationship},
    )


def _day(date: datetime.date) -> str:
    """The day in English, as the audit log records it."""
    return f"{date:%A}, {date:%B} {date.day}"


def _local_day(date: datetime.date) -> str:
    """The day in the reader's language ("Thursday, March 5"; "jueves 5 de marzo")."""
    return date_format(date, pgettext("weekday and day of a visit", "l, F j"))


def _logged_message(visit: Visit) -> str:
    if visit.is_incomplete:
        return _(
            "Visit logged. The protégé can now read it and acknowledge it. It is an observation "
            "without feedback, so it shows as incomplete."
        )
    return _("Visit logged. The protégé can now read it and acknowledge it.")


# Calendar -------------------------------------------------------------------------------------


def _feed_url(request: AuthedRequest, person_settings: PersonSettings) -> str:
    return request.build_absolute_uri(
        reverse("relationships:calendar_feed", kwargs={"token": person_settings.calendar_token})
    )


def calendar(request: AuthedRequest) -> HttpResponse:
    """Upcoming visits across my relationships, and my private calendar feed link."""
    visits = selectors.upcoming_visits(request.user)
    page = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    person_settings = PersonSettings.for_user(request.user)
    feed_url = _feed_url(request, person_settings)
    return render(
        request,
        "relationships/visit_calendar.html",
        {
            "page_obj": page,
            "person_settings": person_settings,
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[-1],
        },
    )


def calendar_renew(request: AuthedRequest) -> HttpResponse:
    """A new secret feed link; the old one stops working (GET asks first)."""
    if request.method == "POST":
        services.calendar_token_renew(user=request.user)
        messages.success(
            request,
            _(
                "You have a new calendar link. The old one no longer works: subscribe to the new "
                "one in your calendar app."
            ),
        )
        return redirect("relationships:calendar")
    return render(request, "relationships/personsettings_calendar_renew.html")


@login_not_required
def calendar_feed(request: HttpRequest, token) -> HttpResponse:
    """The iCalendar feed: public by secret link, logistics only, 404 once revoked."""
    person_settings = (
        PersonSettings.objects.select_related("user")
        .filter(calendar_token=token, calendar_enabled=True, user__is_active=True)
        .first()
    )
    if person_settings is None:
        raise Http404(_("No calendar at this address."))
    user = person_settings.user
    body = build_feed(
        user=user,
        visits=selectors.feed_visits(user),
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="visits.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response
