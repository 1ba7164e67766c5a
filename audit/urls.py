from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("who-read-my-logs/", views.who_read_my_logs, name="who_read_my_logs"),
]
