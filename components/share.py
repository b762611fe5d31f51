"""Every chart travels: drawn with a small "Share chart" menu (an embed snippet, PNG and SVG files
stamped with their sources, filters, data version and link), and alone on the embed page.

The embed page is the chart's own page opened with ``chart=<key>`` (and Streamlit's
``embed=true``, which hides Streamlit's own frame): app.py runs the page with no widgets drawn
(``components.frame.bound`` returns the URL's values), and ``chart`` stops the page at the chart
asked for, which app.py then draws alone with its title, source line, data version and a link to
the full view.
"""

from __future__ import annotations

import contextvars
import json
from collections.abc import Sequence
from urllib.parse import urlencode

import pyarrow as pa
import streamlit as st
from streamlit import dataframe_util

from chipsmag import brief, citation, export
from chipsmag.coverage import coverage_line
from chipsmag.filters import apply_to_events, filter_parts
from chipsmag.memo import Memo
from chipsmag.text import format_event_date
from chipsmag.urlstate import EMBED_PARAM
from components import urlbind
from components.data import dated_events, source_names
from components.frame import Frame

EMBED_WIDTH = 720  # px: the snippet's frame, within the 600-800 px of an article's column
EMBED_CHROME = 190  # px: the embed page's title, source lines and link around the chart


class Found(Exception):
    """Raised by ``chart`` in embed mode at the chart asked for: what the embed page draws."""

    def __init__(self, spec: dict, key: str, source_ids: tuple[str, ...]) -> None:
        super().__init__(key)
        self.spec, self.key, self.source_ids = spec, key, source_ids


def chart(frame: Frame, spec: dict, key: str, source_ids: Sequence[str] = (), **kwargs):
    """Draw a Vega-Lite chart with its "Share chart" menu; ``source_ids`` are the sources the
    caption under it names (the image's source line). Other keywords go to ``st.vega_lite_chart``.

    On the embed page: raise ``Found`` at the chart asked for; draw nothing for the others."""
    asked = frame.embed
    if asked is not None:
        if key == asked:
            raise Found(spec, key, tuple(source_ids))
        return None
    value = st.vega_lite_chart(as_sent(spec), key=key, **kwargs)
    menu(frame, spec, key, tuple(source_ids))
    collected = COLLECTED.get()
    if collected is not None:
        collected.charts.append((spec, key, tuple(source_ids)))
    return value


# A spec with its data already as Arrow tables, for specs the pages keep between runs (the models
# are cached): Streamlit converts a chart's rows to Arrow on every run, about 20 ms for the
# timeline's two charts, and passes tables through. Keyed by the spec object, which is held here so
# its id is not reused.
_SENT = Memo(256)


def as_sent(spec: dict) -> dict:
    """``spec`` with its top-level rows and named datasets as the Arrow tables Streamlit would make
    of them (a shallow copy; the spec itself is not changed)."""
    held = _SENT.get(id(spec))
    if held is not None and held[0] is spec:
        return held[1]
    sent = dict(spec)
    data = spec.get("data")
    if isinstance(data, dict) and isinstance(data.get("values"), list):
        sent["data"] = {**data, "values": _table(data["values"])}
    if isinstance(spec.get("datasets"), dict):
        sent["datasets"] = {
            name: _table(rows) if isinstance(rows, list) else rows for name, rows in spec["datasets"].items()
        }
    _SENT.put(id(spec), (spec, sent))
    return sent


def _table(rows: list[dict]) -> pa.Table:
    return pa.ipc.open_stream(dataframe_util.convert_anything_to_arrow_bytes(rows)).read_all()


def title_of(spec: dict) -> str:
    """The chart's title as plain text (a title of several lines joined)."""
    title = spec.get("title", "")
    text = title.get("text", "") if isinstance(title, dict) else title
    return " ".join(text) if isinstance(text, list) else str(text)


SOURCES_NAMED = 8  # a source line names this many publishers at most


def source_line(frame: Frame, source_ids: Sequence[str]) -> str:
    """'Sources: A; B; C' (publishers as the dashboard names them), or the first few and how many
    more, every one of them listed in the view the link opens."""
    names = source_names(frame.ds)
    shown = list(dict.fromkeys(names.get(s, s) for s in source_ids))
    if not shown:
        return "Sources: see the dashboard's Sources & data page."
    if len(shown) <= SOURCES_NAMED:
        return "Sources: " + "; ".join(shown)
    more = len(shown) - SOURCES_NAMED
    return f"Sources: {'; '.join(shown[:SOURCES_NAMED])}; and {more} more, each listed in the view the link opens."


