"""The mentor and coach workspace: caseload, the relationship page, visits and the calendar.

The relationship page and the visit page are shared: the mentor or coach sees their tools, the
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
from django.utils.html import format_html

from core import clock, versions
from core.access import Read, record_read
from core.querytools import CountingPaginator, head_and_total, page_number
from programs.forms import add_service_error
from programs.role_descriptions import describe
from relationships import selectors, services
from relationships.calendar import build_feed
from relationships.forms import (
    LOG_FIELDS,
    SCHEDULE_FIELDS,
    VisitCancelForm,
    VisitLogForm,
    VisitScheduleForm,
)
from relationships.lookups import get_permitted_or_404
from relationships.models import PersonSettings, SupportRelationship, Visit
from relationships.rules import (
    conversation_since,
    is_protege,
    is_supervisor,
    visit_written_at,
    written_since,
)

PAGE_SIZE = 25


def _relationship(request: HttpRequest, code) -> SupportRelationship:
    """A relationship whose page the person may open (participants, coordinators): else 404."""
    return get_permitted_or_404(
        SupportRelationship.objects.select_related("program", "protege", "team", "mentor"),
        rule="relationships.open_relationship_page",
        user=request.user,
        code=code,
    )


def _working_relationship(request: HttpRequest, code) -> SupportRelationship:
    """A relationship the person works in as its mentor or coach: else 404 or 403."""
    relationship = _relationship(request, code)
    if not rules.test_rule("relationships.work_in_relationship", request.user, relationship):
        raise PermissionDenied("Only the mentor or coach of an open relationship can do this.")
    return relationship


def _visit(request: HttpRequest, code) -> Visit:
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


def _working_visit(request: HttpRequest, code) -> Visit:
    visit = _visit(request, code)
    if not rules.test_rule("relationships.work_in_relationship", request.user, visit.relationship):
        raise PermissionDenied("Only the mentor or coach of an open relationship can do this.")
    return visit


# Caseload -------------------------------------------------------------------------------------


def caseload(request: HttpRequest) -> HttpResponse:
    """My relationships as mentor or coach, grouped by program, with what needs doing."""
    ended = request.GET.get("show") == "ended"
    today = clock.today()
    relationships = selectors.caseload_for(request.user, ended=ended)
    page = CountingPaginator(relationships, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.caseload_rows(list(page.object_list), today=today)
    return render(
        request,
        "relationships/supportrelationship_caseload.html",
        {"page_obj": page, "rows": rows, "show_ended": ended, "today": today},
    )


# Relationship page ----------------------------------------------------------------------------


UPCOMING_SHOWN = 5  # scheduled visits listed on the relationship page; the rest: the calendar


def relationship_detail(request: HttpRequest, code) -> HttpResponse:
    relationship = _relationship(request, code)
    user = request.user
    is_mentor = relationship.mentor_id == user.pk
    can_work = rules.test_rule("relationships.work_in_relationship", user, relationship)
    can_read = rules.test_rule("relationships.read_conversation", user, relationship)
    # Only the events up to the page asked for are read (the last page's, if past the end).
    number = page_number(request.GET.get("page"))
    events = selectors.timeline(relationship, newest=number * PAGE_SIZE)
    page = Paginator(events, PAGE_SIZE).get_page(number)
    goals = list(relationship.goals.order_by("status", "-created_at"))
    program = relationship.program
    is_supported = _is_supported(user, relationship)
    can_goal = relationship.is_open and (is_mentor or is_supported)
    # One query for the first scheduled visits and how many there are in all.
    upcoming, upcoming_total = head_and_total(
        relationship.visits.scheduled().order_by("date", "start_time", "pk"), UPCOMING_SHOWN
    )
    # A coordinator who reads shared logs reads what was written since the program began
    # sharing them: the goals and planned visits whose words this page may show.
    since = conversation_since(user, relationship) if can_read else None
    readable_goal_ids = {
        goal.pk for goal in goals if can_read and written_since(goal.created_at, since)
    }
    readable_visit_ids = {
        visit.pk for visit in upcoming if can_read and written_since(visit_written_at(visit), since)
    }
    # The program's coordinators (whatever else they are here) get the way back to its
    # dashboard and the dashboard's pause, resume and end actions: the rules of those pages.
    manages = program is not None and rules.test_rule("programs.manage_program", user, program)
    can_change_status = (
        manages
        and relationship.is_open
        and not program.is_archived
        and rules.test_rule("relationships.manage_relationship", user, relationship)
    )
    if since is not None and _shows_conversation(
        page.object_list, upcoming, readable_goal_ids, readable_visit_ids
    ):
        record_read(
            request,
            [
                Read(
                    kind="relationship",
                    what="The relationship's page",
                    relationship_id=relationship.pk,
                    program_id=relationship.program_id,
                )
            ],
        )
    return render(
        request,
        "relationships/supportrelationship_detail.html",
        {
            "relationship": relationship,
            "is_mentor": is_mentor,
            "is_supported": is_supported,
            "can_work": can_work,
            "can_read": can_read,
            "readable_goal_ids": readable_goal_ids,
            "readable_visit_ids": readable_visit_ids,
            "people": selectors.supported_people(relationship),
            "role_description": describe(program, relationship.kind),
            "open_goals": [goal for goal in goals if goal.is_open],
            "closed_goals": [goal for goal in goals if not goal.is_open],
            # Neither the mentor nor a supported person: a coordinator, who reads the page
            # from the program's side (the people supported first, then their mentor).
            "is_coordinator_view": not (is_mentor or is_supported),
            "manages_program": manages,
            "can_change_status": can_change_status,
            "upcoming": upcoming,
            "upcoming_more": upcoming_total - len(upcoming),
            # The calendar lists the open relationships a person takes part in.
            "calendar_has_them": relationship.is_open and (is_mentor or is_supported),
            "page_obj": page,
            "can_propose_goal": can_goal
            and (program is None or program.allows_collaborative_goals),
            "can_assign_goal": can_work and program is not None and program.allows_prescribed_goals,
            "expected_visits": relationship.expected("visits_per_month"),
            "expected_minutes": relationship.expected("minutes_per_month"),
            "today": clock.today(),
        },
    )


def _shows_conversation(events, upcoming, readable_goal_ids, readable_visit_ids) -> bool:
    """Whether the relationship page shows words of the conversation: a planned visit's focus,
    or why a goal was closed."""
    return any(
        visit.next_meeting_focus for visit in upcoming if visit.pk in readable_visit_ids
    ) or any(
        event.detail
        for event in events
        if event.goal is not None and event.goal.pk in readable_goal_ids
    )


def _is_supported(user, relationship: SupportRelationship) -> bool:
    return is_protege(user, relationship) and not is_supervisor(user, relationship)


# Visits ---------------------------------------------------------------------------------------


def visit_detail(request: HttpRequest, code) -> HttpResponse:
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
        format_html('{} <a href="{}">Log it instead</a>.', e.message, url)
        if e.code == services.PAST_VISIT
        else e.message
        for e in errors["date"]
    ]
    return ValidationError({**errors, "date": dates})


def _date_asked(request: HttpRequest) -> datetime.date | None:
    """The date in `?date=` (ISO, as the schedule form's "Log it instead" link gives it)."""
    try:
        return datetime.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return None


def visit_schedule(request: HttpRequest, code) -> HttpResponse:
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
                    request, f"Visit scheduled for {_day(visit.date)}. It is on your calendar."
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


def _log_form_initial(request: HttpRequest, relationship: SupportRelationship) -> dict:
    """Today's date (or the one in `?date=`) and the usual place."""
    return {
        "date": _date_asked(request) or clock.today(),
        "location": selectors.usual_location(relationship),
    }


def _save_log(request, form, relationship, visit=None) -> Visit:
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


def _render_log_form(request, form, relationship, visit=None, mode="log", **context):
    return render(
        request,
        "relationships/visit_form.html",
        {"form": form, "relationship": relationship, "visit": visit, "mode": mode, **context},
    )


PLANNED_SHOWN = 5  # planned visits offered on the new-log page; the rest: the relationship page


def visit_log_new(request: HttpRequest, code) -> HttpResponse:
    """Log a visit that was not scheduled. The page first offers the visits planned for today
    or earlier and not yet logged, so that logging one of them does not leave a twin behind."""
    relationship = _working_relationship(request, code)
    # One query: the latest planned visits and how many there are.
    planned, planned_total = head_and_total(
        relationship.visits.scheduled()
        .filter(date__lte=clock.today())
        .order_by("-date", F("start_time").desc(nulls_last=True), "-pk"),
        PLANNED_SHOWN,
    )
    planned_context = {
        "planned": planned,
        "planned_more": planned_total - len(planned),
        "today": clock.today(),
    }
    if request.method == "POST":
        form = VisitLogForm(request.POST, relationship=relationship)
        if form.is_valid():
            try:
                visit = _save_log(request, form, relationship)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _logged_message(visit))
                return redirect(visit)
    else:
        form = VisitLogForm(
            initial=_log_form_initial(request, relationship), relationship=relationship
        )
    return _render_log_form(request, form, relationship, **planned_context)


