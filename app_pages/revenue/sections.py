"""The Revenue page's Scenario section (Streamlit: its widgets and st.* calls; what it shows is built in
model.py and chipsmag/scenario.py), drawn by page.py when the reader picks it."""

import streamlit as st

from app_pages.revenue import model, text
from chipsmag import grading, scenario
from chipsmag.text import md_escape
from components import data, layout, share, sources
from components.frame import Frame, bound


def _apply_preset() -> None:
    chosen = scenario.PRESETS[st.session_state["preset"]]
    for i in scenario.INPUTS:
        st.session_state[i.key] = getattr(chosen, i.name)


def draw_scenario(frame: Frame) -> None:
    st.subheader("Scenario: what is at risk under this regime, this fee, this uptake?")
    st.caption(text.SCENARIO_INTRO)
    if frame.filters.asof is not None:
        later = data.scenario_unknown(frame.filters.asof)
        labels = [i.label for i in scenario.INPUTS if i.name in later]
        note = text.asof_note(frame.filters.asof, labels)
        if labels:
            st.warning(note, icon=":material/history:")
        else:
            st.caption(note)
    presets, first = list(scenario.PRESETS), scenario.DEFAULT_PRESET
    chosen = {"index": presets.index(first), "on_change": _apply_preset}
    preset = bound(st.selectbox, frame.param("preset"), presets, url_default=first, label="Preset", **chosen)
    st.caption(md_escape(scenario.PRESET_NOTES[preset]))
    base, values, columns = scenario.PRESETS[preset], {}, st.columns(2)
    for n, i in enumerate(scenario.SLIDERS):  # the numbers, in two columns
        (lo, hi, step), at = i.limits, float(getattr(base, i.name))
        limits = {"min_value": lo, "max_value": hi, "step": step, "format": i.format, "help": i.note}
        values[i.name] = bound(
            columns[n % 2].slider, frame.param(i.key), url_default=at, value=at, label=i.widget_label, **limits
        )
    for i in (i for i in scenario.INPUTS if not i.limits):  # the licence start: one of the quarters
        at, quarters = getattr(base, i.name), list(scenario.QUARTERS)
        values[i.name] = bound(
            st.select_slider,
            frame.param(i.key),
            url_default=at,
            options=quarters,
            value=at,
            label=i.widget_label,
            help=i.note,
        )
    assumptions = scenario.Assumptions(**values)
    m = model.build(frame.ds, frame.filters, model.SCENARIO, preset=preset, assumptions=assumptions).scenario
    if m.changed:
        st.caption(m.changed)
    for col, (label, value) in zip(st.columns(4), m.headline, strict=True):
        share.metric(label, value, where=col)
    share.chart(frame, m.range_chart, "rv_scenario", m.band_sources)
    if m.band_problem and frame.filters.strong:  # band claims left the view with the secondary-only facts
        st.info(grading.HIDDEN_NOTE)
    elif m.band_problem:
        st.error(md_escape(m.band_problem), icon=":material/error:")
    sources.caption(frame.ds, m.band_sources, text.RANGE_NOTE)
    share.chart(frame, m.tornado_chart, "rv_tornado", m.band_sources)
    st.markdown("**Back-test: the path above against what happened**")
    st.dataframe(m.backtest, hide_index=True, key="rv_backtest")
    st.caption(md_escape(m.backtest_note))
    with st.expander("Quarter by quarter and by year", icon=":material/table:"):
        st.dataframe(m.quarters.round(3), hide_index=True, key="rv_scn_quarters")
        st.dataframe(m.years.round(3), hide_index=True, key="rv_scn_years")
        layout.download(m.quarters.round(4), "scenario_quarters", "Download this scenario (CSV)", "rv_scn_dl")
    with st.expander("The formula", icon=":material/function:"):
        st.code(text.FORMULA, language=None)