def stamp(frame: Frame, spec: dict, source_ids: Sequence[str], link: str) -> export.Stamp:
    words = " · ".join(filter_parts(frame.filters, frame.actor_names))
    return export.Stamp(
        title=title_of(spec) or "Chips for magnets",
        source=source_line(frame, source_ids),
        filters=f"Filters: {words}" if words else "Filters: none (everything in the record)",
        version=frame.ds.version,
        as_of=str(frame.ds.as_of or "n/a"),
        link=link,
    )


def embed_url(link: str, key: str) -> str:
    joiner = "&" if "?" in link else "?"
    return f"{link}{joiner}{urlencode({EMBED_PARAM: key, 'embed': 'true'})}"


def embed_height(spec: dict) -> int:
    height = spec.get("height")
    return (height if isinstance(height, int | float) else 360) + EMBED_CHROME


def snippet(spec: dict, key: str, link: str) -> str:
    """The HTML a publisher pastes: an iframe of the embed page, sized for an article's column."""
    title = title_of(spec).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    src = embed_url(link, key).replace("&", "&amp;")
    return (
        f'<iframe src="{src}" title="{title}" width="{EMBED_WIDTH}" height="{int(embed_height(spec))}" '
        'style="border:0;max-width:100%" loading="lazy"></iframe>'
    )


def menu(frame: Frame, spec: dict, key: str, source_ids: tuple[str, ...]) -> None:
    """The chart's "Share chart" menu: the embed snippet and the two image files, each made only when
    the reader asks for it. An expander drawn empty until opened: a popover under every chart, drawn
    again on every filter change, cost the timeline about 50 ms of each change in the browser."""
    box = st.expander("Share chart", icon=":material/ios_share:", key=f"share_{key}", on_change="rerun", width=360)
    if not box.open:
        return
    link = urlbind.current_link(frame.path, frame.ds.version)
    title = title_of(spec) or key
    with box:
        st.caption("Embed this chart in a web page (it keeps these filters and links back here):")
        st.code(snippet(spec, key, link), language="html", wrap_lines=True)
        label = stamp(frame, spec, source_ids, link)
        c1, c2 = st.columns(2)
        c1.download_button(
            "PNG",
            data=lambda: export.png(spec, label),
            file_name=export.file_name(title, "png"),
            mime="image/png",
            key=f"png_{key}",
            icon=":material/image:",
            on_click="ignore",
            help="The chart as a picture (1440 px wide), with its sources, filters, data version and link.",
        )
        c2.download_button(
            "SVG",
            data=lambda: export.svg(spec, label).encode("utf-8"),
            file_name=export.file_name(title, "svg"),
            mime="image/svg+xml",
            key=f"svg_{key}",
            icon=":material/draw:",
            on_click="ignore",
            help="The chart as vector graphics, with its sources, filters, data version and link.",
        )


def draw_embedded(frame: Frame, found: Found) -> None:
    """The embed page: the chart alone with its title (in the chart), source line, filters, data
    version and a link to the full view. No sidebar, no navigation."""
    link = urlbind.current_link(frame.path, frame.ds.version)
    st.vega_lite_chart(found.spec, key=f"embed_{found.key}")
    label = stamp(frame, found.spec, found.source_ids, link)
    st.caption(label.source)
    st.caption(f"{label.filters} · Data version {label.version}, latest source dated {label.as_of}.")
    st.link_button("Open the full view: Chips for magnets", link, icon=":material/open_in_new:")


def missing_chart(frame: Frame, asked: str) -> None:
    link = urlbind.current_link(frame.path, frame.ds.version)
    st.error(
        f"This view has no chart {json.dumps(asked[:60])}: the link may be from an older version of the "
        "dashboard, or the filters leave the chart empty.",
        icon=":material/broken_image:",
    )
    st.link_button("Open the full view", link, icon=":material/open_in_new:")


# The view: its link, its citation and its PDF brief (the sidebar's share box).


class Collected:
    """What this run's page drew that a brief prints: its charts and its headline figures."""

    def __init__(self) -> None:
        self.charts: list[tuple[dict, str, tuple[str, ...]]] = []
        self.headlines: list[tuple[str, str, str]] = []


COLLECTED: contextvars.ContextVar[Collected | None] = contextvars.ContextVar("collected", default=None)


def start_run() -> Collected:
    collected = Collected()
    COLLECTED.set(collected)
    return collected


