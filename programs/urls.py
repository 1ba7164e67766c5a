from django.urls import path

from programs.views import participants, people, programs, requests

app_name = "programs"

urlpatterns = [
    # --- Coordinator: programs, participants, dashboard, exports, role descriptions
    path("", programs.program_list, name="list"),
    path("new/", programs.program_create, name="create"),
    path("<uuid:code>/", programs.program_detail, name="detail"),
    # --- The person asked to take part: accept or decline (programs/views/requests.py)
    path("requests/<uuid:code>/", requests.request_answer, name="request"),
    path("<uuid:code>/edit/", programs.program_edit, name="edit"),
    path("<uuid:code>/archive/", programs.program_archive, name="archive"),
    path("<uuid:code>/roles/", programs.role_descriptions, name="roles"),
    path("<uuid:code>/roles/edit/", programs.role_descriptions_edit, name="roles_edit"),
    path("<uuid:code>/export/<slug:what>.csv", programs.program_export, name="export"),
    path("<uuid:code>/coordinators/", people.coordinators, name="coordinators"),
    path("<uuid:code>/participants/", participants.participant_list, name="participants"),
    path("<uuid:code>/participants/add/", participants.enroll, name="enroll"),
    path("<uuid:code>/participants/import/", participants.roster_import, name="roster_import"),
    path(
        "<uuid:code>/participants/import/template.csv",
        participants.roster_template,
        name="roster_template",
    ),
    path(
        "<uuid:code>/participants/<uuid:enrollment>/leave/",
        participants.leave,
        name="leave",
    ),
    path(
        "<uuid:code>/participants/<uuid:enrollment>/profile/",
        people.profile_edit,
        name="profile_edit",
    ),
    path(
        "<uuid:code>/participants/<uuid:enrollment>/invite/",
        people.invite,
        name="invite",
    ),
]
