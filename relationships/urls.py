from django.urls import path

from relationships.views import coordinator, informal, mentor, protege, relationship, turnover

# The `relationships` namespace: mentoring_site/urls.py joins these patterns to My support's,
# which reads goals too (reports/urls.py).

urlpatterns = [
    # --- Coordinator: matching, classroom teams, pause/end (relationships/views/coordinator.py)
    path("coordinate/<uuid:program>/match/", coordinator.match, name="match"),
    path(
        "coordinate/<uuid:program>/reassign/<uuid:enrollment>/",
        turnover.reassign,
        name="reassign",
    ),
    path("coordinate/<uuid:program>/teams/", coordinator.team_list, name="team_list"),
    path("coordinate/<uuid:program>/teams/new/", coordinator.team_create, name="team_create"),
    path("teams/<uuid:code>/edit/", coordinator.team_edit, name="team_edit"),
    path("<uuid:code>/pause/", coordinator.relationship_pause, name="pause"),
    path("<uuid:code>/resume/", coordinator.relationship_resume, name="resume"),
    path("<uuid:code>/end/", coordinator.relationship_end, name="end"),
    # --- Mentor and coach: caseload, visits, calendar (views/mentor.py); the relationship page,
    # for its people and the program's coordinators (views/relationship.py)
    path("caseload/", mentor.caseload, name="caseload"),
    path("calendar/", mentor.calendar, name="calendar"),
    path("calendar/new-link/", mentor.calendar_renew, name="calendar_renew"),
    path("calendar/<uuid:token>.ics", mentor.calendar_feed, name="calendar_feed"),
    path("<uuid:code>/", relationship.relationship_detail, name="detail"),
    path("<uuid:code>/visits/schedule/", mentor.visit_schedule, name="visit_schedule"),
    path("<uuid:code>/visits/log/", mentor.visit_log_new, name="visit_log_new"),
    path("visits/<uuid:code>/", mentor.visit_detail, name="visit_detail"),
    path("visits/<uuid:code>/log/", mentor.visit_log, name="visit_log"),
    path("visits/<uuid:code>/edit/", mentor.visit_edit, name="visit_edit"),
    path("visits/<uuid:code>/cancel/", mentor.visit_cancel, name="visit_cancel"),
    # --- Protégé: feedback, acknowledgement, settings (views/protege.py)
    path("my-support/feedback/", protege.feedback, name="feedback"),
    path(
        "visits/<uuid:code>/acknowledge/",
        protege.visit_acknowledge,
        name="visit_acknowledge",
    ),
    path("my-settings/", protege.person_settings, name="settings"),
    # --- Informal relationships, outside any program (views/informal.py)
    path("informal/new/", informal.informal_new, name="informal_new"),
    path(
        "informal/invitations/<uuid:code>/",
        informal.informal_invitation,
        name="informal_invitation",
    ),
    path("<uuid:code>/end-informal/", informal.informal_end, name="informal_end"),
]

# Under /programs/, in the `programs` namespace (mentoring_site/urls.py): recording that someone
# left a program, which ends a protégé's relationships and leads on to a mentor's caseload.
program_patterns = [
    path(
        "<uuid:code>/participants/<uuid:enrollment_code>/leave/",
        turnover.leave,
        name="leave",
    ),
]
