"""Tooltip texts derived from the tables once per data version: when an event happened, who took
part, which sources back it (all HTML-escaped)."""

from __future__ import annotations

import pandas as pd

from chipsmag.chartbase import (
    row_tuples,
)
from chipsmag.text import format_event_date


def with_hovers(events: pd.DataFrame, actor_names: dict[str, str], source_names: dict[str, str]) -> pd.DataFrame:
    """Add each event's tooltip fields as plain text (Vega-Lite shows text as text): ``when``
    (the date as written), ``actor_list`` and ``source_list`` (names). They depend on the data
    alone, so the app derives them once per data version."""
    columns = ("date", "date_precision", "actors", "source_ids")
    whens, all_names, all_cited = [], [], []
    for date, precision, actors, source_ids in row_tuples(events, *columns):
        whens.append(format_event_date(date, precision))
        all_names.append(", ".join(actor_names.get(a, a) for a in actors.split(";")))
        all_cited.append("; ".join(source_names.get(s, s) for s in source_ids.split(";")))
    return events.assign(when=whens, actor_list=all_names, source_list=all_cited)


def with_link_hovers(links: pd.DataFrame, source_names: dict[str, str]) -> pd.DataFrame:
    """Add each link's sources as plain text (``source_list``, for Vega-Lite tooltips)."""
    cited = ["; ".join(source_names.get(s, s) for s in ids.split(";")) for ids in links["source_ids"].tolist()]
    return links.assign(source_list=cited)
