"""A funder's report as a tagged PDF, made from plain values (docs/design.md, "Reports in the
background").

`types` holds what a report is made of, `render.render_pdf` draws it, and `registry` names the
builders that make one from a request's parameters; `reports.jobs` runs them in the task worker.
"""

from reports.funder_pdf.types import BarChart, FunderReport, ReportTable

__all__ = ["BarChart", "FunderReport", "ReportTable"]
