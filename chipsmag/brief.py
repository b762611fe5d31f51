"""A one-click brief of a view as an A4 PDF (no Streamlit): the page's title, the date, the filters in
words, how far the record reaches, the headline figures, the page's charts as vector graphics with their
source lines, the events in view with each source as a clickable link, the data version, the date of the
latest source and the link back to the view.

The text is laid out with ReportLab in Bitstream Vera (shipped inside the reportlab wheel, embedded as a
subset); characters Vera lacks (Chinese, among others) are set in STSong-Light, one of Adobe's standard
CJK fonts, which a PDF file names without embedding: the text stays text whatever the reader, and a
reader draws it with its own Chinese font (Acrobat, browsers and desktop readers have one; a bare Linux
reader with no CJK font installed shows boxes). Each chart is rendered by vl-convert to a PDF of its own
(text kept as text, in the Liberation Sans that vl-convert embeds) and drawn onto its page with pypdf as
a form XObject, so the brief carries the same paths and glyphs as the dashboard's chart.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import itertools
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

import vl_convert
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    RectangleObject,
)
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

Progress = Callable[[float, str], None]

CHART_PX = 600  # px: the width a chart whose spec says "container" is drawn at (scaled to the text width)
CONTAINER_HEIGHT = 300  # px: the height of a chart whose spec says "container"
MARGIN = 16 * mm
TEXT_WIDTH = A4[0] - 2 * MARGIN
FRAME_HEIGHT = A4[1] - 2 * MARGIN - 8 * mm  # the footer's line comes out of the bottom margin
CJK_FONT = "STSong-Light"
LINK_COLOR = "#1a5fb4"
GREY = colors.HexColor("#555555")
RULE = colors.HexColor("#dddddd")
CHARTS_SHARE, LAYOUT_SHARE = 0.6, 0.85  # progress: charts rendered by 60 %, text laid out by 85 %
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_LAYOUT = threading.Lock()  # ReportLab keeps state in its modules: one layout at a time (sessions are threads)


class BriefError(ValueError):
    """A brief that cannot be built: names the chart or the value that was wrong."""


@dataclass(frozen=True)
class BriefSource:
    label: str  # the publisher, as the dashboard names it
    url: str


@dataclass(frozen=True)
class BriefEvent:
    date: str  # as the dashboard writes it ('9 Apr 2025', 'Apr 2025')
    id: str
    title: str
    sources: tuple[BriefSource, ...]
    status: str = ""  # e.g. 'context only'; empty for none


@dataclass(frozen=True)
class Headline:
    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class BriefChart:
    title: str
    spec: dict  # a Vega-Lite spec with its data inline; "width": "container" is drawn CHART_PX wide
    source: str  # the source line printed under the chart


@dataclass(frozen=True)
class Brief:
    page_title: str
    link: str  # the URL of the view, filters and options included
    generated: dt.date
    filters: tuple[str, ...]  # the filters in words, one a line
    headlines: tuple[Headline, ...]
    charts: tuple[BriefChart, ...]
    events: tuple[BriefEvent, ...]
    version: str
    as_of: str  # the date of the latest source
    coverage: str  # how far the record reaches, e.g. 'Dense to 2026-06-22; nearly silent after'


# ---------------------------------------------------------------------------
# Fonts and text.
# ---------------------------------------------------------------------------


@functools.cache
def _vera() -> frozenset[int]:
    """Register Vera (regular and bold) and the CJK font once; return the code points Vera draws."""
    regular, bold = TTFont("Brief", "Vera.ttf"), TTFont("Brief-Bold", "VeraBd.ttf")
    for font in (regular, bold, UnicodeCIDFont(CJK_FONT)):
        pdfmetrics.registerFont(font)
    pdfmetrics.registerFontFamily("Brief", normal="Brief", bold="Brief-Bold", italic="Brief", boldItalic="Brief-Bold")
    return frozenset(regular.face.charToGlyph)


def _text(value: object) -> str:
    """Plain text as paragraph markup: escaped, and each run of characters Vera lacks set in the CJK font."""
    covered = _vera()
    text = _CONTROL.sub(" ", str(value))
    runs = itertools.groupby(text, key=lambda ch: ch.isspace() or ord(ch) in covered)
    return "".join(
        escape(run) if in_vera else f'<font name="{CJK_FONT}">{escape(run)}</font>'
        for in_vera, chars in runs
        for run in ["".join(chars)]
    )


def _linkable(url: str) -> bool:
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _link(label: object, url: str) -> str:
    """A clickable label (only web addresses are made links; anything else stays plain text)."""
    if not _linkable(url):
        return _text(label)
    href = escape(url.strip(), {'"': "&quot;"})
    return f'<a href="{href}" color="{LINK_COLOR}">{_text(label)}</a>'


def _cited(source: BriefSource) -> str:
    """'Publisher (host)', the publisher a link to the source; an address that is not a web link is
    printed as text, never made clickable."""
    if not _linkable(source.url):
        return f"{_text(source.label)} ({_text(source.url.strip() or 'no address recorded')})"
    host = urlsplit(source.url.strip()).netloc.removeprefix("www.")
    return f"{_link(source.label, source.url)} ({_text(host)})"


def _styles() -> dict[str, ParagraphStyle]:
    _vera()
    body = ParagraphStyle("body", fontName="Brief", fontSize=9, leading=11.5, splitLongWords=1)
    return {
        "body": body,
        "title": ParagraphStyle("title", body, fontName="Brief-Bold", fontSize=18, leading=22, spaceAfter=2),
        "h2": ParagraphStyle("h2", body, fontName="Brief-Bold", fontSize=12, leading=15, spaceBefore=8, spaceAfter=4),
        "h3": ParagraphStyle("h3", body, fontName="Brief-Bold", fontSize=10, leading=13, spaceBefore=6),
        "small": ParagraphStyle("small", body, fontSize=7.5, leading=9.5, textColor=GREY),
        "value": ParagraphStyle("value", body, fontName="Brief-Bold", fontSize=11, leading=13),
    }


# ---------------------------------------------------------------------------
# Charts.
# ---------------------------------------------------------------------------


def _sized(node: object, top: bool = True) -> object:
    """The spec with "container" sizes in pixels and without its top-level title (the brief prints it);
    data is shared, not copied."""
    if isinstance(node, list):
        return [_sized(v, False) for v in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if top and key == "title":
            continue
        if key == "width" and value == "container":
            out[key] = CHART_PX
        elif key == "height" and value == "container":
            out[key] = CONTAINER_HEIGHT
        else:
            out[key] = value if key in ("data", "datasets", "values") else _sized(value, False)
    return out


def _render(chart: BriefChart) -> bytes:
    """The chart as a one-page vector PDF; BriefError naming the chart if Vega-Lite cannot draw it."""
    if not isinstance(chart.spec, dict):
        raise BriefError(f"Chart {chart.title!r}: the spec is a {type(chart.spec).__name__}, not a Vega-Lite dict")
    try:
        return vl_convert.vegalite_to_pdf(_sized(chart.spec), allowed_base_urls=[])  # data inline: no fetching
    except Exception as err:  # vl-convert raises ValueError for specs, TypeError/OverflowError for odd values
        reason = " ".join(str(err).splitlines()[:2]) or type(err).__name__
        raise BriefError(f"Chart {chart.title!r} could not be rendered: {reason}") from err


class _ChartSlot(Flowable):
    """Room for one chart: records the page and the corner where it was laid out, for the charts' pass."""

    def __init__(self, index: int, size: tuple[float, float], placed: list) -> None:
        super().__init__()
        self.index, (self.width, self.height), self.placed = index, size, placed
        self.hAlign = "LEFT"

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def drawOn(self, canvas, x: float, y: float, _sW: float = 0) -> None:
        self.placed.append((self.index, canvas.getPageNumber(), self._hAlignAdjust(x, _sW), y))
        super().drawOn(canvas, x, y, _sW)

    def draw(self) -> None:
        """The chart itself is drawn onto the page afterwards (``_place_charts``)."""


