"""The protégé's workspace: their feedback, acknowledging a log, and their own settings.
(Who supports them and how, My support, reads goals as well: reports/views/support.py.)

Lists are fetched through the conversation-tier querysets, and the one log a page is about is
checked with the same tier's rule, so a protégé's supervisor (or anyone outside the
relationship) reaches none of it: out of scope is a 404.
"""

import rules
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core import languages
from core.http import AuthedRequest
from core.querytools import CountingPaginator
from relationships import roles, services
from relationships.forms_protege import (
    AcknowledgeForm,
    CalendarFeedForm,
    LanguageForm,
    PersonSettingsForm,
)
from relationships.lookups import get_permitted_or_404
from relationships.models import (
    Acknowledgement,
    PersonSettings,
    SupportRelationship,
    Visit,
)

PAGE_SIZE = 25


def supported_relationships(user: User) -> QuerySet[SupportRelationship]:
    """Relationships in which `user` is supported: as the protégé, or as a team member.

    Built on the conversation tier, so the firewall (a supervisor never reads them) holds here
    too, whatever else the person is.
    """
    return (
        SupportRelationship.objects.conversation_visible_to(user)
        .filter(Q(protege=user) | Q(team__in=user.classroom_teams.values("pk")))
        .exclude(mentor=user)
    )


def supported_relationship_ids(user: User) -> list[int]:
    """The ids of `supported_relationships(user)`, as a list (a person has a few supports).

    Pages filter by this list rather than by the scope as a subquery: beside their joins,
    PostgreSQL spent longer planning the subquery than running the page's query."""
    return list(supported_relationships(user).values_list("pk", flat=True))


# What a card of the feedback list shows: reading whole visits and programs (their JSON lists
# decoded on every row) cost more than the rest of the query at state scale.
FEEDBACK_LIST_FIELDS = (
    "code",
    "date",
    "start_time",
    "duration_minutes",
    "feedback",
    "protege_next_steps",
    "relationship__kind",
    "relationship__program__name",
    "relationship__team__name",
    "relationship__mentor__first_name",
    "relationship__mentor__last_name",
    "relationship__mentor__username",
)


def feedback(request: AuthedRequest) -> HttpResponse:
    """Visit logs from this person's supports: those waiting for them first, then newest."""
    user = request.user
    logs = (
        Visit.objects.logged()
        .filter(relationship__in=supported_relationship_ids(user))
        .select_related("relationship__mentor", "relationship__program", "relationship__team")
        .only(*FEEDBACK_LIST_FIELDS)
        .annotate(
            acknowledged_by_me=Exists(
                Acknowledgement.objects.filter(visit=OuterRef("pk"), protege=user.pk)
            )
        )
        .order_by("acknowledged_by_me", "-date", "-start_time", "-pk")
    )
    page = CountingPaginator(logs, PAGE_SIZE).get_page(request.GET.get("page"))
    waiting = sum(1 for visit in page.object_list if not visit.acknowledged_by_me)
    return render(
        request,
        "relationships/protege/visit_list.html",
        {"page_obj": page, "visits": page.object_list, "waiting_on_page": waiting},
    )


