"""A chart as a file a reader can paste or print: PNG or SVG, stamped with where it came from.

Every chart of the dashboard is a Vega-Lite spec drawn in the browser at the width of its column
(``"width": "container"``). ``stamped`` makes a copy fit to render without a browser: pixel widths,
the chart's title on top, and under the chart a footer saying what the numbers are and where to
find them again: the sources, the filters in words, the data version and the date of its latest
source, and the link to the view. ``svg`` and ``png`` render that copy on the server with
vl-convert (Vega-Lite compiled and drawn in an embedded JavaScript engine, no browser), which
fetches nothing: every chart carries its data inline.

The stamped spec is for rendering to a file only: its text is plain (not HTML-escaped), which is
right for SVG and PNG, where Vega writes text as text.
"""

from __future__ import annotations

import copy
import json
import math
import re
import unicodedata
from dataclasses import dataclass

import vl_convert as vlc

from chipsmag.chartbase import fill, text_width

FOOTER_SIZE = 11  # px: the footer's type, as the charts' axis labels
FOOTER_LINE = 15  # px between footer lines
FOOTER_COLOR = "#444444"
TITLE_SIZE = 15  # px: the chart title in an image, bold
BOLD = 1.1  # bold type is about a tenth wider than ``text_width`` estimates for regular type
CONTAINER_HEIGHT = 360  # px: a chart whose height follows its container gets this height in an image
CONCAT_SPACING = 20  # px: Vega-Lite's default gap between concatenated views

# Properties only a top-level spec may hold: when the chart is nested under the footer's vconcat,
# these move to the new top level (or are dropped: autosize "fit" does not apply to a concat).
_TOP_ONLY = ("config", "datasets", "background", "usermeta", "locale")
_DROPPED = ("$schema", "autosize", "padding")
_LEGEND_CHANNELS = ("color", "fill", "stroke", "opacity", "fillOpacity", "strokeOpacity", "shape", "size")
_LEGEND_CHANNELS += ("strokeWidth", "strokeDash")


class ExportError(ValueError):
    """A chart could not be rendered to an image; the message names the chart."""


@dataclass(frozen=True)
class Stamp:
    """What an exported chart says about itself, each as the reader will see it."""

    title: str  # the chart's title, plain text
    source: str  # "Sources: Nvidia 10-K FY2025; Reuters, 2025-08-12"
    filters: str  # "Filters: 2025-01-01 to 2026-06-22; lever Chips"
    version: str  # the data version (a content hash of data/)
    as_of: str  # the date of the latest source, ISO
    link: str  # the URL of the view

    def __post_init__(self) -> None:
        for name in ("title", "source", "filters", "version", "as_of", "link"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"Stamp.{name} must be non-empty text, got {value!r}")

    def footer(self) -> list[str]:
        """The footer's statements, one each, before wrapping."""
        return [
            self.source,
            self.filters,
            f"Data version {self.version}, latest source dated {self.as_of}",
            self.link,
        ]


def stamped(spec: dict, stamp: Stamp, width: int = 720) -> dict:
    """A copy of ``spec`` to render at ``width`` px outside a browser, titled and footed by ``stamp``.

    The chart (its data, layers, selections) is kept and nested in a vconcat above a text chart,
    the footer: the source line, the filters, "Data version V, latest source dated D" and the link,
    each wrapped to fit ``width`` (a link, which has no spaces, is broken after its separators).
    Every ``"container"`` width becomes pixels (a concatenation's share of ``width`` for nested
    views): the plot is ``width`` wide and its axes and labels add to it, as a concat cannot shrink
    a chart to fit. The chart's title becomes the stamp's, keeping the spec's subtitle and title
    style; the chart's legends stay with it, above the footer."""
    if not isinstance(spec, dict):
        raise ExportError(f"The chart '{stamp.title}' is not a Vega-Lite spec (a dict): {type(spec).__name__}")
    if width < 200:
        raise ValueError(f"An exported chart needs at least 200 px of width, got {width}")
    chart = _fixed_sizes(copy.deepcopy(spec), width)
    top: dict = {"$schema": chart.get("$schema", "https://vega.github.io/schema/vega-lite/v6.json")}
    for key in _TOP_ONLY:
        if key in chart:
            top[key] = chart.pop(key)
    for key in _DROPPED:
        chart.pop(key, None)
    if isinstance(chart.get("params"), list):
        _move_params(chart, top, stamp.title)
    chart["title"] = _title(spec.get("title"), stamp.title, width)
    footer = _footer(stamp, width)
    top.setdefault("background", "white")
    # The chart's legends stay with it, above the footer (a concat would gather them under both).
    resolve = {"legend": dict.fromkeys(_LEGEND_CHANNELS, "independent")}
    return {**top, "padding": 12, "spacing": 16, "resolve": resolve, "vconcat": [chart, footer]}


