from django.urls import path

from goals.views import goals, templates

app_name = "goals"

urlpatterns = [
    # --- Coordinator: goal templates (goals/views/templates.py)
    path("programs/<uuid:program>/templates/", templates.template_list, name="template_list"),
    path(
        "programs/<uuid:program>/templates/new/",
        templates.template_create,
        name="template_create",
    ),
    path("templates/<uuid:code>/edit/", templates.template_edit, name="template_edit"),
    path("templates/<uuid:code>/retire/", templates.template_retire, name="template_retire"),
    path("for/<uuid:code>/required/", templates.assign_required, name="assign_required"),
    # --- Mentor, coach and protégé: goals, action steps, progress (goals/views/goals.py)
    path("for/<uuid:code>/new/", goals.goal_create, name="create"),
    path("for/<uuid:code>/assign/", goals.goal_assign, name="assign"),
    path("<uuid:code>/", goals.goal_detail, name="detail"),
    path("<uuid:code>/edit/", goals.goal_edit, name="edit"),
    path("<uuid:code>/agree/", goals.goal_agree, name="agree"),
    path("<uuid:code>/close/", goals.goal_close, name="close"),
    path("<uuid:code>/reopen/", goals.goal_reopen, name="reopen"),
    path("<uuid:code>/steps/add/", goals.step_add, name="step_add"),
    path("<uuid:code>/steps/done/", goals.step_done, name="step_done"),
    path("<uuid:code>/progress/", goals.progress_record, name="progress"),
    path("progress/<uuid:code>/correct/", goals.progress_correct, name="progress_correct"),
    path("progress/<uuid:code>/withdraw/", goals.progress_withdraw, name="progress_withdraw"),
]
