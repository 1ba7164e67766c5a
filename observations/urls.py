from django.urls import path

from observations.views import observations, tools

app_name = "observations"

urlpatterns = [
    # --- Coordinator: a program's observation tools (observations/views/tools.py)
    path("programs/<uuid:program>/tools/", tools.tool_list, name="tool_list"),
    path("programs/<uuid:program>/tools/new/", tools.tool_create, name="tool_create"),
    path("programs/<uuid:program>/tools/copy/", tools.tool_copy, name="tool_copy"),
    path("tools/<uuid:code>/edit/", tools.tool_edit, name="tool_edit"),
    path("tools/<uuid:code>/offered/", tools.tool_active, name="tool_active"),
    # --- Mentor, coach and protégé: observations (observations/views/observations.py)
    path("for/<uuid:code>/", observations.relationship_observations, name="for_relationship"),
    path("for/<uuid:code>/new/", observations.observation_new, name="new"),
    path("<uuid:code>/", observations.observation_detail, name="detail"),
    path("<uuid:code>/edit/", observations.observation_edit, name="edit"),
    path("goals/<uuid:code>/measure/", observations.goal_measure, name="goal_measure"),
]