def _scale(box) -> float:
    """How much a chart's page shrinks to fit the text's width and a page (title included). Every chart
    gets the scale of one CHART_PX wide, or less, so that type is the same size in all of them."""
    return min(TEXT_WIDTH / CHART_PX, TEXT_WIDTH / float(box.width), (FRAME_HEIGHT - 60) / float(box.height))


def _chart_block(index: int, chart: BriefChart, page: PdfReader, placed: list, st: dict) -> Flowable:
    box = page.pages[0].mediabox
    width, height, scale = float(box.width), float(box.height), _scale(box)
    slot = _ChartSlot(index, (width * scale, height * scale), placed)
    source = Paragraph("Source: " + _text(chart.source), st["small"])
    return KeepTogether([Paragraph(_text(chart.title), st["h3"]), Spacer(1, 3), slot, Spacer(1, 2), source])


def _as_form(writer: PdfWriter, chart: PageObject) -> IndirectObject:
    """A chart's page as a form XObject of the brief: its content stream as it is, with its own resources
    (nothing is parsed or renamed, which keeps a chart of thousands of marks quick to place)."""
    contents = chart.get_contents()
    form = DecodedStreamObject()
    form.set_data(contents.get_data() if contents is not None else b"")
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = RectangleObject(chart.mediabox)
    form[NameObject("/Resources")] = chart["/Resources"].clone(writer)
    return writer._add_object(form.flate_encode())  # pypdf has no public call for a new object


