from django.urls import path  # noqa: F401

app_name = "goals"

urlpatterns = [
    # --- Coordinator: goal templates (goals/views/templates.py)
    # --- Mentor, coach and protégé: goals, action steps, progress (goals/views/goals.py)
]