def visit_log(request: HttpRequest, code) -> HttpResponse:
    """Turn a scheduled visit into a logged one."""
    visit = _working_visit(request, code)
    relationship = visit.relationship
    if visit.status != Visit.Status.SCHEDULED:
        messages.info(request, "This visit is not waiting to be logged.")
        return redirect(visit)
    if request.method == "POST":
        form = VisitLogForm(request.POST, instance=visit, relationship=relationship)
        if form.is_valid():
            try:
                visit = _save_log(request, form, relationship, visit=visit)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _logged_message(visit))
                return redirect(visit)
    else:
        # The focus planned for this visit becomes the log's focus; "next meeting" starts empty.
        initial = {"next_meeting_focus": ""}
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


def visit_edit(request: HttpRequest, code) -> HttpResponse:
    """Change a scheduled visit, or a log until it is acknowledged (history is kept)."""
    visit = _working_visit(request, code)
    relationship = visit.relationship
    if visit.status == Visit.Status.CANCELLED:
        messages.info(request, "A cancelled visit cannot be changed.")
        return redirect(visit)
    if visit.status == Visit.Status.LOGGED and visit.acknowledgements.exists():
        messages.info(request, "This log has been acknowledged, so it can no longer be edited.")
        return redirect(visit)
    scheduled = visit.status == Visit.Status.SCHEDULED
    data = request.POST if request.method == "POST" else None
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
            messages.success(request, "Your changes are saved.")
            return redirect(visit)
    return _render_log_form(
        request, form, relationship, visit, mode="edit_schedule" if scheduled else "edit"
    )


