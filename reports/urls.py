"""The URL patterns of the pages across apps. Each keeps the path and the name it had in the app
it reads from (`programs:detail`, `relationships:my_support`...): mentoring_site/urls.py joins
these lists to that app's own patterns under its namespace, so the lower app's urls.py never
imports this app."""

from django.urls import path

from reports.views import leaders, programs, support, years

# Under /programs/, in the `programs` namespace.
program_patterns = [
    path("", programs.program_list, name="list"),
    path("<uuid:code>/", programs.program_detail, name="detail"),
    path("<uuid:code>/export/<slug:what>.csv", programs.program_export, name="export"),
    path("<uuid:code>/close-year/", years.program_close, name="close_year"),
    path("<uuid:code>/next-year/", years.program_next, name="next_year"),
]

# Under /relationships/, in the `relationships` namespace.
relationship_patterns = [
    path("my-support/", support.my_support, name="my_support"),
]

# Under /leaders/, in the `leaders` namespace: the program leaders' roll-up.
leader_patterns = [
    path("", leaders.rollup, name="rollup"),
    path("pdf/", leaders.rollup_pdf, name="pdf"),
    path("<slug:slug>.csv", leaders.rollup_export, {"extension": "csv"}, name="export_csv"),
    path("<slug:slug>.xlsx", leaders.rollup_export, {"extension": "xlsx"}, name="export_xlsx"),
]
