"""Revenue at risk: Nvidia's China revenue, its recent quarters, and who claimed what."""

import streamlit as st

from app_pages.revenue import charts
from chipsmag import metrics, scenario
from chipsmag.filters import apply_to_claims, apply_to_events
from chipsmag.text import md_escape, usd_m
from components import data, fixed, layout, sources, urlbind
from components.data import dated_events, require
from components.frame import Frame
from components.registry import SCENARIO_KEYS, param


def render(frame: Frame) -> None:
    ds = frame.ds
    st.title("Revenue at risk")
    if not require(ds, "revenue", "claims", "sources", "actors", "events"):
        st.stop()
    t = ds.tables
    actor_names = data.actor_names(ds)
    f = frame.filters

    SECTIONS = ("History", "Claims", "Scenario")
    SLIDERS = {  # input: (label, format)
        "market_usd_b": ("China AI-chip market (USD billions a year)", "$%.0fB"),
        "serviceable_pct": ("Share export-compliant parts can serve (%)", "%.1f%%"),
        "licence_pct": ("Licence probability (%)", "%.0f%%"),
        "fee_pct": ("Fee paid to the US government (%)", "%.0f%%"),
        "uptake_pct": ("Uptake when Beijing discourages purchases (%)", "%.1f%%"),
        "substitution_pct": ("Substitution by domestic chips (% a year)", "%.0f%%"),
    }

    def _apply_preset() -> None:
        chosen = scenario.PRESETS[st.session_state["preset"]]
        for name, key in SCENARIO_KEYS.items():
            st.session_state[key] = getattr(chosen, name)

    def history() -> None:
        # Chip-lever export controls, marked on the fiscal periods they fell in (filters apply).
        controls = apply_to_events(dated_events(ds), f)
        controls = controls[(controls["lever"] == "chips") & (controls["category"] == "export_control")]

        # 1. Nvidia by fiscal year.
        st.subheader("Nvidia revenue and its China share, FY2020 on")
        layout.filtered_line(f, actor_names, "the event markers")
        annual = fixed.nvidia_annual(ds)
        annual_marks = metrics.events_in_periods(controls, annual.set_index("fiscal_period")["period_end"], months=12)
        st.vega_lite_chart(charts.revenue_annual_chart(annual, annual_marks), key="rv_annual")
        st.caption("Triangles: chip export-control events in that fiscal year (hover for the list).")
        years = t["revenue"][(t["revenue"]["period_type"] == "year")]
        sources.caption(
            ds,
            metrics.sources_of(years),
            "Revenue is assigned by customer billing location, which can differ from where chips ship "
            "(Singapore billed 18% of FY2025 revenue but took under 2% of shipments). FY2026 China: not found "
            "in the filings read, so left unverified (the light grey total).",
        )

        # 2. Quarters.
        st.subheader("By quarter")
        quarters = fixed.nvidia_quarters(ds)
        ends = quarters.drop_duplicates("fiscal_period").set_index("fiscal_period")["period_end"]
        quarter_marks = metrics.events_in_periods(controls, ends, months=3)
        st.vega_lite_chart(charts.revenue_quarters_chart(quarters, quarter_marks), key="rv_quarters")
        unverified = quarters[(quarters["status"] == "unverified")]
        labels = {"total": "total", "data_center": "Data Center", "china_incl_hk": "China"}
        notes = "Unverified (not drawn): " + "; ".join(
            f"{r.fiscal_period} {labels.get(r.metric, r.metric)}: {r.note}" for r in unverified.itertuples()
        )
        sources.caption(ds, metrics.sources_of(quarters), notes)

    def claims_section() -> None:
        # 3. Claims.
        st.subheader("Claims: charges, lost sales and market size")
        layout.filtered_line(f, actor_names, "claims")
        claims = apply_to_claims(t["claims"], f)
        usd = claims[claims["unit"] == "usd_m"]
        if usd.empty:
            layout.empty_state("claims")
        else:
            st.altair_chart(charts.claims_chart(claims), key="rv_claims")
            sources.caption(
                ds,
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
                st.markdown(
                    f"- **{row.value:g}%**, {md_escape(row.date)}, {md_escape(row.speaker)}: {md_escape(row.quote)}"
                )
            sources.caption(ds, metrics.sources_of(fees))

        amd = claims[claims["actor"] == "amd"]
        if len(amd):
            st.markdown("**AMD**")
            cols = st.columns(len(amd))
            for col, row in zip(cols, amd.itertuples(), strict=True):
                with col, st.container(border=True):
                    label = row.topic.replace("_", " ")
                    st.metric(
                        f"{label} ({row.date})",
                        usd_m(row.value),
                        row.kind.replace("_", " "),
                        delta_color="off",
                        delta_arrow="off",
                    )
                    st.caption(md_escape(row.quote))
            sources.caption(ds, metrics.sources_of(amd), "Conflict: one outlet gives a $600-800M range.")

    def scenario_section() -> None:
        st.subheader("Scenario: what is at risk under this regime, this fee, this uptake?")
        st.caption(
            "A model of Nvidia's China data-center revenue by quarter. Every default comes from a sourced figure "
            "(see each slider's help). The model covers Nvidia only: the data hold no sourced baseline for AMD's China "
            "data-center sales. Every assumption and the preset are in the link."
        )

        preset = st.selectbox(
            "Preset",
            list(scenario.PRESETS),
            index=list(scenario.PRESETS).index(scenario.DEFAULT_PRESET),
            key="preset",
            bind="query-params",
            on_change=_apply_preset,
        )
        urlbind.register(param(ds, "preset"), preset, scenario.DEFAULT_PRESET)
        st.caption(md_escape(scenario.PRESET_NOTES[preset]))
        base = scenario.PRESETS[preset]

        values = {}
        left, right = st.columns(2)
        for i, (name, (label, fmt)) in enumerate(SLIDERS.items()):
            lo, hi, step = scenario.LIMITS[name]
            key = SCENARIO_KEYS[name]
            values[name] = (left if i % 2 == 0 else right).slider(
                label,
                min_value=lo,
                max_value=hi,
                value=float(getattr(base, name)),
                step=step,
                format=fmt,
                key=key,
                bind="query-params",
                help=scenario.DEFAULT_NOTES[name],
            )
            urlbind.register(param(ds, key), values[name], float(getattr(base, name)))
        values["licence_start"] = st.select_slider(
            "Licence start (first quarter licensed sales can ship)",
            options=list(scenario.QUARTERS),
            value=base.licence_start,
            key="s_start",
            bind="query-params",
            help=scenario.DEFAULT_NOTES["licence_start"],
        )
        urlbind.register(param(ds, "s_start"), values["licence_start"], base.licence_start)
        assumptions = scenario.Assumptions(**values)
        changed = [scenario.LABELS[n].lower() for n in SCENARIO_KEYS if getattr(assumptions, n) != getattr(base, n)]
        if changed:
            st.caption(f"Preset '{md_escape(preset)}', changed: {md_escape(', '.join(changed))}.")

        quarters_out = scenario.run(assumptions)
        rng = scenario.scenario_range(assumptions)
        bt = scenario.backtest(assumptions, t["claims"])
        m1, m2, m3, m4 = st.columns(4)
        m1.metric("Serviceable demand, 8 quarters", f"${quarters_out['serviceable'].sum():,.1f}B")
        m2.metric("Expected net revenue", f"${quarters_out['net'].sum():,.1f}B")
        m3.metric("Revenue at risk", f"${quarters_out['at_risk'].sum():,.1f}B")
        m4.metric("Fees paid to the US", f"${quarters_out['fee'].sum():,.2f}B")
        st.plotly_chart(charts.scenario_figure(rng, bt), key="rv_scenario", config={"displaylogo": False})
        sources.caption(
            ds,
            metrics.sources_of(
                t["claims"][t["claims"]["id"].isin(["C04", "C07", "C09", "C11", "C12", "C14", "C18", "C19"])]
            ),
            "Range: every uncertain input at the pessimistic, then the optimistic, end of its band (see the tornado).",
        )
        st.plotly_chart(
            charts.tornado_figure(scenario.tornado(assumptions)), key="rv_tornado", config={"displaylogo": False}
        )

        st.markdown("**Back-test: the path above against what happened**")
        shown_bt = bt.assign(
            model=bt["model_usd_b"].map(lambda v: f"${v:,.2f}B"),
            actual=bt["actual_usd_b"].map(lambda v: f"${v:,.2f}B"),
            gap=bt["gap_usd_b"].map(lambda v: f"{v:+,.2f}B"),
        )[["quarter", "sample", "model", "actual", "gap", "reference", "note"]]
        st.dataframe(shown_bt, hide_index=True, key="rv_backtest")
        st.caption(
            "Model: H20- and H200-class sales to China before the fee. In-sample: Q1 FY2026 (the serviceable share is "
            "computed from its demand) and Q3 FY2026 (the default uptake is calibrated on it). Out-of-sample: Q2 and "
            "Q4 FY2026 and Q1 FY2027. Nvidia's total China revenue in Q3 FY2026 was $2.8B, mostly other products, so it "
            "is not the comparison. Later quarters have no confirmed China figure in the data."
        )
        with st.expander("Quarter by quarter and by year", icon=":material/table:"):
            st.dataframe(quarters_out.round(3), hide_index=True, key="rv_scn_quarters")
            st.dataframe(scenario.by_year(quarters_out).round(3), hide_index=True, key="rv_scn_years")
            layout.download(quarters_out.round(4), "scenario_quarters", "Download this scenario (CSV)", "rv_scn_dl")
        with st.expander("The formula", icon=":material/function:"):
            st.code(
                "serviceable_q = market / 4 × share × (1 − substitution)^(q / 4)\n"
                "free_q        = serviceable_q × unrestricted fraction (0.8 in Q1 FY2026: the rule came on 2025-04-09)\n"
                "licensed_q    = (serviceable_q − free_q) × licence probability, from the licence start\n"
                "sold_q        = licensed_q × uptake (uptake applies from Q3 FY2026, when Beijing discouraged H20)\n"
                "net_q         = free_q + sold_q × (1 − fee)\n"
                "at risk_q     = serviceable_q − net_q",
                language=None,
            )

    # Only the section the reader picks is computed and sent.
    show = st.segmented_control(
        "Show",
        SECTIONS,
        default="History",
        key="show",
        bind="query-params",
        help="History: revenue by year and quarter. Claims: who said what about losses and markets. "
        "Scenario: a model of revenue at risk you can move and share.",
    )
    show = show or "History"
    urlbind.register(param(ds, "show"), show, "History")
    {"History": history, "Claims": claims_section, "Scenario": scenario_section}[show]()
