"""The funder's PDF (reports/funder_pdf/): it opens, holds the title page, the figures, the
note on method and page numbers, is tagged for screen readers (PDF/UA-1: a title, a language,
table headers), and shows what people typed as text, never as markup or a link."""

import datetime
import io

import pypdf
import pytest

from reports.funder_pdf import BarChart, FunderReport, ReportTable
from reports.funder_pdf.charts import bar_chart_svg
from reports.funder_pdf.render import render

HOSTILE_PROGRAM = '=HYPERLINK("https://attacker.example/?x","Click me")'
MARKUP_NAME = '<img src="https://attacker.example/pixel.png"><i data-canary>x</i>'


def sample_report() -> FunderReport:
    months = ["Jan 2027", "Feb 2027", "Mar 2027"]
    return FunderReport(
        title="Coaching across the state",
        organization_name=MARKUP_NAME,
        period_label="January 1, 2027 to March 31, 2027",
        generated_on=datetime.date(2027, 4, 2),
        tables=[
            ReportTable(
                title="Visits by month",
                columns=["Month", "Visits"],
                rows=[["Jan 2027", "12"], ["Feb 2027", "fewer than 5"], ["Mar 2027", "7"]],
                note="Months with fewer than 5 relationships are suppressed.",
                chart=BarChart("Visits by month", months, [12, None, 7], "visits"),
            ),
            ReportTable(
                title="Hours by program",
                columns=["Program", "Hours"],
                rows=[[HOSTILE_PROGRAM, "40.5"], ["Early literacy", "fewer than 5"]],
            ),
        ]
        + [
            ReportTable(
                title=f"Long figure {n}",
                columns=["Program", "Visits"],
                rows=[[f"Program {i}", str(i)] for i in range(60)],
            )
            for n in range(2)
        ],
        method_note="Counted from logged visits.\n\nCells of fewer than 5 are suppressed.",
    )


@pytest.fixture(scope="module")
def pdf():
    rendered = render(sample_report())
    return rendered, pypdf.PdfReader(io.BytesIO(rendered.content))


def text_of(reader: pypdf.PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def test_the_pdf_has_a_title_page_the_figures_the_method_and_page_numbers(pdf):
    rendered, reader = pdf
    pages = text_of(reader)
    assert rendered.pages == len(reader.pages) >= 4
    assert "Coaching across the state" in pages[0]
    assert "January 1, 2027 to March 31, 2027" in pages[0]
    assert "April 2, 2027" in pages[0]
    assert "Page" not in pages[0]  # the title page has no number
    total = len(pages)
    for number, page in enumerate(pages[1:], start=2):
        assert f"Page {number} of {total}" in page
    everything = "\n".join(pages)
    assert "Visits by month" in everything and "Hours by program" in everything
    assert "Method and small-cell suppression" in pages[-1]
    assert "Cells of fewer than 5 are suppressed." in pages[-1]


def test_suppressed_cells_read_fewer_than_5_in_the_table_and_the_chart(pdf):
    _, reader = pdf
    figures = reader.pages[1].extract_text()
    # Once in the chart (the bar's value), once in each table's cell.
    assert figures.count("fewer than 5") >= 3


def test_what_people_typed_is_text_not_markup_nor_a_link(pdf):
    rendered, reader = pdf
    everything = "\n".join(text_of(reader))
    assert MARKUP_NAME in everything
    # The table may wrap the cell: compare without the line breaks.
    assert "".join(HOSTILE_PROGRAM.split()) in "".join(everything.split())
    # No link (nor any other annotation) anywhere, and nothing was fetched to draw an image.
    assert all("/Annots" not in page for page in reader.pages)
    assert b"/Subtype /Image" not in rendered.content


def test_the_pdf_is_tagged_for_screen_readers(pdf):
    _, reader = pdf
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert str(root["/ViewerPreferences"]["/DisplayDocTitle"]).lower() == "true"
    assert reader.metadata.title == "Coaching across the state"
    assert b"pdfuaid" in root["/Metadata"].get_data()  # declares PDF/UA

    kinds, alts = set(), []

    def walk(element):
        element = element.get_object()
        if isinstance(element, dict):
            if "/S" in element:
                kinds.add(element["/S"])
            if element.get("/S") == "/Figure":
                alts.append(str(element.get("/Alt", "")))
            kids = element.get("/K", [])
            for kid in kids if isinstance(kids, list) else [kids]:
                walk(kid)

    walk(root["/StructTreeRoot"])
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Figure"} <= kinds
    # The chart's text alternative says each bar's value, a suppressed one included.
    assert any("Feb 2027: fewer than 5" in alt and "Jan 2027: 12 visits" in alt for alt in alts)


def test_the_chart_escapes_its_labels():
    svg = bar_chart_svg(BarChart("Hours <b>", [MARKUP_NAME], [3.5], "hours"))
    assert "<i data-canary>" not in svg and "&lt;i data-canary&gt;" in svg
    assert "Hours &lt;b&gt;" in svg
    assert ">3.5 hours<" in svg
