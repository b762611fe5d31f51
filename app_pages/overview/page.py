"""Overview: the story on one screen, each headline figure with its source and date."""

import pandas as pd
import streamlit as st

from app_pages.overview import charts
from chipsmag import chartbase, metrics
from chipsmag.coverage import RESOLVED, deadline_states
from chipsmag.filters import apply_to_events, apply_to_links
from chipsmag.text import format_event_date, md_escape, usd_m
from components import data, fixed, layout, sources, urlbind
from components.data import dated_events, require
from components.frame import Frame
from components.registry import param


def render(frame: Frame) -> None:
    ds = frame.ds
    st.title("Chips for magnets")
    st.markdown(
        "How US export controls on AI chips and China's controls on rare earths became bargaining chips "
        "for each other, 2018 on. Every number below links to where it was read."
    )
    if not require(
        ds,
        "sources",
        "revenue",
        "claims",
        "supply",
        "magnet_exports",
        "events",
        "links",
        "actors",
        "tariffs",
        "tariff_layers",
        "deadlines",
    ):
        st.stop()

    t = ds.tables

    # 1. The latest sourced figures (fixed facts: the sidebar filters do not apply to them).
    st.subheader("Latest figures")
    st.caption(
        "The newest sourced figure of each kind, with its source; figures marked unverified never stand here. "
        "Fixed reference figures: the sidebar filters do not change them."
    )
    rev, claims = t["revenue"], t["claims"]
    cov_end = ds.coverage.curated_to.isoformat() if ds.coverage and ds.coverage.curated_to else None
    c1, c2, c3 = st.columns(3)
    with c1, st.container(border=True):
        latest = metrics.latest_quarter(rev, "nvidia")
        if latest.empty:
            st.info("No reported Nvidia quarter in the data.")
        else:
            period = latest["fiscal_period"].iloc[0]
            dc = latest["value_usd_m"].get("data_center")
            st.metric(
                f"Nvidia revenue, {period}",
                usd_m(latest.at["total", "value_usd_m"]),
                f"Data Center {usd_m(dc)}" if dc is not None else None,
                delta_color="off",
                delta_arrow="off",
                help=f"Quarter ended {latest['period_end'].iloc[0]}. China revenue for the quarter is not in the data "
                "unless a filing or release gave it.",
            )
            guide = claims[(claims["actor"] == "nvidia") & (claims["topic"] == "revenue_guidance")].sort_values("date")
            cited = metrics.sources_of(latest.reset_index())
            if len(guide):
                g = guide.iloc[-1]
                st.markdown(
                    f"Outlook given {md_escape(g['date'])}: about **{md_escape(usd_m(g['value']))}** for the next "
                    f"quarter. *{md_escape(g['quote'])}*"
                )
                cited += g["source_ids"].split(";")
            sources.caption(ds, cited)
    with c2, st.container(border=True):
        last = metrics.latest_exports(t["magnet_exports"])
        if last is None:
            st.info("No reported month of magnet exports in the data.")
        else:
            when = chartbase.period_label(last["period_start"], last["period_end"])
            yoy = last["total_yoy_pct"]
            st.metric(
                f"China's magnet exports, {when}",
                f"{last['tonnes_total']:,.0f} t",
                f"{yoy:+.1f}% on a year earlier (as reported)" if pd.notna(yoy) else "year-on-year change not reported",
                delta_color="off",
                help="Rare-earth permanent magnets, all destinations. China Customs, as reported.",
            )
            if pd.notna(last["tonnes_to_us"]):
                us_yoy = last["to_us_yoy_pct"]
                change = f", {us_yoy:+.1f}% on a year earlier" if pd.notna(us_yoy) else ""
                st.markdown(f"To the United States: **{last['tonnes_to_us']:,.0f} t**{md_escape(change)}.")
            sources.caption(ds, last["source_ids"].split(";"), "The newest month reported in the sources read.")
    with c3, st.container(border=True):
        if cov_end is None or "tariffs" not in t or "tariff_layers" not in t:
            st.info("Tariff layers are not available.")
        else:
            state = metrics.tariffs_in_force(t["tariffs"], t["tariff_layers"], cov_end)
            known = state[state["status"] == "in_force"]
            us_general = known[(known["side"] == "US") & (known["scope"] == "general") & (known["rate_pct"] > 0)]
            cn_general = known[(known["side"] == "CN") & (known["scope"] == "general") & (known["rate_pct"] > 0)]
            st.metric(
                f"US tariff on all Chinese goods, {format_event_date(cov_end, 'day')}",
                f"{us_general['rate_pct'].sum():g}%",
                " + ".join(f"{n} {r:g}%" for n, r in zip(us_general["name"], us_general["rate_pct"], strict=True))
                or "no general layer",
                delta_color="off",
                delta_arrow="off",
                help="Headline statutory rate on all Chinese goods at the coverage end: the sum of the general layers "
                "in force. Named-product layers are listed below it, not added.",
            )
            products = known[(known["side"] == "US") & (known["scope"] == "product_lines") & (known["rate_pct"] > 0)]
            lines = [
                f"- {md_escape(n)}: **{r:g}%**" for n, r in zip(products["name"], products["rate_pct"], strict=True)
            ]
            lines.append(f"- China on all US goods: **{cn_general['rate_pct'].sum():g}%**")
            st.markdown("\n".join(lines))
            sources.caption(ds, metrics.sources_of(known), "The tariff layers in force at the coverage end.")

    # 2. Where the story began: the figures it started from, kept as context.
    st.subheader("Where the story began")
    fy25 = rev[(rev["company"] == "nvidia") & (rev["fiscal_period"] == "FY2025")].set_index("metric")
    by_id = claims.set_index("id")
    b1, b2, b3 = st.columns(3)
    with b1, st.container(border=True):
        china, total = fy25.at["china_incl_hk", "value_usd_m"], fy25.at["total", "value_usd_m"]
        st.metric(
            "Nvidia China revenue, FY2025",
            usd_m(china),
            f"{china / total * 100:.1f}% of {usd_m(total)} total revenue",
            delta_color="off",
            delta_arrow="off",
            help="China including Hong Kong, by customer billing location. Fiscal year ended 2025-01-26.",
        )
        sources.caption(ds, fy25.at["china_incl_hk", "source_ids"].split(";"), "FY2025 10-K, filed 2025-02-26.")
    with b2, st.container(border=True):
        expected, booked, huang = by_id.loc["C02"], by_id.loc["C08"], by_id.loc["C05"]
        st.metric(
            "H20 charge booked, Q1 FY2026",
            usd_m(booked["value"]),
            f"expected: up to {usd_m(expected['value'])} (8-K, {expected['date']})",
            delta_color="off",
            delta_arrow="off",
            help="Booked: Q1 FY2026 results, 2025-05-28. Expected: 8-K of 2025-04-15, 'up to approximately'.",
        )
        st.markdown(
            f"Beside it, Jensen Huang in an interview ({md_escape(huang['date'])}): "
            f"*walked away from **{md_escape(usd_m(huang['value']))}** of sales*, an estimate, not a filed figure."
        )
        sources.caption(
            ds, [*expected["source_ids"].split(";"), *booked["source_ids"].split(";"), *huang["source_ids"].split(";")]
        )
    with b3, st.container(border=True):
        may = t["magnet_exports"].set_index("period_start").loc["2025-05"]
        st.metric(
            "China's magnet exports, May 2025",
            f"{may['tonnes_total']:,.0f} t",
            f"{may['total_yoy_pct']:.0f}% year on year",
            delta_color="off",
            help=f"To the US: {may['tonnes_to_us']:,.1f} t ({may['to_us_yoy_pct']:.1f}% y/y). China Customs, as reported.",
        )
        sources.caption(ds, may["source_ids"].split(";"), "The low point after China's April 2025 licensing.")

    shares = fixed.china_stage_shares(ds)
    with st.container(border=True):
        st.markdown("**China's share of rare earths depends on the stage** (newest year each stage has)")
        shown = []
        for col, stage in zip(st.columns(3), ("mining", "refining", "magnets"), strict=True):
            rows = shares[shares["stage"] == stage]
            if rows.empty:
                col.metric(stage.capitalize(), "n/a")
                continue
            rows = rows[rows["year"] == rows["year"].max()]
            shown.append(rows)
            low, high = rows["share_pct"].min(), rows["share_pct"].max()
            basis = rows["basis"].iloc[0] if rows["basis"].nunique() == 1 else "several bases"
            col.metric(
                f"{stage.capitalize()}, {rows['year'].iloc[0]}",
                f"{low:.0f}%" if low == high else f"{low:.0f}-{high:.0f}%",
                f"{len(rows)} sources disagree: shown as a range" if low != high else basis,
                delta_color="off",
                delta_arrow="off",
            )
        sources.caption(
            ds, metrics.sources_of(pd.concat(shown)) if shown else [], "The Supply page shows every source and year."
        )

    # 3. Scheduled dates, and what is known of them.
    if "deadlines" in t:
        st.subheader("Scheduled dates")
        states = deadline_states(t["deadlines"], t.get("events"), data.today())
        st.caption(
            "Suspensions and truces end on set dates. A date that has passed with no recorded outcome is shown as "
            "exactly that: the data do not say whether it was extended, lapsed or replaced."
        )
        # A list, not a table: the state must stay readable on a phone.
        st.markdown(
            "\n".join(
                f"- **{md_escape(row.when)}**: {md_escape(row.title)}: *{md_escape(row.state)}*"
                + (f" ({md_escape(row.outcome)})" if row.state == RESOLVED else "")
                for row in states.itertuples()
            )
        )
        sources.caption(ds, metrics.sources_of(states))

    # 4. One year's chain of moves (filters apply).
    years = list(param(ds, "chain").options)
    year = st.segmented_control(
        "Chain of moves in",
        years,
        default=years[-1] if years else None,
        key="chain",
        bind="query-params",
        help="The linked moves of one year, each labelled.",
    )
    year = year or (years[-1] if years else None)
    urlbind.register(param(ds, "chain"), year, years[-1] if years else None)
    st.subheader(f"The {year} chain of moves" if year else "The chain of moves")
    f = frame.filters
    actor_names = data.actor_names(ds)
    layout.filtered_line(f, actor_names, "this chart")
    visible = apply_to_events(dated_events(ds), f)
    links = apply_to_links(t["links"], visible["id"])
    chain = charts.chain_events(visible, links, year) if year else visible.iloc[0:0]
    if chain.empty:
        layout.empty_state(f"linked events of {year}" if year else "linked events")
    else:
        st.vega_lite_chart(charts.chain_chart(chain, year), key="ov_chain")
        if len(chain) > charts.MAX_CHAIN_EVENTS:
            st.caption(f"Showing the first {charts.MAX_CHAIN_EVENTS} of {len(chain):,} linked events of {year}.")
        sources.caption(ds, metrics.sources_of(chain), "Links and their evidence: see the Chips for magnets page.")
        quote = t["links"].set_index("id").loc["L17"]  # Lutnick: "We put that in the trade deal with the magnets"
        if chain["id"].isin([quote["from_event"], quote["to_event"]]).any():
            st.markdown(
                f"> {md_escape(quote['evidence'])}  \n> — reported {md_escape(format_event_date('2025-07-16', 'day'))}"
            )
