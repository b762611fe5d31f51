"""Overview: the story on one screen, each headline figure with its source and date."""

import streamlit as st

from chipsmag import charts, metrics
from chipsmag.filters import apply_to_events, apply_to_links
from chipsmag.text import format_event_date, md_escape, usd_m
from components import data, fixed, layout, sources
from components.data import dataset, dated_events, require

ds = dataset()
st.title("Chips for magnets")
st.markdown(
    "How US export controls on AI chips and China's controls on rare earths became bargaining chips "
    "for each other, 2018 on. Every number below links to where it was read."
)
if not require(ds, "sources", "revenue", "claims", "supply", "magnet_exports", "events", "links", "actors"):
    st.stop()

t = ds.tables
src = t["sources"]

# 1. Headline figures (fixed facts: the sidebar filters do not apply to them).
st.subheader("Headline figures")
st.caption("Fixed reference figures: the sidebar filters do not change them.")
rev = t["revenue"]
fy25 = rev[(rev["company"] == "nvidia") & (rev["fiscal_period"] == "FY2025")].set_index("metric")
china, total = fy25.at["china_incl_hk", "value_usd_m"], fy25.at["total", "value_usd_m"]
claims = t["claims"].set_index("id")
shares = fixed.china_stage_shares(ds)
mining24 = shares[(shares["stage"] == "mining") & (shares["year"] == 2024)]["share_pct"].iloc[0]
refining = shares[(shares["stage"] == "refining") & (shares["source_ids"] == "seaisi_iea_gcmo2024")].iloc[0]
magnets = shares[shares["stage"] == "magnets"]["share_pct"]
may = t["magnet_exports"].set_index("month").loc["2025-05"]

c1, c2, c3 = st.columns(3)
with c1, st.container(border=True):
    st.metric(
        "Nvidia China revenue, FY2025",
        usd_m(china),
        f"{china / total * 100:.1f}% of {usd_m(total)} total revenue",
        delta_color="off",
        delta_arrow="off",
        help="China including Hong Kong, by customer billing location. Fiscal year ended 2025-01-26.",
    )
    sources.caption(ds, fy25.at["china_incl_hk", "source_ids"].split(";"), "FY2025 10-K, filed 2025-02-26.")
with c2, st.container(border=True):
    expected, booked, huang = claims.loc["C02"], claims.loc["C08"], claims.loc["C05"]
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
    sources.caption(ds, [*expected["source_ids"].split(";"), *booked["source_ids"].split(";"), "hellokit_tmtpost_2025"])
with c3, st.container(border=True):
    st.metric(
        "China's magnet exports, May 2025",
        f"{may['tonnes_total']:,.0f} t",
        f"{may['total_yoy_pct']:.0f}% year on year",
        delta_color="off",
        help=f"To the US: {may['tonnes_to_us']:,.1f} t ({may['to_us_yoy_pct']:.1f}% y/y). China Customs, as reported.",
    )
    sources.caption(ds, may["source_ids"].split(";"))

with st.container(border=True):
    st.markdown("**China's share of rare earths depends on the stage**")
    m1, m2, m3 = st.columns(3)
    m1.metric(
        "Mining, 2024", f"{mining24:.0f}%", "USGS, China 270,000 of 390,000 t", delta_color="off", delta_arrow="off"
    )
    m2.metric("Refining, 2023", f"{refining['share_pct']:.0f}%", "IEA", delta_color="off", delta_arrow="off")
    m3.metric(
        "Magnets",
        f"{magnets.min():.0f}-{magnets.max():.0f}%",
        "three sources disagree: shown as a range",
        delta_color="off",
        delta_arrow="off",
    )
    sources.caption(
        ds, ["usgs_mcs2025_ree", "seaisi_iea_gcmo2024", *metrics.sources_of(shares[shares["stage"] == "magnets"])]
    )

# 2. The 2025 chain of moves (filters apply).
st.subheader("The 2025 chain of moves")
f = layout.filters()
actor_names = data.actor_names(ds)
layout.filtered_line(f, actor_names, "this chart")
visible = apply_to_events(dated_events(ds), f)
links = apply_to_links(t["links"], visible["id"])
chain = charts.chain_events(visible, links)
if chain.empty:
    layout.empty_state("linked 2025 events")
else:
    st.vega_lite_chart(charts.chain_chart(chain), key="ov_chain")
    if len(chain) > charts.MAX_CHAIN_EVENTS:
        st.caption(f"Showing the first {charts.MAX_CHAIN_EVENTS} of {len(chain):,} linked 2025 events.")
    sources.caption(ds, metrics.sources_of(chain), "Links and their evidence: see the Chips for magnets page.")
    quote = t["links"].set_index("id").loc["L17"]
    st.markdown(f"> {md_escape(quote['evidence'])}  \n> — reported {md_escape(format_event_date('2025-07-16', 'day'))}")
