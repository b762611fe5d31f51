"""Revenue at risk, pure: what each section of the page shows, from the data, the filters and the scenario's
inputs (no Streamlit). Only the section the reader picks is built."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from app_pages.revenue import charts, claims_chart, scenario_charts, text
from chipsmag import content, grading, metrics, scenario
from chipsmag.chartbase import row_tuples
from chipsmag.filters import Filters, apply_to_claims, apply_to_events, with_plot_dates
from chipsmag.loading import Dataset
from chipsmag.scenario import Assumptions
from chipsmag.text import md_escape, usd_m
from chipsmag.urlstate import Param

SECTIONS = ("History", "Claims", "Scenario")
HISTORY, CLAIMS, SCENARIO = SECTIONS  # the first is the default
UNVERIFIED_NAMES = {"total": "total", "data_center": "Data Center", "china_incl_hk": "China"}  # in the note


def params(ds: Dataset, today: dt.date) -> tuple[Param, ...]:
    """The page's link parameters: the section, the scenario's preset and one per scenario input."""
    del ds, today  # the sections, presets and inputs are fixed code
    return (
        Param("show", "Section", "one", SECTIONS, page="revenue", ids=tuple(s.lower() for s in SECTIONS)),
        Param("preset", "Scenario preset", "one", tuple(scenario.PRESETS), page="revenue", ids=scenario.PRESET_IDS),
        *(Param(i.key, i.label, "number", page="revenue", limits=i.limits[:2]) for i in scenario.SLIDERS),
        *(Param(i.key, i.label, "one", scenario.QUARTERS, page="revenue") for i in scenario.INPUTS if not i.limits),
    )


@dataclass(frozen=True)
class History:
    annual_chart: dict  # Nvidia by fiscal year, chip export-control events marked
    annual_sources: list[str]
    quarters_chart: dict
    quarters_sources: list[str]
    unverified: str  # the quarters' values not drawn, and why


@dataclass(frozen=True)
class Card:
    """One figure in a bordered card: st.metric's label, value and delta, and a caption (markdown)."""

    label: str
    value: str
    delta: str
    caption: str
    strength: str = ""  # the source-strength badge of the figure (chipsmag.grading)


@dataclass(frozen=True)
class Claims:
    claims: pd.DataFrame  # every claim the filters leave (the download)
    chart: dict | None  # the USD claims' chart; None when the filters leave none
    usd_sources: list[str]
    table: pd.DataFrame  # the claims' table as shown
    fee_lines: list[str]  # fees on licensed China sales (percent claims), one markdown line each
    fee_sources: list[str]
    amd_cards: list[Card]  # AMD's claims, one card each
    amd_sources: list[str]


@dataclass(frozen=True)
class Scenario:
    preset: str
    assumptions: Assumptions
    changed: str  # the inputs moved from the preset, in words (markdown; "" when none)
    quarters: pd.DataFrame  # quarter-by-quarter outputs, USD billions
    years: pd.DataFrame
    totals: dict[str, float]  # over the horizon: serviceable, net, at_risk, fee
    headline: list[tuple[str, str]]  # the figures over the charts: (label, value)
    range_chart: dict
    tornado_chart: dict
    backtest: pd.DataFrame  # the back-test as shown
    backtest_note: str  # under it: the quarters in and out of sample, the total China revenue it is not
    band_sources: list[str]  # the sources of the claims behind the bands (content/quoted.toml)
    band_problem: str  # what is wrong with that entry of content/quoted.toml ("" when nothing)


@dataclass(frozen=True)
class RevenueModel:
    show: str
    history: History | None = None
    claims: Claims | None = None
    scenario: Scenario | None = None


def build(
    ds: Dataset,
    filters: Filters,
    show: str = HISTORY,
    *,
    preset: str = scenario.DEFAULT_PRESET,
    assumptions: Assumptions | None = None,
    events: pd.DataFrame | None = None,
    annual: pd.DataFrame | None = None,
    quarters: pd.DataFrame | None = None,
) -> RevenueModel:
    """The section ``show`` of the page. ``events`` (with plot dates), ``annual`` and ``quarters``
    (Nvidia's series) are derived from ``ds`` where not given (the app passes its cached copies)."""
    if show == CLAIMS:
        return RevenueModel(show, claims=_claims(ds, filters))
    if show == SCENARIO:
        return RevenueModel(show, scenario=_scenario(ds, preset, assumptions or scenario.PRESETS[preset]))
    t = ds.tables
    events = with_plot_dates(t["events"]) if events is None else events
    annual = metrics.nvidia_annual(t["revenue"]) if annual is None else annual
    quarters = metrics.nvidia_quarters(t["revenue"]) if quarters is None else quarters
    return RevenueModel(HISTORY, history=_history(t["revenue"], events, filters, annual, quarters))


