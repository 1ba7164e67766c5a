"""A funder's report as a PDF, with WeasyPrint: HTML and CSS in, a tagged PDF (PDF/UA-1) out.

The template (`templates/reports/funder_report.html`) lays out a title page, one section per
figure (its chart as inline SVG, then its table with header cells marked as headers) and the
note on method; CSS page counters number the pages ("Page 3 of 9"). The PDF's title is the
report's title and its language the report's, both of which PDF/UA asks for, and the tags give
screen readers the headings, tables and the charts' text alternatives.

Nothing is fetched while rendering: the page has no links to outside files (a URL fetcher
that allows no protocol at all makes sure of it), so a name typed as `<img src=http://…>`
can reach neither the network nor the disk.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from reports.funder_pdf.charts import bar_chart_svg
from reports.funder_pdf.types import FunderReport, ReportTable

PDF_VARIANT = "pdf/ua-1"


@dataclass(frozen=True)
class _Figure:
    table: ReportTable
    chart_svg: SafeString | None


def report_html(report: FunderReport) -> str:
    """The report as the HTML page WeasyPrint lays out."""
    figures = [
        _Figure(table, bar_chart_svg(table.chart) if table.chart else None)
        for table in report.tables
    ]
    paragraphs = [part.strip() for part in report.method_note.split("\n\n") if part.strip()]
    return render_to_string(
        "reports/funder_report.html",
        {"report": report, "figures": figures, "method_paragraphs": paragraphs},
    )


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int


def render(report: FunderReport) -> RenderedPdf:
    """The report as a tagged PDF, with its number of pages."""
    import weasyprint  # loads Pango through ctypes: only where a report is made

    fetch_nothing = weasyprint.URLFetcher(allowed_protocols=frozenset())
    html = weasyprint.HTML(string=report_html(report), url_fetcher=fetch_nothing)
    document = html.render(pdf_variant=PDF_VARIANT)
    content = document.write_pdf(pdf_variant=PDF_VARIANT)
    assert content is not None
    return RenderedPdf(content=content, pages=len(document.pages))


def render_pdf(report: FunderReport) -> bytes:
    """The report as the bytes of a tagged PDF."""
    return render(report).content
