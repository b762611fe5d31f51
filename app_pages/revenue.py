"""Revenue at risk: Nvidia's China revenue, the FY2026 quarters, and who claimed what."""

import streamlit as st

from chipsmag import charts, metrics
from chipsmag.filters import apply_to_claims, apply_to_events
from chipsmag.text import md_escape, usd_m
from components import layout, sources
from components.data import dataset, require

ds = dataset()
st.title("Revenue at risk")
if not require(ds, "revenue", "claims", "sources", "actors", "events"):
    st.stop()
t = ds.tables
actor_names = dict(zip(t["actors"]["id"], t["actors"]["name"], strict=True))
f = layout.filters()

# Chip-lever export controls, marked on the fiscal periods they fell in (filters apply).
controls = apply_to_events(t["events"], f)
controls = controls[(controls["lever"] == "chips") & (controls["category"] == "export_control")]

# 1. Nvidia by fiscal year.
st.subheader("Nvidia revenue and its China share, FY2020 on")
layout.filtered_line(f, actor_names, "event markers and claims")
annual = metrics.nvidia_annual(t["revenue"])
annual_marks = metrics.events_in_periods(controls, annual.set_index("fiscal_period")["period_end"], months=12)
st.plotly_chart(charts.revenue_annual_figure(annual, annual_marks), key="rv_annual", config={"displaylogo": False})
st.caption("Triangles: chip export-control events in that fiscal year (hover for the list).")
years = t["revenue"][(t["revenue"]["period_type"] == "year")]
sources.caption(
    t["sources"],
    metrics.sources_of(years),
    "Revenue is assigned by customer billing location, which can differ from where chips ship "
    "(Singapore billed 18% of FY2025 revenue but took under 2% of shipments). FY2026 China: not found "
    "in the filings read, so left unverified (hatched).",
)

# 2. FY2026 quarters.
st.subheader("FY2026 by quarter")
quarters = metrics.nvidia_quarters(t["revenue"])
ends = quarters.drop_duplicates("fiscal_period").set_index("fiscal_period")["period_end"]
quarter_marks = metrics.events_in_periods(controls, ends, months=3)
st.plotly_chart(
    charts.revenue_quarters_figure(quarters, quarter_marks), key="rv_quarters", config={"displaylogo": False}
)
unverified = quarters[(quarters["status"] == "unverified")]
notes = "; ".join(f"{r.fiscal_period} China: {r.note}" for r in unverified.itertuples())
sources.caption(t["sources"], metrics.sources_of(quarters), notes)

# 3. Claims.
st.subheader("Claims: charges, lost sales and market size")
claims = apply_to_claims(t["claims"], f)
usd = claims[claims["unit"] == "usd_m"]
if usd.empty:
    layout.empty_state("claims")
else:
    st.altair_chart(charts.claims_chart(claims), key="rv_claims")
    sources.caption(
        t["sources"],
        metrics.sources_of(usd),
        "Filed figures (8-K, releases) and spoken ones (interviews, calls) side by side: the $15B is Jensen "
        "Huang's interview estimate, the $4.5B the booked charge.",
    )
    shown = claims[
        ["date", "speaker", "topic", "value", "value_low", "value_high", "unit", "qualifier", "kind", "quote"]
    ]
    st.dataframe(shown, hide_index=True, key="rv_claims_table")
    layout.download(claims, "claims_filtered", "Download these claims (CSV)", "rv_dl")

fees = claims[claims["unit"] == "pct"]
if len(fees):
    st.markdown("**Fees on licensed China sales, paid to the US government**")
    for row in fees.itertuples():
        st.markdown(f"- **{row.value:g}%**, {md_escape(row.date)}, {md_escape(row.speaker)}: {md_escape(row.quote)}")
    sources.caption(t["sources"], metrics.sources_of(fees))

amd = claims[claims["actor"] == "amd"]
if len(amd):
    st.markdown("**AMD**")
    cols = st.columns(len(amd))
    for col, row in zip(cols, amd.itertuples(), strict=True):
        with col, st.container(border=True):
            label = row.topic.replace("_", " ")
            st.metric(f"{label} ({row.date})", usd_m(row.value), row.kind.replace("_", " "), delta_color="off")
            st.caption(md_escape(row.quote))
    sources.caption(t["sources"], metrics.sources_of(amd), "Conflict: one outlet gives a $600-800M range.")
