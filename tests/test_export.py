"""Chart images and citations: every chart the dashboard draws, on the curated data, exported as PNG
and SVG stamped with its title, sources, filters, data version and link; and "cite this view"."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET

import pyarrow as pa
import pytest

from app_pages import BY_KEY
from chipsmag.chartbase import text_width
from chipsmag.citation import cite
from chipsmag.export import FOOTER_COLOR, FOOTER_SIZE, ExportError, Stamp, file_name, png, stamped, svg
from support.apptest import CHARTS, PAGES, open_page, vega_specs
from support.svg import svg_texts

SCALE = 2
WIDTH = 720
CASES = [(page, i) for page in PAGES for i in range(CHARTS[page])]  # every chart of every page
# PNG is the same drawing rasterised: one chart a page is enough to check the file (SVG checks them all).
PNG_CASES = [(page, 0) for page in PAGES if CHARTS[page]]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Markup in a source line must come out as text in the image.
SOURCE = "Sources: Nvidia 10-K FY2025; Reuters <i>wire</i> & Co., 2025-08-12"
FILTERS = "Filters: 2025-01-01 to 2026-06-22; lever Chips; actor US BIS"


def chart_title(spec: dict) -> str:
    """A chart's title as one line of plain text."""
    title = spec.get("title")
    text = title.get("text") if isinstance(title, dict) else title
    return " ".join(text) if isinstance(text, list) else str(text)


def with_data(at, index: int) -> dict:
    """The page's ``index``-th chart spec with the data Streamlit took out of it (sent as Arrow) put back."""
    element = at.get("vega_lite_chart")[index]
    spec = vega_specs(at)[index]
    rows = lambda blob: pa.ipc.open_stream(blob).read_all().to_pylist()  # noqa: E731
    if element.proto.data.data:
        spec["data"] = {"values": rows(element.proto.data.data)}
    for named in element.proto.datasets:
        spec.setdefault("datasets", {})[named.name] = rows(named.data.data)
    return spec


class Lazy(dict):
    """A dict filled on first lookup of each key: a module fixture that pytest-xdist may set up on
    several workers then builds, on each, only what that worker's tests ask for."""

    def __init__(self, make) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key):
        self[key] = value = self.make(key)
        return value


def page_charts(page: str) -> list[dict]:
    """Every chart the page draws on the curated data, with its data: one AppTest run."""
    at = open_page(page)
    assert not at.exception, f"{page}: {[e.value for e in at.exception]}"
    return [with_data(at, i) for i in range(len(at.get("vega_lite_chart")))]


@pytest.fixture(scope="module")
def charts(dataset) -> Lazy:
    """page -> its charts (``page_charts``), each page run once per worker when first asked for."""
    return Lazy(page_charts)


@pytest.fixture(scope="module")
def rendered(charts, dataset) -> Lazy:
    """(page, index) -> the chart rendered as SVG (the first of each page also as PNG), with its
    stamp; each rendered once per worker when first asked for."""

    def render(case: tuple[str, int]) -> dict:
        page, i = case
        spec = charts[page][i]
        stamp = Stamp(
            title=chart_title(spec),
            source=SOURCE,
            filters=FILTERS,
            version=dataset.version,
            as_of=dataset.as_of,
            link=f"https://chips-for-magnets.example/{BY_KEY[page].path}?lever=chips&from=2025-01-01",
        )
        return {
            "stamp": stamp,
            "svg": svg(spec, stamp),
            "png": png(spec, stamp, scale=SCALE) if case in PNG_CASES else None,
        }

    return Lazy(render)


def parse(svg_text: str) -> ET.Element:
    """The SVG as an XML tree: it must be well-formed."""
    return ET.fromstring(svg_text)  # noqa: S314 (the SVG vl-convert just drew)