def headline(label: str, value: str, note: str = "") -> None:
    """Record a headline figure the page shows (for the brief)."""
    collected = COLLECTED.get()
    if collected is not None:
        collected.headlines.append((label, value, note))


def metric(label: str, value: str, delta: str | None = None, where=st, **kwargs) -> None:
    """Draw a headline figure with ``st.metric`` (in ``where``: a column, a container) and record it for
    the brief. The delta is a note, never a rise or a fall: it is drawn without colour, and without an
    arrow unless ``delta_arrow`` says otherwise."""
    where.metric(label, value, delta, delta_color="off", **({"delta_arrow": "off"} | kwargs))
    headline(label, value, delta or "")


def view_box(frame: Frame, page_title: str) -> None:
    """The link to this view, how to cite it, and its PDF brief, in the sidebar. The link is drawn when
    its box is opened: the code block's copy button loads a syntax highlighter, which cost about 0.4 s
    on every page load when it sat in the sidebar itself."""
    link = urlbind.current_link(frame.path, frame.ds.version)
    with st.sidebar:
        box = st.expander("Share this view", icon=":material/share:", key="share", on_change="rerun")
        if box.open:
            with box:
                _view_links(frame, page_title, link)
        brief_button(frame, page_title, link)


def _view_links(frame: Frame, page_title: str, link: str) -> None:
    st.code(link, language=None, wrap_lines=True)
    st.caption("Copy the link (button at the right of the box): it opens this page with these filters.")
    c = citation.cite(
        view_title=f"{page_title}: US chip export controls and China's rare-earth controls",
        link=link,
        version=frame.ds.version or "unversioned",
        as_of=str(frame.ds.as_of or frame.today),
        accessed=frame.today,
    )
    st.markdown("**Cite this view**")
    st.caption("APA")
    st.code(c.apa.replace("*", ""), language=None, wrap_lines=True)
    st.caption("BibTeX")
    st.code(c.bibtex, language="latex", wrap_lines=True)


def brief_button(frame: Frame, page_title: str, link: str) -> None:
    """A PDF of this view, built when asked, with a progress bar while it builds."""
    if not st.button("PDF brief of this view", key="brief_make", icon=":material/picture_as_pdf:", width="stretch"):
        return
    bar = st.progress(0.0, text="Building the brief…")
    try:
        body = brief.pdf(brief_of(frame, page_title, link), progress=lambda f, m: bar.progress(min(f, 1.0), text=m))
    except brief.BriefError as e:
        bar.empty()
        st.error(f"The brief could not be built: {e}", icon=":material/error:")
        return
    bar.empty()
    st.download_button(
        f"Download the brief (PDF, {len(body) // 1024:,} KB)",
        data=body,
        file_name=f"chips-for-magnets-{frame.path or 'overview'}-{frame.today.isoformat()}.pdf",
        mime="application/pdf",
        key="brief_pdf",
        icon=":material/download:",
        on_click="ignore",
        type="primary",
        width="stretch",
    )


def brief_of(frame: Frame, page_title: str, link: str) -> brief.Brief:
    """The brief's content: this run's charts and headline figures, the events the filters select
    with their sources, and the record's reach."""
    collected = COLLECTED.get() or Collected()
    return brief.Brief(
        page_title=page_title,
        link=link,
        generated=frame.today,
        filters=tuple(filter_parts(frame.filters, frame.actor_names)),
        headlines=tuple(brief.Headline(*h) for h in collected.headlines),
        charts=tuple(
            brief.BriefChart(title_of(spec) or key, spec, source_line(frame, ids))
            for spec, key, ids in collected.charts
        ),
        events=events_in_view(frame),
        version=frame.ds.version,
        as_of=str(frame.ds.as_of or "n/a"),
        coverage=coverage_line(frame.ds.coverage, frame.today),
    )


def events_in_view(frame: Frame) -> tuple[brief.BriefEvent, ...]:
    ds = frame.ds
    if "events" not in ds.tables or "sources" not in ds.tables:
        return ()
    events = apply_to_events(dated_events(ds), frame.filters)
    src = ds.tables["sources"]
    names, urls = source_names(ds), dict(zip(src["id"], src["url"], strict=True))
    out = []
    columns = (events[c].tolist() for c in ("id", "date", "date_precision", "title", "source_ids"))
    for eid, date, precision, title, ids in zip(*columns, strict=True):
        sources = tuple(brief.BriefSource(names.get(s, s), str(urls.get(s, ""))) for s in str(ids).split(";") if s)
        out.append(brief.BriefEvent(format_event_date(str(date), str(precision)), str(eid), str(title), sources))
    return tuple(out)