def chip_controls(events: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The chip-lever export controls the filters leave: the events marked on Nvidia's periods."""
    shown = apply_to_events(events, filters)
    return shown[(shown["lever"] == "chips") & (shown["category"] == "export_control")]


def _history(
    revenue: pd.DataFrame, events: pd.DataFrame, filters: Filters, annual: pd.DataFrame, quarters: pd.DataFrame
) -> History:
    controls = chip_controls(events, filters)
    annual_marks = metrics.events_in_periods(controls, annual.set_index("fiscal_period")["period_end"], months=12)
    ends = quarters.drop_duplicates("fiscal_period").set_index("fiscal_period")["period_end"]
    in_view = list(metrics.events_in_periods(controls, ends, months=3).values())  # the quarters' events
    unverified = quarters[quarters["status"] == "unverified"]
    return History(
        annual_chart=charts.revenue_annual_chart(annual, annual_marks),
        annual_sources=metrics.sources_of(revenue[revenue["period_type"] == "year"]),
        quarters_chart=charts.revenue_quarters_chart(quarters, pd.concat(in_view) if in_view else None),
        quarters_sources=metrics.sources_of(quarters),
        unverified="Unverified (not drawn): "
        + "; ".join(
            f"{r.fiscal_period} {UNVERIFIED_NAMES.get(r.metric, r.metric)}: {r.note}" for r in unverified.itertuples()
        ),
    )


def _claims(ds: Dataset, filters: Filters) -> Claims:
    claims = apply_to_claims(ds.tables["claims"], filters)
    usd = claims[claims["unit"] == "usd_m"]
    fees = claims[claims["unit"] == "pct"]
    amd = claims[claims["actor"] == "amd"]
    columns = ["date", "speaker", "topic", "value", "value_low", "value_high", "unit", "qualifier", "kind", "quote"]
    graded = grading.grade_rows(claims, ds.tables["sources"]) if "sources" in ds.tables else None
    strength = (
        [grading.badge(g, n) for g, n in zip(graded["grade"], graded["publishers"], strict=True)]
        if graded is not None
        else ""
    )
    return Claims(
        claims=claims,
        chart=claims_chart.claims_chart(claims) if len(usd) else None,
        usd_sources=metrics.sources_of(usd),
        table=claims[columns].assign(**{"source strength": strength}),
        fee_lines=[
            f"- **{value:g}%**, {md_escape(date)}, {md_escape(speaker)}: {md_escape(quote)}"
            for value, date, speaker, quote in row_tuples(fees, "value", "date", "speaker", "quote")
        ],
        fee_sources=metrics.sources_of(fees),
        amd_cards=[
            Card(f"{topic.replace('_', ' ')} ({date})", usd_m(value), kind.replace("_", " "), md_escape(quote), badge)
            for topic, date, value, kind, quote, badge in zip(
                *(amd[c].tolist() for c in ("topic", "date", "value", "kind", "quote")),
                grading.strength_of(amd),
                strict=True,
            )
        ],
        amd_sources=metrics.sources_of(amd),
    )


def _band_claims(ds: Dataset) -> tuple[list[str], str]:
    """The sources of the claims behind the scenario's bands, and what is wrong with their entry in
    content/quoted.toml ("" when every id is in the data)."""
    try:
        q = content.quoted("revenue", "scenario_bands")
    except content.ContentError as exc:
        return [], f"content/{exc}"
    table = ds.tables.get(q.table)
    missing = content.missing(ds.tables, q)
    rows = table[table["id"].isin(q.ids)] if table is not None else pd.DataFrame({"source_ids": []})
    problem = f"content/quoted.toml, [revenue] scenario_bands: {', '.join(missing)} not in {q.table}" if missing else ""
    return metrics.sources_of(rows), problem


def _scenario(ds: Dataset, preset: str, a: Assumptions) -> Scenario:
    base = scenario.PRESETS[preset]
    out = scenario.run(a)
    rng = scenario.scenario_range(a)
    bt = scenario.backtest(a, ds.tables["claims"])
    sources, problem = _band_claims(ds)
    changed = [i.label.lower() for i in scenario.INPUTS if getattr(a, i.name) != getattr(base, i.name)]
    totals = {k: float(out[k].sum()) for k in ("serviceable", "net", "at_risk", "fee")}
    return Scenario(
        preset=preset,
        assumptions=a,
        changed=f"Preset '{md_escape(preset)}', changed: {md_escape(', '.join(changed))}." if changed else "",
        quarters=out,
        years=scenario.by_year(out),
        totals=totals,
        headline=[
            ("Serviceable demand, 8 quarters", f"${totals['serviceable']:,.1f}B"),
            ("Expected net revenue", f"${totals['net']:,.1f}B"),
            ("Revenue at risk", f"${totals['at_risk']:,.1f}B"),
            ("Fees paid to the US", f"${totals['fee']:,.2f}B"),
        ],
        range_chart=scenario_charts.range_chart(rng, bt),
        tornado_chart=scenario_charts.tornado_chart(scenario.tornado(a)),
        backtest=bt.assign(
            model=bt["model_usd_b"].map(lambda v: f"${v:,.2f}B"),
            actual=bt["actual_usd_b"].map(lambda v: "n/a" if pd.isna(v) else f"${v:,.2f}B"),
            gap=bt["gap_usd_b"].map(lambda v: "n/a" if pd.isna(v) else f"{v:+,.2f}B"),
        )[["quarter", "sample", "model", "actual", "gap", "reference", "note"]],
        backtest_note=_backtest_note(ds),
        band_sources=sources,
        band_problem=problem,
    )


def _backtest_note(ds: Dataset) -> str:
    """The back-test's note, with Nvidia's total China revenue in the quarter the uptake is calibrated on
    (the last in-sample quarter) where the revenue table reports it."""
    inside = [q for q, *_, in_sample in scenario.BACKTEST if in_sample]
    outside = [q for q, *_, in_sample in scenario.BACKTEST if not in_sample]
    total = _china_total(ds, inside[-1]) if inside else None
    return text.backtest_note(inside, outside, (inside[-1], total) if total else None)


def _china_total(ds: Dataset, quarter: str) -> str | None:
    """Nvidia's China revenue (with Hong Kong) in ``quarter`` as reported, in words ($2.8B); None if absent."""
    rev = ds.tables.get("revenue")
    if rev is None:
        return None
    row = rev[
        (rev["company"] == "nvidia")
        & (rev["fiscal_period"] == quarter)
        & (rev["metric"] == "china_incl_hk")
        & (rev["status"] == "reported")
        & rev["value_usd_m"].notna()
    ]
    return f"${row['value_usd_m'].iloc[0] / 1000:,.1f}B" if len(row) else None