def visit_cancel(request: HttpRequest, code) -> HttpResponse:
    visit = _working_visit(request, code)
    if visit.status != Visit.Status.SCHEDULED:
        messages.info(request, "Only a scheduled visit can be cancelled.")
        return redirect(visit)
    form = VisitCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_cancel(visit=visit, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_error(form, error, {"cancel_reason": "reason"})
        else:
            messages.success(request, f"The visit on {_day(visit.date)} is cancelled.")
            return redirect(visit.relationship)
    return render(
        request,
        "relationships/visit_cancel.html",
        {"form": form, "visit": visit, "relationship": visit.relationship},
    )


def _day(date) -> str:
    return f"{date:%A}, {date:%B} {date.day}"


def _logged_message(visit: Visit) -> str:
    message = "Visit logged. The protégé can now read it and acknowledge it."
    if visit.is_incomplete:
        message += " It is an observation without feedback, so it shows as incomplete."
    return message


# Calendar -------------------------------------------------------------------------------------


def _feed_url(request: HttpRequest, person_settings: PersonSettings) -> str:
    return request.build_absolute_uri(
        reverse("relationships:calendar_feed", kwargs={"token": person_settings.calendar_token})
    )


def calendar(request: HttpRequest) -> HttpResponse:
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


def calendar_renew(request: HttpRequest) -> HttpResponse:
    """A new secret feed link; the old one stops working (GET asks first)."""
    if request.method == "POST":
        services.calendar_token_renew(user=request.user)
        messages.success(
            request,
            "You have a new calendar link. The old one no longer works: subscribe to the new "
            "one in your calendar app.",
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
        raise Http404("No calendar at this address.")
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
