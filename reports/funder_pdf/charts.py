"""Bar charts drawn on the server as SVG, for the PDF (no JavaScript, nothing to fetch).

Every piece of text (a program's name is someone's typing) goes in through `format_html`, which
escapes it; the numbers are formatted here. The bars are dark grey with a black edge and each
carries its value written beside it, so the chart reads the same printed in black and white.
Its `<title>` is the chart's text alternative: the PDF's Figure tag takes it as `Alt`.
"""

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from reports.funder_pdf.types import BarChart

WIDTH = 640
LABEL_WIDTH = 210
VALUE_WIDTH = 110
ROW_HEIGHT = 22
BAR_HEIGHT = 14
TOP = 6
LABEL_CHARS = 32
# Presentation attributes (WeasyPrint does not apply the page's CSS inside an SVG): black text,
# dark grey bars with a black edge, a suppressed value in italics.
TEXT = SafeString(' font-family="DejaVu Sans, sans-serif" font-size="11" fill="#000"')
BAR = SafeString(' fill="#4d4d4d" stroke="#000" stroke-width="0.75"')
ITALIC = SafeString(' font-style="italic"')


def short(label: str, limit: int = LABEL_CHARS) -> str:
    """The label cut to fit beside its bar; the table below the chart has it in full."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def number(value: float) -> str:
    """1,234 for whole numbers, 12.5 otherwise (1.234 and 12,5 in Spanish)."""
    if float(value).is_integer():
        return number_format(int(value), force_grouping=True)
    return number_format(value, 1, force_grouping=True)


def bar_chart_svg(chart: BarChart) -> SafeString:
    """The chart as an inline `<svg>` element."""
    present = [value for value in chart.values if value is not None]
    top = max(present, default=0) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = TOP * 2 + ROW_HEIGHT * max(len(chart.labels), 1)
    rows = []
    for index, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True)):
        y = TOP + index * ROW_HEIGHT
        text_y = y + ROW_HEIGHT / 2 + 4
        if value is None:
            bar, shown = 0.0, chart.suppressed_text
        else:
            bar = max(span * value / top, 1.0 if value else 0.0)
            shown = f"{number(value)} {chart.unit}".strip()
        rows.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end"{}>{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}"{}/>'
                '<text x="{}" y="{}"{}{}>{}</text>',
                LABEL_WIDTH - 8,
                f"{text_y:.1f}",
                TEXT,
                short(label),
                LABEL_WIDTH,
                f"{y + (ROW_HEIGHT - BAR_HEIGHT) / 2:.1f}",
                f"{bar:.1f}",
                BAR_HEIGHT,
                BAR,
                f"{LABEL_WIDTH + bar + 6:.1f}",
                f"{text_y:.1f}",
                TEXT,
                ITALIC if value is None else "",
                shown,
            )
        )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}"'
        ' role="img" class="chart"><title>{title}</title>'
        '<line x1="{x}" y1="0" x2="{x}" y2="{h}" stroke="#000" stroke-width="1"/>{rows}</svg>',
        w=WIDTH,
        h=height,
        x=LABEL_WIDTH,
        title=alt_text(chart),
        rows=format_html_join("", "{}", ((row,) for row in rows)),
    )


def alt_text(chart: BarChart) -> str:
    """What the chart shows, in words: its title and each label's value."""
    parts = []
    for label, value in zip(chart.labels, chart.values, strict=True):
        shown = chart.suppressed_text if value is None else f"{number(value)} {chart.unit}".strip()
        parts.append(f"{label}: {shown}")
    return f"{chart.title}. " + "; ".join(parts) if parts else chart.title