def placed_texts(svg_text: str) -> list[dict]:
    """Every text of the SVG with its position in the image (the translations of its groups summed),
    its size and its colour."""
    out = []

    def walk(element, x: float, y: float) -> None:
        move = re.match(r"translate\(([-\d.e]+),\s*([-\d.e]+)\)", element.get("transform", ""))
        if move:
            x, y = x + float(move.group(1)), y + float(move.group(2))
        if element.tag.endswith("}text") and "".join(element.itertext()).strip():
            size = float(element.get("font-size", "11px").removesuffix("px"))
            text = "".join(element.itertext())
            out.append({"text": text, "x": x, "y": y, "size": size, "fill": element.get("fill")})
        for child in element:
            walk(child, x, y)

    walk(parse(svg_text), 0.0, 0.0)
    return out


def footer_of(svg_text: str) -> tuple[list[dict], list[dict]]:
    """The footer's text lines (its type and colour) and every other text of the image."""
    texts = placed_texts(svg_text)
    footer = [t for t in texts if t["fill"] == FOOTER_COLOR and t["size"] == FOOTER_SIZE]
    return footer, [t for t in texts if t not in footer]


# ---------------------------------------------------------------------------
# Every chart, as the dashboard draws it.
# ---------------------------------------------------------------------------


def test_every_chart_of_every_page_is_exported(charts):
    drawing = [p for p in PAGES if CHARTS[p]]
    assert drawing and {p: len(charts[p]) for p in drawing} == {p: CHARTS[p] for p in drawing}


@pytest.mark.parametrize(("page", "index"), PNG_CASES, ids=[f"{p}-{i}" for p, i in PNG_CASES])
def test_png_is_a_png_of_the_chart_width(rendered, page, index):
    data = rendered[page, index]["png"]
    assert data.startswith(PNG_SIGNATURE)
    assert data[12:16] == b"IHDR"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert WIDTH * SCALE * 0.9 <= width <= WIDTH * SCALE * 4, (page, index, width)
    assert 150 * SCALE <= height <= 20_000 * SCALE, (page, index, height)


@pytest.mark.parametrize(("page", "index"), CASES, ids=[f"{p}-{i}" for p, i in CASES])
def test_svg_text_holds_the_stamp(rendered, page, index):
    case = rendered[page, index]
    stamp, image = case["stamp"], case["svg"]
    parse(image)  # well-formed XML
    lines = [t["text"] for t in svg_texts(image)]
    assert SOURCE in lines
    assert FILTERS in lines
    assert f"Data version {stamp.version}, latest source dated {stamp.as_of}" in lines
    assert stamp.link in lines
    # The title (a long one in lines of its own) is the stamp's.
    assert re.sub(r"\s", "", stamp.title) in re.sub(r"\s", "", "".join(lines))
    # The link is a link in the SVG (escaped as XML requires).
    assert f'xlink:href="{stamp.link.replace("&", "&amp;")}"' in image


@pytest.mark.parametrize(("page", "index"), CASES, ids=[f"{p}-{i}" for p, i in CASES])
def test_footer_is_below_the_chart_and_inside_the_image(rendered, page, index):
    case = rendered[page, index]
    footer, chart = footer_of(case["svg"])
    assert [t["text"] for t in footer] == case["stamp"].footer()
    # The chart's lowest text (an axis label, a legend's), to half its size below its anchor, is
    # above the footer's first line (whose anchor is its top).
    lowest = max(t["y"] + t["size"] / 2 for t in chart)
    assert min(t["y"] for t in footer) > lowest, f"{page}-{index}: the footer overlaps the chart"
    image_width = float(parse(case["svg"]).get("width"))
    for line in footer:
        assert line["x"] >= 0
        assert line["x"] + text_width(line["text"], line["size"]) <= image_width, line["text"]


def test_stamped_spec_has_no_container_width_and_leaves_the_spec_alone(charts, dataset):
    stamp = Stamp("T", SOURCE, FILTERS, dataset.version, dataset.as_of, "https://example.org/")
    for page in (p for p in PAGES if CHARTS[p]):
        for spec in charts[page]:
            before = json.dumps(spec, sort_keys=True, default=str)
            out = stamped(spec, stamp)
            assert '"container"' not in json.dumps(out, default=str)
            assert json.dumps(spec, sort_keys=True, default=str) == before


