"""The reports made in the background (reports/views/report_jobs.py), under /reports/pdf/."""

from django.urls import path

from reports.views import report_jobs

app_name = "report_jobs"

urlpatterns = [
    path("", report_jobs.report_new, name="new"),
    path("<uuid:code>/", report_jobs.report_detail, name="detail"),
    path("<uuid:code>/download/", report_jobs.report_download, name="download"),
]
