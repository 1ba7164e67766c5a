from django.urls import path  # noqa: F401

app_name = "programs"

urlpatterns = [
    # --- Coordinator: programs, participants, dashboard, exports, role descriptions
]