# ---------------------------------------------------------------------------
# Specs the dashboard might draw tomorrow.
# ---------------------------------------------------------------------------

DATA = {"values": [{"a": i, "b": i % 3, "c": "xyz"[i % 3]} for i in range(12)]}
POINTS = {
    "mark": "point",
    "encoding": {"x": {"field": "a", "type": "quantitative"}, "y": {"field": "b", "type": "quantitative"}},
}
STAMP = Stamp("A chart", "Sources: USGS MCS 2026", "Filters: none", "abc123", "2026-06-22", "https://example.org/v?x=1")


def test_nested_container_widths_become_shares_of_the_width_and_the_subtitle_stays():
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "data": DATA,
        "title": {"text": "Old title", "subtitle": "Kept subtitle"},
        "hconcat": [{**POINTS, "width": "container"}, {**POINTS, "width": "container", "height": "container"}],
    }
    out = stamped(spec, STAMP, width=600)
    chart = out["vconcat"][0]
    widths = [view["width"] for view in chart["hconcat"]]
    assert widths[0] == widths[1] and 250 <= widths[0] < 300  # two views side by side in 600 px
    assert isinstance(chart["hconcat"][1]["height"], int)
    assert chart["title"]["text"] == "A chart" and chart["title"]["subtitle"] == "Kept subtitle"
    texts = [t["text"] for t in svg_texts(svg(spec, STAMP))]
    assert "Kept subtitle" in texts and "Old title" not in texts


def test_a_layered_chart_with_a_legend_selection_and_a_variable_renders():
    spec = {
        "data": DATA,
        "params": [
            {"name": "k", "value": 40},
            {"name": "pick", "select": {"type": "point", "fields": ["c"]}, "bind": "legend"},
        ],
        "layer": [
            {
                "mark": {"type": "point", "size": {"expr": "k"}},
                "encoding": {
                    **POINTS["encoding"],
                    "color": {"field": "c", "type": "nominal"},
                    "opacity": {"condition": {"param": "pick", "value": 1}, "value": 0.3},
                },
            }
        ],
        "width": "container",
    }
    assert STAMP.source in [t["text"] for t in svg_texts(svg(spec, STAMP))]


def test_a_long_source_line_and_link_are_wrapped_inside_the_image():
    source = "Sources: " + "; ".join(
        f"Reuters report number {n} on magnet exports, 2025-{n % 12 + 1:02d}" for n in range(25)
    )
    link = "https://chips-for-magnets.example/timeline?" + "&".join(f"actor=actor_{n}" for n in range(60))
    stamp = Stamp("A chart", source, FILTERS, "abc123", "2026-06-22", link)
    image = svg({"data": DATA, **POINTS, "width": "container"}, stamp)
    footer, _ = footer_of(image)
    lines = [t["text"] for t in footer]
    assert len(lines) > len(stamp.footer())  # the long statements took several lines
    image_width = float(parse(image).get("width"))
    for line in footer:
        assert line["x"] + text_width(line["text"], line["size"]) <= image_width, line["text"]
    assert " ".join(lines).startswith(source)  # every word, in order
    assert link in "".join(lines)  # the link broken into pieces, none lost


def test_a_broken_spec_raises_an_export_error_naming_the_chart():
    broken = {"data": DATA, **POINTS, "transform": [{"calculate": "datum.(", "as": "z"}]}
    stamp = Stamp("Magnet exports (broken)", SOURCE, FILTERS, "abc123", "2026-06-22", "https://example.org/")
    for render in (svg, png):
        with pytest.raises(ExportError, match=re.escape("'Magnet exports (broken)'")) as caught:
            render(broken, stamp)
        assert "cdn.jsdelivr" not in str(caught.value)  # the reason, not the JavaScript stack
    with pytest.raises(ExportError, match="Magnet exports"):
        svg(["not", "a", "spec"], stamp)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"Stamp\.version"):
        Stamp("T", SOURCE, FILTERS, "", "2026-06-22", "https://example.org/")