def visit_acknowledge(request: AuthedRequest, code) -> HttpResponse:
    """Read a visit log and acknowledge it: one button co-signs the next steps; a reflection back
    and a private one are optional."""
    visit = get_permitted_or_404(
        Visit.objects.select_related(
            "relationship__mentor", "relationship__program", "relationship__team"
        ),
        rule="relationships.read_visit",
        user=request.user,
        code=code,
    )
    relationship = visit.relationship
    if not rules.test_rule("relationships.acknowledge_visit", request.user, relationship):
        raise PermissionDenied(_("Only the protégé of this relationship can acknowledge its logs."))
    mine = visit.acknowledgements.filter(protege=request.user).first()
    form = AcknowledgeForm(
        request.POST if request.method == "POST" else None,
        mentor_name=relationship.mentor_name,
    )
    if request.method == "POST":
        if mine is not None:
            messages.info(request, _("You have already acknowledged this log."))
            return redirect("relationships:visit_acknowledge", code=visit.code)
        if form.is_valid():
            try:
                services.visit_acknowledge(
                    visit=visit,
                    by=request.user,
                    reflection=form.cleaned_data["reflection"],
                    private_reflection=form.cleaned_data["private_reflection"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                words = {
                    "mentor": relationship.mentor_name,
                    "day": date_format(visit.date, pgettext("month and day", "F j")),
                }
                if form.cleaned_data["reflection"]:
                    thanks = _(
                        "Thank you. %(mentor)s can see that you acknowledged the log of %(day)s "
                        "and co-signed your next steps. Your reflection is there for %(mentor)s "
                        "to read."
                    )
                else:
                    thanks = _(
                        "Thank you. %(mentor)s can see that you acknowledged the log of %(day)s "
                        "and co-signed your next steps."
                    )
                messages.success(request, thanks % words)
                return redirect("relationships:feedback")
    return render(
        request,
        "relationships/protege/visit_acknowledge.html",
        {
            "visit": visit,
            "relationship": relationship,
            "ack_form": form,
            "my_acknowledgement": mine,
        },
    )


def _calendar_url(person_settings: PersonSettings) -> str:
    """The private calendar feed link, once the mentor workspace provides the feed."""
    for name in ("relationships:calendar_feed", "relationships:calendar"):
        try:
            path = reverse(name, kwargs={"token": person_settings.calendar_token})
        except NoReverseMatch:
            continue
        return path
    return ""


def person_settings(request: AuthedRequest) -> HttpResponse:
    """A person's own settings: their email address and the emails that concern them (by the
    roles the navigation bar keeps in the session, so no query), and their private calendar
    link and feed. Each part has its own button and saves only its own fields."""
    user = request.user
    current = PersonSettings.for_user(user)
    posted = request.POST if request.method == "POST" else None
    part = posted.get("part", "") if posted is not None else ""
    calendar_part = part == "calendar"
    if posted is not None and part == "language":
        language_form = LanguageForm(posted, instance=current)
        if language_form.is_valid():
            chosen = (
                services.person_language_set(
                    user=user, language=language_form.cleaned_data["language"]
                ).language
                or None
            )
            languages.remember(request, chosen)
            messages.success(request, _("Your language is saved."))
            response = redirect("relationships:settings")
            languages.set_cookie(response, chosen)
            return response
        posted = None  # the other parts show what is saved
    else:
        language_form = LanguageForm(instance=current)
    form = PersonSettingsForm(
        None if calendar_part else posted,
        instance=current,
        user=user,
        roles=roles.session_roles(request),
    )
    calendar_form = CalendarFeedForm(posted if calendar_part else None, instance=current, user=user)
    if posted is not None:
        if "new_calendar_link" in posted:
            services.calendar_token_renew(user=user)
            messages.success(
                request,
                _(
                    "You have a new calendar link. The old one no longer works: paste the new "
                    "one into your calendar app."
                ),
            )
            return redirect("relationships:settings")
        sent = calendar_form if calendar_part else form
        if sent.is_valid():
            try:
                saved = services.person_settings_save(user=user, **sent.settings())
            except ValidationError as error:
                sent.add_error(None, error)
            else:
                if not calendar_part:
                    notice = _("Your settings are saved.")
                elif saved.calendar_enabled:
                    notice = _("Your calendar feed is on: your calendar link works.")
                else:
                    notice = _("Your calendar feed is off: your calendar link shows nothing.")
                messages.success(request, notice)
                return redirect("relationships:settings")
    calendar_path = _calendar_url(current)
    return render(
        request,
        "relationships/protege/personsettings_form.html",
        {
            "form": form,
            "calendar_form": calendar_form,
            "language_form": language_form,
            "person_settings": current,
            "calendar_url": request.build_absolute_uri(calendar_path) if calendar_path else "",
        },
    )