def svg(spec: dict, stamp: Stamp) -> str:
    """The stamped chart as an SVG document."""
    stamp_spec = stamped(spec, stamp)
    return _render("SVG", stamp, lambda: vlc.vegalite_to_svg(*_args(stamp_spec, stamp), allowed_base_urls=[]))


def png(spec: dict, stamp: Stamp, scale: float = 2) -> bytes:
    """The stamped chart as a PNG, ``scale`` pixels per CSS pixel (2: sharp on a high-density screen)."""
    if not 0 < scale <= 8:
        raise ValueError(f"A PNG scale must be above 0 and at most 8, got {scale}")
    stamp_spec = stamped(spec, stamp)
    return _render(
        "PNG", stamp, lambda: vlc.vegalite_to_png(*_args(stamp_spec, stamp), scale=scale, allowed_base_urls=[])
    )


def file_name(title: str, ext: str) -> str:
    """A safe file name for a chart: 'China's share (USGS MCS 2026)', 'png' -> 'china-s-share-usgs-mcs-2026.png'."""
    suffix = ext.lower().lstrip(".")
    if not re.fullmatch(r"[a-z0-9]{1,8}", suffix):
        raise ValueError(f"A file extension must be 1-8 letters or digits, got {ext!r}")
    ascii_title = unicodedata.normalize("NFKD", str(title)).encode("ascii", "ignore").decode().lower()
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_title).strip("-")[:80].rstrip("-")
    return f"{stem or 'chart'}.{suffix}"


def wrap(text: str, px: float, size: float = FOOTER_SIZE) -> list[str]:
    """``text`` as lines no wider than ``px`` at ``size`` (``text_width``'s estimate): broken at
    spaces, and a word too long for one line (a URL) broken after '&', '?', '/', ';' or ',' where it
    can be, else after '=', else between characters."""
    return fill(
        " ".join(text.split()), lambda line: text_width(line, size) <= px, lambda word: _split_word(word, px, size)
    )


def _split_word(word: str, px: float, size: float) -> list[str]:
    """A word as pieces no wider than ``px``, broken after a separator where one falls."""
    pieces: list[str] = []
    rest = word
    while text_width(rest, size) > px:
        end = 1
        while end < len(rest) and text_width(rest[: end + 1], size) <= px:
            end += 1
        for separators in ("&?/;,", "="):  # between a link's parameters first, then after a name
            cut = max(rest.rfind(sep, 0, end) for sep in separators)
            if cut >= end // 2:
                end = cut + 1
                break
        pieces.append(rest[:end])
        rest = rest[end:]
    return [*pieces, rest] if rest else pieces


def _move_params(chart: dict, top: dict, title: str) -> None:
    """The chart's params where they work once the chart is nested, in place: variables at the top
    level (a nested view cannot hold them); selections in the chart's first view with a mark, as
    Vega-Lite reads them at the top of a layer (left on a nested layer or concat, they would be
    added to the footer's views too)."""
    params = chart.pop("params")
    variables = [p for p in params if not (isinstance(p, dict) and "select" in p)]
    selections = [p for p in params if p not in variables]
    if variables:
        top["params"] = variables
    if selections:
        unit = _first_unit(chart)
        if unit is None:
            raise ExportError(f"The chart '{title}' has selections but no view with a mark to hold them")
        unit["params"] = [*unit.get("params", []), *selections]


def _first_unit(spec: dict) -> dict | None:
    """The first view with a mark, depth first."""
    if "mark" in spec:
        return spec
    children = [spec.get("spec")] + [c for key in ("layer", "vconcat", "hconcat", "concat") for c in spec.get(key, [])]
    for child in children:
        if isinstance(child, dict) and (found := _first_unit(child)) is not None:
            return found
    return None


def _footer(stamp: Stamp, width: int) -> dict:
    """The footer: a text chart, one text mark per wrapped line, the link's lines linked (http(s) only)."""
    lines = [(line, i) for i, statement in enumerate(stamp.footer()) for line in wrap(statement, width, FOOTER_SIZE)]
    rows = [{"line": line, "y": n * FOOTER_LINE, "link": i == 3} for n, (line, i) in enumerate(lines)]
    href = stamp.link if re.match(r"^https?://[^\s]+$", stamp.link) else None
    mark = {"type": "text", "align": "left", "baseline": "top", "fontSize": FOOTER_SIZE, "color": FOOTER_COLOR}
    encoding = {
        "x": {"value": 0},
        "y": {"field": "y", "type": "quantitative", "scale": None},
        "text": {"field": "line", "type": "nominal"},
        "description": {"field": "line", "type": "nominal"},
    }
    layers = [
        {"data": {"values": [r for r in rows if not (href and r["link"])]}, "mark": mark, "encoding": encoding},
    ]
    if href:
        linked = {**encoding, "href": {"value": href}}
        layers.append({"data": {"values": [r for r in rows if r["link"]]}, "mark": mark, "encoding": linked})
    return {"layer": layers, "width": width, "height": len(rows) * FOOTER_LINE, "view": {"stroke": None}}