def test_file_names_are_lowercase_ascii_with_hyphens():
    assert file_name("China's share of rare earths by stage: each dot is one source", "png") == (
        "china-s-share-of-rare-earths-by-stage-each-dot-is-one-source.png"
    )
    assert (
        file_name("Nvidia revenue — Q1 FY2026 (Hong Kong) ü/é", ".SVG") == "nvidia-revenue-q1-fy2026-hong-kong-u-e.svg"
    )
    assert file_name("<script>../../etc/passwd", "png") == "script-etc-passwd.png"
    assert file_name("中文", "png") == "chart.png"
    assert len(file_name("x" * 500, "png")) <= 84
    with pytest.raises(ValueError, match="extension"):
        file_name("A chart", "png/../x")


# ---------------------------------------------------------------------------
# Cite this view.
# ---------------------------------------------------------------------------

LINK = "https://chips-for-magnets.example/measures?date=2026-06-22&lever=chips"
ACCESSED = dt.date(2026, 11, 30)


def cite_view(**change):
    args = {
        "view_title": "State of play: export controls and rare-earth controls",
        "link": LINK,
        "version": "3f2a9c0d11ab",
        "as_of": "2026-06-22",
        "accessed": ACCESSED,
    }
    return cite(**{**args, **change})


def bibtex_entries(text: str) -> list[tuple[str, str, dict[str, str]]]:
    """Each entry of a BibTeX text as (type, key, fields), the braces checked as a BibTeX reader would."""
    depth = 0
    chars = iter(text)
    for c in chars:
        if c == "\\":
            next(chars, None)  # an escaped character is not a brace
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            assert depth >= 0, "a closing brace without its opening"
    assert depth == 0, "unbalanced braces"
    entries = []
    for m in re.finditer(r"@(\w+)\{([^,\s]+),(.*?)\n\}", text, flags=re.S):
        fields = dict(re.findall(r"^\s*(\w+) = \{(.*)\},?$", m.group(3), flags=re.M))
        entries.append((m.group(1), m.group(2), fields))
    return entries


def test_apa_has_the_version_access_date_and_link():
    apa = cite_view().apa
    assert apa.startswith("Chips for magnets. (2026). *State of play: export controls and rare-earth controls*")
    assert "version 3f2a9c0d11ab" in apa
    assert "latest source dated 2026-06-22" in apa
    assert apa.endswith(f"Retrieved November 30, 2026, from {LINK}")


def test_bibtex_is_one_misc_entry_with_a_stable_key():
    citation = cite_view()
    entries = bibtex_entries(citation.bibtex)
    assert len(entries) == 1 and citation.bibtex.count("@") == 1
    kind, key, fields = entries[0]
    assert kind == "misc" and key == citation.key
    assert fields["title"] == "{State of play: export controls and rare-earth controls}"
    assert fields["year"] == "2026"
    assert fields["howpublished"] == r"\url{" + LINK + "}"
    assert "3f2a9c0d11ab" in fields["note"] and "2026-06-22" in fields["note"] and "2026-11-30" in fields["note"]
    assert fields["urldate"] == "2026-11-30"
    assert cite_view().key == key  # the same view and version
    assert cite_view(accessed=dt.date(2027, 1, 5)).key == key  # read again later
    assert cite_view(version="9b0e11aa2c3d").key != key
    assert cite_view(link=LINK.replace("chips", "magnets")).key != key


def test_bibtex_escapes_special_characters():
    citation = cite_view(view_title=r"R&D: 100% of $5B #1 chips_and {magnets} \ ~", link=LINK + "&q=a%20b#top")
    (_, _, fields), *_ = bibtex_entries(citation.bibtex)
    title = fields["title"]
    assert r"R\&D: 100\% of \$5B \#1 chips\_and \{magnets\}" in title
    assert not re.search(r"(?<!\\)[&%$#_]", title.replace(r"\textbackslash{}", "").replace(r"\textasciitilde{}", ""))
    assert fields["howpublished"] == r"\url{" + LINK + r"&q=a\%20b\#top}"
    with pytest.raises(ValueError, match="as_of"):
        cite_view(as_of="June 2026")
    with pytest.raises(ValueError, match="link"):
        cite_view(link="javascript:alert(1)")
