from django.urls import path

from cycles import views

app_name = "cycles"

urlpatterns = [
    # --- Coordinator: a program's stages
    path("programs/<uuid:program>/stages/", views.stage_list, name="stages"),
    path("programs/<uuid:program>/stages/common/", views.stages_common, name="stages_common"),
    path("stages/<uuid:code>/edit/", views.stage_edit, name="stage_edit"),
    path("stages/<uuid:code>/move/", views.stage_move, name="stage_move"),
    path("stages/<uuid:code>/remove/", views.stage_remove, name="stage_remove"),
    # --- Mentor or coach: a relationship's cycles
    path("for/<uuid:code>/start/", views.cycle_start, name="start"),
    path("<uuid:code>/next-stage/", views.cycle_advance, name="advance"),
    path("<uuid:code>/end/", views.cycle_end, name="end"),
]
