from django.urls import path  # noqa: F401

app_name = "relationships"

urlpatterns = [
    # --- Coordinator: matching, classroom teams, pause/end (relationships/views/coordinator.py)
    # --- Mentor and coach: caseload, relationship page, visits, calendar (views/mentor.py)
    # --- Protégé: my support, feedback, acknowledgement, settings (views/protege.py)
]