def _title(old: object, title: str, width: int) -> dict:
    """The stamp's title as lines that fit ``width``, with the old title's subtitle and style kept."""
    kept = {k: v for k, v in old.items() if k != "text"} if isinstance(old, dict) else {}
    size = kept.get("fontSize")
    lines = wrap(title, width / BOLD, size if isinstance(size, int | float) else TITLE_SIZE)
    return {"anchor": "start", "fontSize": TITLE_SIZE, **kept, "text": lines if len(lines) > 1 else lines[0]}


def _fixed_sizes(spec: dict, width: float) -> dict:
    """``spec`` with every "container" width and height in pixels, in place: ``width`` for a view,
    its share for the views of a hconcat or a wrapped concat."""
    if spec.get("width") == "container":
        spec["width"] = int(width)
    if spec.get("height") == "container":
        spec["height"] = CONTAINER_HEIGHT
    for key in ("vconcat", "layer"):
        for child in spec.get(key, []):
            if isinstance(child, dict):
                _fixed_sizes(child, width)
    for key in ("hconcat", "concat"):
        children = spec.get(key, [])
        columns = max(len(children) if key == "hconcat" else spec.get("columns") or len(children), 1)
        for child in children:
            if isinstance(child, dict):
                _fixed_sizes(child, max((width - CONCAT_SPACING * (columns - 1)) / columns, 50))
    if isinstance(spec.get("spec"), dict):  # facet and repeat: one inner view per cell
        columns = spec.get("columns") or _repeat_columns(spec.get("repeat"))
        _fixed_sizes(spec["spec"], max((width - CONCAT_SPACING * (columns - 1)) / columns, 50))
    return spec


def _repeat_columns(repeat: object) -> int:
    """How many cells a repeat lays side by side: one per field of a list or of its "column"."""
    if isinstance(repeat, list):
        return max(len(repeat), 1)
    if isinstance(repeat, dict) and isinstance(repeat.get("column"), list):
        return max(len(repeat["column"]), 1)
    return 1


def _vl_version(spec: dict, title: str) -> str:
    """The Vega-Lite library vl-convert should compile with: its newest of the schema's major version."""
    schema = str(spec.get("$schema", ""))
    match = re.search(r"/vega-lite/v(\d+)", schema)
    known = vlc.get_vegalite_versions()
    fits = [v for v in known if not match or v.split(".")[0] == match.group(1)]
    if not fits:
        raise ExportError(f"The chart '{title}' asks for Vega-Lite {schema!r}; vl-convert has {', '.join(known)}")
    return max(fits, key=lambda v: tuple(int(p) for p in v.split(".")))


def _args(spec: dict, stamp: Stamp) -> tuple[str, str]:
    """The spec as JSON, and the Vega-Lite version to compile it with."""
    try:
        text = json.dumps(_finite(spec), default=_plain, allow_nan=False)
    except (TypeError, ValueError) as e:
        raise ExportError(f"The chart '{stamp.title}' holds a value JSON cannot carry: {e}") from e
    return text, _vl_version(spec, stamp.title)


def _finite(value: object) -> object:
    """``value`` with NaN and infinities as null (JSON has neither; Vega reads null as missing)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _plain(value: object) -> object:
    """A JSON value for what ``json`` does not know: NumPy scalars, dates and timestamps."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON: {value!r}")


def _render(kind: str, stamp: Stamp, render):
    try:
        return render()
    except ExportError:
        raise
    except Exception as e:  # vl-convert raises ValueError with the JavaScript error and its stack
        raise ExportError(f"The chart '{stamp.title}' could not be rendered as {kind}: {_reason(e)}") from e


def _reason(error: Exception) -> str:
    """vl-convert's message without the JavaScript stack: 'Error: Invalid field type "undefined".'"""
    lines = [ln.strip() for ln in str(error).splitlines() if ln.strip() and not ln.strip().startswith("at ")]
    lines = [ln for ln in lines if not ln.endswith("conversion failed:") and ln != "Stack backtrace:"]
    return (lines[0] if lines else type(error).__name__)[:300]
