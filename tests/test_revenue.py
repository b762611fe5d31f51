"""Revenue at risk: the page's model and charts on the frozen 2025 record (milliseconds each), their
labels drawn whole and apart on a phone, and a few runs of the real app for what only it shows (the
preset moving the sliders, the scenario in the link, the link's notices, an in-page error)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import altair as alt
import jsonschema
import pandas as pd
import pytest
import vl_convert as vlc

from app_pages.revenue import charts, claims_chart, model, scenario_charts
from chipsmag import chartbase, content, metrics, scenario
from chipsmag.filters import Filters, with_plot_dates
from support.apptest import frame_with, open_page, share_link, texts, unescape, vega_specs

EVERYTHING = Filters(dt.date(2018, 1, 1), dt.date(2027, 12, 31))
PHONE, DESKTOP = 390 - 32, 1400 - 60  # the charts' width in a phone's and a desktop's column


@pytest.fixture(scope="module")
def history(record):
    return model.build(record, EVERYTHING, "History").history


@pytest.fixture(scope="module")
def scenario_view(record):
    return model.build(record, EVERYTHING, "Scenario").scenario


# The link's parameters.


def test_params_are_the_section_the_preset_and_one_per_scenario_input(record):
    params = model.params(record, dt.date(2026, 1, 1))
    assert [(p.key, p.label, p.kind) for p in params] == [
        ("show", "Section", "one"),
        ("preset", "Scenario preset", "one"),
        ("s_market", "China market size", "number"),
        ("s_share", "Share export-compliant parts can serve", "number"),
        ("s_licence", "Licence probability", "number"),
        ("s_fee", "Fee to the US government", "number"),
        ("s_uptake", "Uptake when Beijing discourages", "number"),
        ("s_subst", "Substitution by domestic chips", "number"),
        ("s_start", "Licence start", "one"),
    ]
    by_key = {p.key: p for p in params}
    assert by_key["show"].options == ("History", "Claims", "Scenario")
    assert by_key["preset"].options == tuple(scenario.PRESETS)
    assert by_key["s_start"].options == scenario.QUARTERS
    limits = {"s_market": (0, 150), "s_share": (0, 100), "s_licence": (0, 100), "s_fee": (0, 50)}
    limits |= {"s_uptake": (0, 100), "s_subst": (0, 50)}
    assert {k: by_key[k].limits for k in limits} == limits
    assert all(p.page == "revenue" for p in params)


def test_the_page_declares_its_params_once_and_the_registry_collects_them(record):
    from app_pages import page_params

    on = dt.date(2026, 1, 1)
    declared = tuple(p for p in page_params(record, on) if p.page == "revenue")
    assert model.params(record, on) == declared and all(p.page == "revenue" for p in model.params(record, on))


# History.


def test_nvidia_annual_series(record):
    annual = metrics.nvidia_annual(record.tables["revenue"]).set_index("fiscal_period")
    assert list(annual.index) == ["FY2020", "FY2021", "FY2022", "FY2023", "FY2024", "FY2025", "FY2026"]
    assert annual.at["FY2025", "china_share_pct"] == 13.1
    assert pd.isna(annual.at["FY2026", "china"]) and annual.at["FY2026", "china_status"] == "unverified"


def test_revenue_annual_spec_flags_unverified(record):
    annual = metrics.nvidia_annual(record.tables["revenue"])
    spec = charts.revenue_annual_chart(annual)
    bars = {(r["fiscal_period"], r["series"]): r["usd_b"] for r in spec["data"]["values"]}
    assert round(bars[("FY2025", "China incl. Hong Kong")], 3) == 17.108
    assert ("FY2026", "China incl. Hong Kong") not in bars  # unverified: not drawn as a value
    assert round(bars[("FY2026", "Total (China unverified)")], 3) == round(annual["total"].iloc[-1] / 1000, 3)
    notes = [layer for layer in spec["layer"][0]["layer"] if layer.get("mark", {}).get("type") == "text"]
    assert notes[0]["encoding"]["text"]["value"] == "China:\nunverified"
    assert [r["fiscal_period"] for r in notes[0]["data"]["values"]] == ["FY2026"]


def test_events_fall_in_the_fiscal_period_that_contains_them(record):
    events = with_plot_dates(record.tables["events"])
    controls = model.chip_controls(events, EVERYTHING)
    quarters = metrics.nvidia_quarters(record.tables["revenue"]).drop_duplicates("fiscal_period")
    marks = metrics.events_in_periods(controls, quarters.set_index("fiscal_period")["period_end"], months=3)
    assert list(marks["Q1 FY2026"]["id"]) == ["E28"]  # 2025-04-09, quarter ended 2025-04-27
    assert list(marks["Q4 FY2026"]["id"]) == ["E58", "E59"]
    annual = metrics.nvidia_annual(record.tables["revenue"]).set_index("fiscal_period")["period_end"]
    years = metrics.events_in_periods(controls, annual, months=12)
    assert list(years["FY2023"]["id"]) == ["E06", "E07"] and "FY2022" not in years


def _event_layer(spec: dict) -> dict:
    return next(layer for layer in spec["layer"] if "layer" in layer and layer["layer"][-1]["mark"]["type"] == "text")


def test_the_quarters_chart_names_the_quarters_events_on_their_days(record, history):
    """The chip export controls of the quarters in view, drawn and named by the shared event marks
    on a time axis (as the magnet-exports and tariff charts draw theirs), on the days they fell."""
    events = with_plot_dates(record.tables["events"])
    controls = model.chip_controls(events, EVERYTHING)
    spans = charts.quarter_spans(metrics.nvidia_quarters(record.tables["revenue"]))
    inside = controls[(controls["plot_date"] >= spans["start"].min()) & (controls["plot_date"] <= spans["end"].max())]
    spec = history.quarters_chart
    marks = _event_layer(spec)
    rows = marks["data"]["values"]
    assert [r["id"] for r in rows] == list(inside["id"])
    assert [r["id"] for r in rows] == ["E28", "E33", "E37", "E42", "E44", "E46", "E48", "E51", "E58", "E59"]
    assert rows[0]["day"] == "2025-04-09" and rows[-1]["day"] == "2025-12-08"  # on their days, not their quarters
    x = spec["layer"][0]["encoding"]["x"]
    assert x["type"] == "temporal"
    assert marks == chartbase.event_marks(inside, x, chartbase.CATEGORY_COLORS["export_control"])
    # The quarters are named on the axis, and each bar lies inside its quarter.
    assert "Q1" in x["axis"]["labelExpr"] and len(x["axis"]["values"]) == len(spans)
    for bar in spec["data"]["values"]:
        start, end = spans.loc[bar["fiscal_period"]]
        assert start <= pd.Timestamp(bar["x0"]) < pd.Timestamp(bar["x1"]) <= end


def test_a_filter_that_leaves_no_chip_control_draws_the_quarters_without_marks(record):
    magnets_only = dataclasses.replace(EVERYTHING, levers=("magnets",))
    spec = model.build(record, magnets_only, "History").history.quarters_chart
    assert len(spec["layer"]) == 2  # the bars and their labels
    assert {r["series"] for r in spec["data"]["values"]} == {"Total", "Data Center", "China incl. Hong Kong"}


def test_unverified_quarters_are_labelled_never_drawn(history):
    bars = history.quarters_chart["data"]["values"]
    unverified = [b for b in bars if b["status"] == "unverified"]
    assert unverified and all(b["usd_b"] is None for b in unverified)
    assert {b["label"] for b in unverified} <= {"unverified", "all unverified", ""}
    assert history.unverified.startswith("Unverified (not drawn): ")


def test_long_titles_are_broken_into_lines_for_phones(history, scenario_view):
    assert history.annual_chart["title"] == {
        "text": ["Nvidia revenue by fiscal year,", "China (incl. Hong Kong) by billing location"]
    }
    assert history.quarters_chart["title"]["text"] == [
        "Nvidia by quarter,",
        "Q1 FY2026 to Q4 FY2026: total,",
        "Data Center and China",
    ]
    assert scenario_view.range_chart["title"]["text"] == [
        "Nvidia China data-center revenue by",  # 'by quarter:' as well was cut short on a phone
        "quarter: scenario range and actuals",
    ]
    assert scenario_view.tornado_chart["title"]["text"] == [
        "Sensitivity:",
        "total net revenue over 8 quarters",  # with its unit it was cut short on a phone
        "(USD billions)",
    ]


# Claims.


def test_claims_chart_spec(record):
    spec = claims_chart.claims_chart(record.tables["claims"])
    rows = spec["data"]["values"]
    assert len(rows) == (record.tables["claims"]["unit"] == "usd_m").sum()
    fifteen = [r for r in rows if "lost sales" in r["label"]]
    assert fifteen[0]["billions"] == 15 and fifteen[0]["kind_label"] == "interview" and fifteen[0]["figure"] == "$15B"
    ranged = next(r for r in rows if r["low"] != r["high"])  # a claim of a range: drawn and labelled as one
    assert ranged["figure"] == f"${ranged['low']:g}-{ranged['high']:g}B"
    assert spec["layer"][0]["encoding"]["color"]["title"] == "Kind of document"


def test_every_claim_is_labelled_and_its_row_holds_its_label(record):
    claims = record.tables["claims"].copy()
    long = claims.index[claims["unit"] == "usd_m"][0]
    claims.loc[long, "speaker"] = "Jensen Huang (as reported by a long-named outlet and its wire)"  # more lines
    steps = []
    for table in (record.tables["claims"], claims):
        spec = claims_chart.claims_chart(table)
        lines = max(r["label"].count("\n") + 1 for r in spec["data"]["values"])
        for layer in spec["layer"]:
            # Vega drops crowded labels of a band axis by default: every other claim went unnamed.
            assert layer["encoding"]["y"]["axis"]["labelOverlap"] is False
        assert spec["height"]["step"] == charts.LINE_PX * lines + charts.ROW_GAP_PX
        steps.append(spec["height"]["step"])
    assert steps[1] > steps[0]  # the longer label's row is taller


def test_claims_follow_the_actor_filter(record):
    m = model.build(record, dataclasses.replace(EVERYTHING, actors=("amd",)), "Claims").claims
    assert set(m.table["speaker"]) == {"AMD"} and len(m.table) == 3
    assert len(m.amd_cards) == 3 and all(c.label.endswith(")") for c in m.amd_cards)
    nobody = model.build(record, dataclasses.replace(EVERYTHING, actors=("cn_mofcom",)), "Claims").claims
    assert nobody.chart is None and nobody.table.empty


def test_only_the_section_shown_is_built(record):
    for show in model.SECTIONS:
        m = model.build(record, EVERYTHING, show)
        assert [m.history is not None, m.claims is not None, m.scenario is not None] == [
            s == show for s in model.SECTIONS
        ]


# Scenario.


def test_scenario_defaults_and_back_test(scenario_view):
    assert scenario_view.headline == [
        ("Serviceable demand, 8 quarters", "$56.8B"),
        ("Expected net revenue", "$5.9B"),
        ("Revenue at risk", "$50.9B"),
        ("Fees paid to the US", "$0.04B"),
    ]
    bt = scenario_view.backtest
    assert list(bt["quarter"]) == ["Q1 FY2026", "Q2 FY2026", "Q3 FY2026", "Q4 FY2026", "Q1 FY2027"]
    # The 2025 record ends before C30 (Q4 FY2026's actual): that quarter says so instead of failing.
    assert list(bt["actual"]) == ["$4.60B", "$0.00B", "$0.05B", "n/a", "$0.00B"]
    assert bt["note"].iloc[3].startswith("C30 is not in the claims table")
    assert [s.startswith("in-sample") for s in bt["sample"]] == [True, False, True, False, False]
    assert bt["gap"].iloc[0] == "+1.08B"
    assert scenario_view.changed == ""


def test_the_back_test_note_takes_its_quarters_from_the_model_and_its_total_from_the_revenue_table(dataset):
    rev = dataset.tables["revenue"]
    row = rev[(rev["fiscal_period"] == "Q3 FY2026") & (rev["metric"] == "china_incl_hk")]
    a = scenario.PRESETS[scenario.DEFAULT_PRESET]
    note = model._scenario(dataset, scenario.DEFAULT_PRESET, a).backtest_note
    assert "In-sample: Q1 FY2026 (" in note and "and Q3 FY2026 (" in note
    assert "Out-of-sample: Q2 FY2026, Q4 FY2026 and Q1 FY2027." in note
    if len(row):  # the sentence cites the table's figure, and is left out where the table has none
        assert f"Q3 FY2026 was ${row['value_usd_m'].iloc[0] / 1000:,.1f}B" in note
    without = dataclasses.replace(dataset, tables={**dataset.tables, "revenue": rev.drop(row.index)})
    assert "total China revenue" not in model._scenario(without, scenario.DEFAULT_PRESET, a).backtest_note
    blank = rev.assign(value_usd_m=rev["value_usd_m"].where(~rev.index.isin(row.index)))  # a cell left empty
    blanked = dataclasses.replace(dataset, tables={**dataset.tables, "revenue": blank})
    assert "total China revenue" not in model._scenario(blanked, scenario.DEFAULT_PRESET, a).backtest_note


def test_the_back_test_note_reads_for_any_number_of_quarters():
    from app_pages.revenue import text

    one = text.backtest_note(["Q1 FY2026"], ["Q2 FY2026"], None)
    assert "In-sample: Q1 FY2026 (the defaults are calibrated on them). Out-of-sample: Q2 FY2026." in one
    later = ["Q2 FY2026", "Q4 FY2026", "Q1 FY2027"]
    three = text.backtest_note(["Q1 FY2026", "Q3 FY2026"], later, ("Q3 FY2026", "$1B"))
    assert "Out-of-sample: Q2 FY2026, Q4 FY2026 and Q1 FY2027. Nvidia's total China revenue in Q3 FY2026 was $1B" in (
        three
    )
    assert "In-sample: Q1 FY2026 (the serviceable share is computed from its demand) and Q3 FY2026 (the" in three


def test_a_changed_input_is_named_against_its_preset(record):
    preset = "December 2025 H200 at 25%"
    a = dataclasses.replace(scenario.PRESETS[preset], uptake_pct=20.0, market_usd_b=60.0)
    m = model.build(record, EVERYTHING, "Scenario", preset=preset, assumptions=a).scenario
    assert unescape(m.changed) == f"Preset '{preset}', changed: china market size, uptake when beijing discourages."


def test_the_range_chart_draws_the_model_s_paths_and_the_actuals(record, scenario_view):
    a = scenario.PRESETS[scenario.DEFAULT_PRESET]
    rng = scenario.scenario_range(a)
    spec = scenario_view.range_chart
    assert [(r["low"], r["high"]) for r in spec["data"]["values"]] == list(zip(rng["low"], rng["high"], strict=True))
    lines = [layer for layer in spec["layer"] if layer["mark"]["type"] == "line"]
    drawn = {}  # each path's series: the rows its layer's filter keeps, and its line
    for layer in lines:
        (keep,) = layer["transform"]
        name = keep["filter"]["equal"]
        rows = [r["usd_b"] for r in layer["data"]["values"] if r["series"] == name]
        drawn[name] = (rows, layer["mark"]["strokeWidth"], layer["mark"]["strokeDash"])
    assert set(drawn) == set(list(scenario_charts.RANGE_SERIES)[1:3])  # one layer a path
    assert drawn["Expected net revenue (base)"] == (rng["base"].tolist(), 3, [1, 0])  # thick, solid
    assert drawn["Serviceable demand (no controls)"] == (rng["serviceable"].tolist(), 1.5, [6, 4])  # thin, dashed
    (actual_layer,) = [layer for layer in spec["layer"] if layer["mark"].get("shape") == "diamond"]
    actuals = actual_layer["data"]["values"]
    assert [r["usd_b"] for r in actuals][:3] == [4.6, 0.0, 0.05] and actuals[3]["usd_b"] is None
    assert spec["layer"][0]["encoding"]["y"]["title"] == "USD billions per quarter"


def test_the_range_chart_s_colour_legend_has_no_line_style_by_field(scenario_view):
    # A stroke width or dash encoded by field, beside the colour legend, puts the legend's symbols
    # over the first letters of its labels as Streamlit draws them (seen in Chromium, 2026-12-01):
    # each path's line style is its layer's own.
    for layer in scenario_view.range_chart["layer"]:
        assert not {"strokeWidth", "strokeDash"} & set(layer["encoding"]), layer["mark"]


def test_the_tornado_puts_the_biggest_swing_on_top_and_labels_both_ends(scenario_view):
    t = scenario.tornado(scenario.PRESETS[scenario.DEFAULT_PRESET])
    spec = scenario_view.tornado_chart
    order = [label.replace("\n", " ") for label in spec["layer"][0]["encoding"]["y"]["sort"]]
    assert order == t["input"].tolist()[::-1] and order[0] == "Licence start"
    rows = spec["data"]["values"]
    assert len(rows) == 2 * len(t)
    for r in rows:
        assert r["label"] == f"${r['total']:,.2f}B"
        assert math.isclose(r["change"], r["total"] - t["base"].iloc[0])
    assert spec["layer"][-1]["encoding"]["x"]["datum"] == pytest.approx(t["base"].iloc[0])
    assert "USD billions" in spec["layer"][0]["encoding"]["x"]["title"]


def test_a_quoted_id_missing_from_the_data_is_named_not_raised(record, monkeypatch):
    bogus = content.Quoted("revenue", "scenario_bands", "claims", ("C04", "C99"))
    monkeypatch.setattr(content, "quoted", lambda section, name, path=None: bogus)
    m = model.build(record, EVERYTHING, "Scenario").scenario
    assert m.band_problem == "content/quoted.toml, [revenue] scenario_bands: C99 not in claims"
    assert m.band_sources == metrics.sources_of(record.tables["claims"].query("id == 'C04'"))

    def gone(section, name, path=None):
        raise content.ContentError("quoted.toml: no entry [revenue] scenario_bands")

    monkeypatch.setattr(content, "quoted", gone)
    m = model.build(record, EVERYTHING, "Scenario").scenario
    assert m.band_problem == "content/quoted.toml: no entry [revenue] scenario_bands" and m.band_sources == []


def test_the_range_cites_the_claims_named_in_content(record, scenario_view):
    ids = content.quoted("revenue", "scenario_bands").ids
    claims = record.tables["claims"]
    assert scenario_view.band_sources == metrics.sources_of(claims[claims["id"].isin(ids)])
    assert scenario_view.band_problem == ""


# Every chart as Vega-Lite: valid, and its labels whole and apart on a phone.


def _all_specs(record) -> dict[str, dict]:
    h = model.build(record, EVERYTHING, "History").history
    s = model.build(record, EVERYTHING, "Scenario").scenario
    claims = model.build(record, EVERYTHING, "Claims").claims
    return {
        "annual": h.annual_chart,
        "quarters": h.quarters_chart,
        "claims": claims.chart,
        "range": s.range_chart,
        "tornado": s.tornado_chart,
    }


def test_every_revenue_chart_passes_the_vega_lite_schema(record):
    path = Path(alt.__file__).parent / "vegalite" / "v6" / "schema" / "vega-lite-schema.json"
    validator = jsonschema.Draft7Validator(json.loads(path.read_text(encoding="utf-8")))
    for name, spec in _all_specs(record).items():
        errors = sorted(validator.iter_errors(spec), key=str)
        assert not errors, (name, [f"{list(e.absolute_path)}: {e.message[:200]}" for e in errors[:5]])


def _matrix(transform: str) -> tuple[float, ...]:
    """An SVG transform (Vega writes translate and rotate) as an affine matrix (a, b, c, d, e, f)."""
    m = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for op, args in re.findall(r"(translate|rotate)\(([^)]*)\)", transform or ""):
        v = [float(x) for x in re.split(r"[ ,]+", args.strip())]
        if op == "translate":
            t = (1.0, 0.0, 0.0, 1.0, v[0], v[1] if len(v) > 1 else 0.0)
        else:
            r = math.radians(v[0])
            t = (math.cos(r), math.sin(r), -math.sin(r), math.cos(r), 0.0, 0.0)
        m = _compose(m, t)
    return m


def _compose(m: tuple[float, ...], t: tuple[float, ...]) -> tuple[float, ...]:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = t
    return (
        a * a2 + c * b2,
        b * a2 + d * b2,
        a * c2 + c * d2,
        b * c2 + d * d2,
        a * e2 + c * f2 + e,
        b * e2 + d * f2 + f,
    )


def _text_boxes(svg: str) -> list[dict]:
    """Every line of text Vega drew, as a box on the canvas: (x0, x1, y0, y1), its text and font size."""
    boxes: list[dict] = []

    def walk(node: ET.Element, m: tuple[float, ...]) -> None:
        m = _compose(m, _matrix(node.get("transform", "")))
        tag = node.tag.rsplit("}", 1)[-1]
        if tag != "text":
            for child in node:
                walk(child, m)
            return
        if node.get("opacity") == "0":  # a label Vega hid (an axis' overlapping or out-of-bounds tick)
            return
        size = float((node.get("font-size") or "11px").rstrip("px"))
        anchor = node.get("text-anchor", "start")
        spans = [s for s in node if s.tag.endswith("tspan")] or [node]
        y = 0.0
        for i, span in enumerate(spans):
            y += float(span.get("dy", 0)) if i else 0.0
            line = "".join(span.itertext()) if span is not node else (node.text or "")
            if not line.strip():
                continue
            width = chartbase.text_width(line, size) * 0.85  # an upper bound, narrowed to Vega's own type
            x0 = {"start": 0.0, "middle": -width / 2, "end": -width}[anchor]
            corners = [(x, yy) for x in (x0, x0 + width) for yy in (y - 0.75 * size, y + 0.15 * size)]
            pts = [(m[0] * x + m[2] * yy + m[4], m[1] * x + m[3] * yy + m[5]) for x, yy in corners]
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            boxes.append({"box": (min(xs), max(xs), min(ys), max(ys)), "text": line, "node": id(node)})

    walk(ET.fromstring(svg), (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))  # noqa: S314 (the SVG vl-convert just drew)
    return boxes


def _overlaps(boxes: list[dict], skip=lambda a, b: False) -> list[tuple[str, str]]:
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            (ax0, ax1, ay0, ay1), (bx0, bx1, by0, by1) = a["box"], b["box"]
            apart = ax0 >= bx1 - 0.5 or bx0 >= ax1 - 0.5 or ay0 >= by1 - 0.5 or by0 >= ay1 - 0.5
            if a["node"] != b["node"] and not apart and not skip(a, b):
                out.append((a["text"], b["text"]))
    return out


@pytest.mark.parametrize("data", ["record", "dataset"])  # the 2025 fixture, and the record as curated
@pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", ["claims", "range", "tornado", "quarters"])
def test_the_rendered_labels_are_whole_apart_and_on_the_canvas(request, data, name, width):
    ds = request.getfixturevalue(data)
    spec = {**_all_specs(ds)[name], "width": width, "autosize": {"type": "fit", "contains": "padding"}}
    svg = vlc.vegalite_to_svg(json.dumps(spec))
    canvas = re.search(r'<svg[^>]*width="([\d.]+)"[^>]*height="([\d.]+)"', svg)
    boxes = _text_boxes(svg)
    assert boxes and not [b["text"] for b in boxes if "…" in b["text"]]  # Vega cuts a label too long with '…'
    w, h = float(canvas.group(1)), float(canvas.group(2))
    outside = [b["text"] for b in boxes if b["box"][0] < -1 or b["box"][1] > w + 1 or b["box"][2] < -1]
    assert not outside and all(b["box"][3] <= h + 1 for b in boxes)
    # The event ids (placed by the shared event_marks) included: none may cover another label.
    assert not _overlaps(boxes)


# The running app.


def test_scenario_presets_move_the_sliders():
    at = open_page("revenue", show="Scenario")
    at.selectbox(key="preset").set_value("April 2025 ban persists").run()
    assert at.slider(key="s_licence").value == 0
    assert {m.label: m.value for m in at.metric}["Fees paid to the US"] == "$0.00B"
    at.selectbox(key="preset").set_value("December 2025 H200 at 25%").run()
    assert at.slider(key="s_fee").value == 25 and at.select_slider(key="s_start").value == "Q4 FY2026"
    assert at.slider(key="s_licence").value == 100


def test_scenario_from_a_link():
    at = open_page("revenue", show="Scenario", preset="December 2025 H200 at 25%", s_uptake="20", s_market="60")
    assert not at.exception
    assert at.slider(key="s_fee").value == 25  # from the preset
    assert at.slider(key="s_uptake").value == 20 and at.slider(key="s_market").value == 60
    assert "changed: china market size, uptake when beijing discourages" in texts(at)
    assert share_link(at) == ("http://localhost:8501/revenue?show=scenario&preset=h200-25pct&s_market=60&s_uptake=20")
    # Only the scenario is computed and sent: its two charts, its figures and its back-test.
    titles = [spec["title"]["text"][0] for spec in vega_specs(at)]
    assert titles == ["Nvidia China data-center revenue by", "Sensitivity:"]
    assert len(frame_with(at, "quarter", "sample", "model", "actual", "gap")) == 5


def test_invalid_scenario_values_in_a_link_are_dropped_with_a_notice():
    at = open_page("revenue", show="Scenario", s_fee="-5", s_uptake="nan", s_licence="abc", s_share="150", s_start="Q9")
    assert not at.exception
    notice = unescape(next(w.value for w in at.warning if "Parts of this link" in w.value))
    assert "Fee to the US government: -5 is outside 0 to 50; the default was used." in notice
    assert "Uptake when Beijing discourages: 'nan' is not a number; the default was used." in notice
    assert "Licence probability: 'abc' is not a number; the default was used." in notice
    assert "Share export-compliant parts can serve: 150 is outside 0 to 100; the default was used." in notice
    assert "Licence start: 'Q9' not recognised and dropped." in notice
    assert at.slider(key="s_fee").value == 15 and at.slider(key="s_uptake").value == 0.7


def test_a_quoted_id_missing_from_the_data_is_an_in_page_error(on_record, monkeypatch):
    bogus = content.Quoted("revenue", "scenario_bands", "claims", ("C04", "C99"))
    monkeypatch.setattr(content, "quoted", lambda section, name, path=None: bogus)
    at = open_page("revenue", show="Scenario")
    assert not at.exception
    assert [unescape(e.value) for e in at.error] == ["content/quoted.toml, [revenue] scenario_bands: C99 not in claims"]
    assert len(vega_specs(at)) == 2  # the page goes on: the range and the tornado are drawn
