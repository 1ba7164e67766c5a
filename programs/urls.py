from django.urls import path

from programs.views import participants, people, programs, requests

# The `programs` namespace: mentoring_site/urls.py joins these patterns to those of the pages
# that read across apps (the list of programs, the dashboard, the exports: reports/urls.py)
# and to recording that someone left, which ends their relationships (relationships/urls.py).

urlpatterns = [
    # --- Coordinator: programs, participants, role descriptions
    path("new/", programs.program_create, name="create"),
    # --- The person asked to take part: accept or decline (programs/views/requests.py)
    path("requests/<uuid:code>/", requests.request_answer, name="request"),
    path("<uuid:code>/edit/", programs.program_edit, name="edit"),
    path("<uuid:code>/archive/", programs.program_archive, name="archive"),
    path("<uuid:code>/roles/", programs.role_descriptions, name="roles"),
    path("<uuid:code>/roles/edit/", programs.role_descriptions_edit, name="roles_edit"),
    path("<uuid:code>/coordinators/", people.coordinators, name="coordinators"),
    path("<uuid:code>/participants/", participants.participant_list, name="participants"),
    path("<uuid:code>/participants/add/", participants.enroll, name="enroll"),
    path("<uuid:code>/participants/import/", participants.roster_import, name="roster_import"),
    path(
        "<uuid:code>/participants/import/<uuid:import_code>/",
        participants.roster_import_status,
        name="roster_import_status",
    ),
    path(
        "<uuid:code>/participants/import/template.csv",
        participants.roster_template,
        name="roster_template",
    ),
    path(
        "<uuid:code>/participants/import/template.xlsx",
        participants.roster_template_xlsx,
        name="roster_template_xlsx",
    ),
    path(
        "<uuid:code>/participants/<uuid:enrollment_code>/profile/",
        people.profile_edit,
        name="profile_edit",
    ),
    path(
        "<uuid:code>/participants/<uuid:enrollment_code>/invite/",
        people.invite,
        name="invite",
    ),
]
