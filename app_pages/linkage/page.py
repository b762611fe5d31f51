"""Chips for magnets: the two levers over time, the links between moves, and the tariff steps."""

import streamlit as st

from app_pages.linkage import charts, sequence
from chipsmag import metrics
from chipsmag.filters import apply_dates, apply_to_events, apply_to_links
from chipsmag.text import format_event_date, md_escape
from components import data, fixed, layout, sources, urlbind
from components.data import dated_events, require
from components.frame import Frame
from components.registry import RELATIONS, param


def render(frame: Frame) -> None:
    ds = frame.ds
    st.title("Chips for magnets")
    st.markdown(
        "Each line runs from a move to the move that answered it; its arrowhead sits near the answer. Colour: the "
        "kind of answer. Solid: a party or the cited reporting connects the two; dashed: the curators' inference. "
        "Click an arrowhead to read the link's evidence."
    )
    if not require(ds, "events", "links", "tariffs", "tariff_layers", "sources", "actors"):
        st.stop()
    t = ds.tables
    actor_names = data.actor_names(ds)
    f = frame.filters

    # 1. Options.
    c0, c1, c2 = st.columns([1, 3, 2])
    periods = list(param(ds, "period").options)
    default_period = periods[-2] if len(periods) > 1 else periods[-1]
    period = c0.radio(
        "Period",
        periods,
        index=periods.index(default_period),
        key="period",
        bind="query-params",
        help="Open the chart on one year, or on all years.",
    )
    urlbind.register(param(ds, "period"), period, default_period)
    relations = c1.multiselect(
        "Relation", list(RELATIONS), key="relation", bind="query-params", placeholder="All relations"
    )
    basis = c2.pills("Basis", ["stated", "inferred"], selection_mode="multi", key="basis", bind="query-params")
    urlbind.register(param(ds, "relation"), relations, [])
    urlbind.register(param(ds, "basis"), basis, [])
    layout.filtered_line(f, actor_names, "events, links and tariff steps")

    events = apply_to_events(dated_events(ds), f)
    links = apply_to_links(data.hover_links(ds), events["id"])
    if relations:
        links = links[links["relation"].isin(relations)]
    if basis:
        links = links[links["basis"].isin(basis)]
    tariffs = apply_dates(t["tariffs"], "effective_date", f)

    # 2. A click on a move focuses it; a click on an arrowhead opens its link's card.
    selection = (st.session_state.get("lk_chart") or {}).get("selection", {})
    for pick, field, key in ((sequence.PICK, "id", "focus"), (sequence.LINK_PICK, "link", "link")):
        points = selection.get(pick) or []
        if points and str(points) != st.session_state.get(f"_lk_seen_{key}"):
            st.session_state[f"_lk_seen_{key}"] = str(points)
            clicked = str(points[0].get(field)) if isinstance(points[0], dict) else None
            if clicked in set(param(ds, key).options):
                st.session_state[key] = clicked

    # The moves of the chosen period that take part in a link.
    in_period = events if period == "all" else events[events["plot_date"].dt.year == int(period)]
    drawn = apply_to_links(links, in_period["id"])
    moves = in_period[in_period["id"].isin(set(drawn["from_event"]) | set(drawn["to_event"]))]
    titles = moves.set_index("id")
    focus = urlbind.id_select(
        st,
        param(ds, "focus"),
        moves.sort_values("plot_date")["id"].tolist(),
        lambda ids: {i: f"{i} · {titles.at[i, 'title']}" if i in titles.index else i for i in ids},
        "Focus on a move",
        help="Highlights what the move answered and what answered it, and dims the rest. Or click a move on the chart.",
        what="moves",
    )
    if focus is not None and focus not in titles.index:
        focus = None
    if drawn.empty:
        layout.empty_state("links in this period")
    else:
        if len(moves) > sequence.MAX_MOVES:
            keep = moves.sort_values("plot_date").tail(sequence.MAX_MOVES)
            st.caption(
                f"{len(moves):,} linked moves match: the chart draws the {sequence.MAX_MOVES} most recent. Pick a year "
                "or narrow the filters to see the others."
            )
            moves, drawn = keep, apply_to_links(drawn, keep["id"])
        countries = dict(zip(t["actors"]["id"], t["actors"]["country"], strict=True))
        spec = sequence.sequence_chart(moves, drawn, countries, fixed.tariff_lines(ds), focus)
        st.vega_lite_chart(spec, key="lk_chart", on_select="rerun")
        st.caption(
            "Time runs down; one row per move: US moves on the left, China's on the right, tariffs and deals in the "
            "middle. Arrows run from a move to its answer (colour: relation; dashed: inferred). Edge strips: each side's "
            "headline additional tariff on all goods of the other, written where it changed. Click a move to focus it: "
            "what it answered and what answered it stay, the rest dims."
        )
        sources.caption(ds, metrics.sources_of(drawn), "Each link's evidence: hover its line, or open its card below.")
    if not tariffs.empty:
        lines = apply_dates(fixed.tariff_lines(ds), "day", f)  # summed over every row, then filtered
        domain = charts.linkage_domain(events, period)
        end = ds.coverage.curated_to.isoformat() if ds.coverage and ds.coverage.curated_to else None
        lo, hi = domain
        tariff_moves = events[
            (events["category"] == "tariff") & (events["plot_date"] >= lo) & (events["plot_date"] <= hi)
        ]
        spec = charts.tariff_chart(lines, tariffs, t["tariff_layers"], domain, end, tariff_moves)
        st.vega_lite_chart(spec, key="lk_tariffs")
        sources.caption(
            ds,
            metrics.sources_of(tariffs),
            "Headline statutory rates, not trade-weighted averages. Thick lines: each side's additional rate on all "
            "goods of the other, the sum of its general layers (IEEPA fentanyl and reciprocal, then the Section 122 "
            "surcharge on all countries). Dashed: layers on named products (Section 301 magnets and graphite, Section "
            "232 advanced chips), never summed. Crosses: threatened or announced rates that were never imposed. '?': "
            "a scheduled end passed with no outcome in the data. Triangles: tariff moves, by event id (hover for the "
            "title). Pre-2025 Section 301 duties are not shown.",
        )
    else:
        layout.empty_state("tariff steps")

    # 3. Link card.
    left, right = st.columns([2, 3])
    with left:
        ev = t["events"].set_index("id")
        link_by_id = t["links"].set_index("id")

        def link_labels(ids: list[str]) -> dict[str, str]:
            rows = link_by_id.loc[ids]
            return {
                i: f"{i} · {a} → {b} · {r}"
                for i, a, b, r in zip(ids, rows["from_event"], rows["to_event"], rows["relation"], strict=True)
            }

        chosen = urlbind.id_select(
            st,
            param(ds, "link"),
            links["id"].tolist(),
            link_labels,
            "Link card",
            help="Pick a link to read its evidence.",
            what="links",
        )
        if chosen:
            link = link_by_id.loc[chosen]
            with st.container(border=True, key="link_card"):
                a, b = ev.loc[link["from_event"]], ev.loc[link["to_event"]]
                st.markdown(f"**{md_escape(link['relation'].capitalize())}** ({md_escape(link['basis'])})")
                st.markdown(
                    f"From **{md_escape(a['title'])}** ({md_escape(format_event_date(a['date'], a['date_precision']))})  \n"
                    f"to **{md_escape(b['title'])}** ({md_escape(format_event_date(b['date'], b['date_precision']))})"
                )
                st.markdown(f"> {md_escape(link['evidence'])}")
                sources.caption(ds, link["source_ids"].split(";"))
        else:
            st.caption("Click an arrowhead on the chart, or pick a link above.")
    with right:
        if not links.empty:
            st.vega_lite_chart(charts.lever_pairs_chart(links, t["events"]), key="lk_pairs")
            sources.caption(ds, metrics.sources_of(links), "Counted from the links shown (filters apply).")

    st.markdown(f"**{len(links)} of {len(t['links'])} links**")
    st.dataframe(
        layout.table_rows(
            links[["id", "from_event", "to_event", "relation", "basis", "evidence", "source_ids"]], "links"
        ),
        hide_index=True,
        key="lk_table",
    )
    layout.download(links, "links_filtered", "Download these links (CSV)", "lk_dl")