def _place_charts(document: bytes, pages: list[PdfReader], placed: list) -> bytes:
    """Draw each chart where its slot was laid out: a form XObject and one ``cm ... Do`` on its page."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(document)))
    for index, page_no, x, y in placed:
        chart = pages[index].pages[0]
        box, scale = chart.mediabox, _scale(chart.mediabox)
        name = NameObject(f"/BriefChart{index}")
        target = writer.pages[page_no - 1]
        resources = target[NameObject("/Resources")].get_object()
        xobjects = resources.setdefault(NameObject("/XObject"), DictionaryObject()).get_object()
        xobjects[name] = _as_form(writer, chart)
        left, bottom = x - float(box.left) * scale, y - float(box.bottom) * scale
        drawn = DecodedStreamObject()
        drawn.set_data(f"q {scale:.6f} 0 0 {scale:.6f} {left:.3f} {bottom:.3f} cm {name} Do Q".encode())
        existing = target.raw_get("/Contents")  # the reference: a stream must stay an indirect object
        before = list(existing.get_object()) if isinstance(existing.get_object(), ArrayObject) else [existing]
        target[NameObject("/Contents")] = ArrayObject([*before, writer._add_object(drawn)])
    writer.compress_identical_objects()  # the charts' many identical graphics states, written once
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# ---------------------------------------------------------------------------
# The document.
# ---------------------------------------------------------------------------


def _facts(brief: Brief, st: dict) -> Table:
    label = ParagraphStyle("label", st["body"], fontName="Brief-Bold")
    rows = [[Paragraph("Generated:", label), Paragraph(f"{brief.generated:%d %B %Y}".lstrip("0"), st["body"])]]
    lines = brief.filters or ("none (every record)",)
    rows += [
        [Paragraph("Filters:" if i == 0 else "", label), Paragraph(_text(f), st["body"])] for i, f in enumerate(lines)
    ]
    rows.append([Paragraph("Coverage:", label), Paragraph(_text(brief.coverage), st["body"])])
    table = Table(rows, colWidths=[24 * mm, TEXT_WIDTH - 24 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, -1), 0)]))
    return table


def _headlines(headlines: tuple[Headline, ...], st: dict) -> list[Flowable]:
    if not headlines:
        return []
    cells = (("label", "body"), ("value", "value"), ("note", "small"))
    rows = [[Paragraph(_text(getattr(h, field)), st[style]) for field, style in cells] for h in headlines]
    table = Table(rows, colWidths=[62 * mm, 38 * mm, TEXT_WIDTH - 100 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE)]))
    return [Paragraph("Headline figures", st["h2"]), table]


def _event_rows(events: tuple[BriefEvent, ...], st: dict) -> list[Flowable]:
    heading = Paragraph(f"Events in view ({len(events):,})", st["h2"])
    if not events:
        return [heading, Paragraph("No events in view.", st["body"])]
    bold = ParagraphStyle("bold", st["body"], fontName="Brief-Bold")
    rows: list[list] = [[Paragraph("Date", bold), Paragraph("Id", bold), Paragraph("Event and its sources", bold)]]
    for ev in events:
        status = f' <font color="#555555">[{_text(ev.status)}]</font>' if ev.status else ""
        cited = " · ".join(_cited(s) for s in ev.sources)
        cell = [Paragraph(_text(ev.title) + status, st["body"])]
        if cited:
            cell.append(Paragraph(cited, st["small"]))
        rows.append([Paragraph(_text(ev.date), st["body"]), Paragraph(_text(ev.id), st["body"]), cell])
    table = Table(rows, colWidths=[24 * mm, 14 * mm, TEXT_WIDTH - 38 * mm], repeatRows=1, hAlign="LEFT")
    lines = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE)]
    table.setStyle(TableStyle([*lines, ("LEFTPADDING", (0, 0), (0, -1), 0)]))
    return [heading, table]


def _closing(brief: Brief, st: dict) -> list[Flowable]:
    return [
        Paragraph("About this brief", st["h2"]),
        Paragraph(f"Data version: {_text(brief.version)}. Latest source dated {_text(brief.as_of)}.", st["body"]),
        Spacer(1, 3),
        Paragraph("The view online: " + _link(brief.link, brief.link), st["body"]),
    ]


def _footer(brief: Brief, st: dict) -> Callable:
    def draw(canvas, doc) -> None:
        line = f"Chips for magnets · {_text(brief.page_title)} · data version {_text(brief.version)}"
        footer = Paragraph(f"{line} · page {canvas.getPageNumber()}", st["small"])
        footer.wrapOn(canvas, TEXT_WIDTH, 10 * mm)
        footer.drawOn(canvas, MARGIN, MARGIN - 6 * mm)

    return draw


def pdf(brief: Brief, progress: Progress | None = None) -> bytes:
    """The brief of one view as an A4 PDF. ``progress(fraction, message)`` is told how far the build has
    gone (0 to 1), for a progress bar. Raises BriefError naming a chart that cannot be rendered."""
    report = progress or (lambda fraction, message: None)
    st = _styles()
    rendered: list[PdfReader] = []
    for i, chart in enumerate(brief.charts):
        report(CHARTS_SHARE * i / len(brief.charts), f"Drawing chart {i + 1} of {len(brief.charts)}: {chart.title}")
        rendered.append(PdfReader(io.BytesIO(_render(chart))))
    report(CHARTS_SHARE, f"Laying out {len(brief.events):,} events")

    placed: list[tuple[int, int, float, float]] = []
    story: list[Flowable] = [
        Paragraph(_text(brief.page_title), st["title"]),
        Paragraph("Chips for magnets: a brief of the view", st["small"]),
        Spacer(1, 6),
        _facts(brief, st),
        *_headlines(brief.headlines, st),
    ]
    if brief.charts:
        story.append(Paragraph("Charts", st["h2"]))
        story += [_chart_block(i, c, rendered[i], placed, st) for i, c in enumerate(brief.charts)]
    story += _event_rows(brief.events, st) + _closing(brief, st)

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 8 * mm,
        title=brief.page_title,
        author="Chips for magnets",
        subject=f"A brief of the view {brief.link}",
        creator="Chips for magnets",
    )
    with _LAYOUT:
        doc.build(story, onFirstPage=_footer(brief, st), onLaterPages=_footer(brief, st))
    document = buffer.getvalue()
    if placed:
        report(LAYOUT_SHARE, "Placing the charts")
        document = _place_charts(document, rendered, placed)
    report(1.0, "Brief ready")
    return document
