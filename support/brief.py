"""A brief (chipsmag/brief.py) of the timeline for given filters, built without a browser from the
timeline's model: its overview strip and labelled chart, plus the monthly counts by side (a third chart
the page draws only for large windows), every event in view with its sources, and a few headline
figures. What the benchmark times (``python -m bench.brief``) and the brief tests read back
(tests/test_brief.py)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from app_pages import BY_KEY
from app_pages.timeline import charts, model
from chipsmag import brief
from chipsmag.coverage import coverage_line
from chipsmag.filters import Filters, date_bounds, filter_parts
from chipsmag.loading import Dataset
from chipsmag.text import format_event_date
from chipsmag.urlstate import encode_query, share_url
from components import data
from components.filters import shared_params, url_values

BASE_URL = "http://localhost:8501"


def _link(f: Filters, actor_names: dict[str, str]) -> str:
    """The timeline's share link for ``f``, written as the app writes it (components/filters.py)."""
    values = url_values(f, actor_names)
    params = shared_params(actor_names, f.bounds or (f.start, f.end))
    query = encode_query({k: v for k, (v, _) in values.items()}, params, {k: d for k, (_, d) in values.items()})
    return share_url(BASE_URL, BY_KEY["timeline"].path, query)


def _address(url: object) -> str:
    """A source's URL; empty where the fact sheet recorded none (the brief says so)."""
    return "" if pd.isna(url) else str(url)


def timeline_brief(ds: Dataset, filters: Filters | None = None, today: dt.date | None = None) -> brief.Brief:
    """The brief of the timeline for ``filters`` (default: no filter, every event): three charts, the
    events in view with their sources, and a few headline figures."""
    t = ds.tables
    actor_names = data.actor_names(ds)
    sources = t["sources"].set_index("id")
    dated = data.dated_events(ds)  # with plot dates and tooltip texts, as the page reads them
    searched_to = ds.coverage.searched_to if ds.coverage else None
    bounds = date_bounds(dated, searched_to)
    f = filters or Filters(*bounds, bounds=bounds)
    m = model.build(ds, f, dated, actor_names)
    cited = "Events: data/events.csv, each citing its sources (listed under Events in view)"
    chart_list = ()
    if m.chart is not None:
        chart_list = (
            brief.BriefChart("Every filtered event by date", m.overview, cited),
            brief.BriefChart(m.chart.get("title", "Events in view"), m.chart, cited),
            brief.BriefChart(
                "Events a month by side (first actor)",
                charts.timeline_counts_chart(m.in_view, t["actors"], "side"),
                cited,
            ),
        )
    in_view = m.in_view.sort_values(["plot_date", "id"], kind="stable")
    events = tuple(
        brief.BriefEvent(
            date=format_event_date(ev.date, ev.date_precision),
            id=ev.id,
            title=ev.title,
            sources=tuple(
                brief.BriefSource(str(sources.at[s, "publisher"]), _address(sources.at[s, "url"]))
                for s in ev.source_ids.split(";")
            ),
            status="context only" if ev.context_only else "",
        )
        for ev in in_view.itertuples()
    )
    headlines = (
        brief.Headline("Events in view", f"{len(in_view):,}", f"of {len(t['events']):,} events in the record"),
        brief.Headline("Sources they cite", f"{len(m.source_ids):,}", "each listed with its link below"),
        brief.Headline("Context-only events", f"{int(in_view['context_only'].sum()):,}", "background, not moves"),
    )
    today = today or dt.date.today()
    return brief.Brief(
        page_title="Timeline",
        link=_link(f, actor_names),
        generated=today,
        filters=tuple(filter_parts(f, actor_names)),  # as the app's brief words them
        headlines=headlines,
        charts=chart_list,
        events=events,
        version=ds.version,
        as_of=ds.as_of,
        coverage=coverage_line(ds.coverage, today),  # as the app's brief states it
    )
