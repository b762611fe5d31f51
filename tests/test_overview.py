"""The Overview: its headline figures, scheduled dates and chain of moves, read from the model on the
frozen 2025 record; a few runs of the real app for what only it shows (the URL, the error in place)."""

from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape

import pandas as pd
import pytest
import vl_convert as vlc

from app_pages.overview import charts, model
from chipsmag import chartbase, content
from chipsmag.filters import Filters, date_bounds, with_plot_dates

TODAY = dt.date(2026, 11, 20)  # after three of the record's scheduled dates, before the fourth


def everything(ds) -> Filters:
    """No filter: the whole record, as the sidebar starts."""
    return Filters(*date_bounds(with_plot_dates(ds.tables["events"]), ds.coverage.searched_to))


@pytest.fixture(scope="module")
def overview(record):
    return model.build(record, everything(record), "2025", TODAY)


def figures(m: model.OverviewModel) -> dict[str, model.Card]:
    return {card.label: card for card in (*m.latest, *m.began, *m.shares)}


def quoted_copy(tmp_path, old: str, new: str):
    """A copy of content/quoted.toml with one piece of text replaced."""
    path = tmp_path / new.strip('"= ') / "quoted.toml"  # a file per copy: chipsmag.content caches by path
    path.parent.mkdir()
    text = content.CONTENT_FILE.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_the_headline_figures_come_from_the_data(overview):
    shown = {label: card.value for label, card in figures(overview).items()}
    # The latest figures of the frozen 2025 record.
    assert shown["Nvidia revenue, Q4 FY2026"] == "$68.1B"
    assert shown["China's magnet exports, Nov 2025"] == "6,150 t"
    assert shown["US tariff on all Chinese goods, 8 Dec 2025"] == "20%"
    # Where the story began.
    assert shown["Nvidia China revenue, FY2025"] == "$17.1B"
    assert shown["H20 charge booked, Q1 FY2026"] == "$4.5B"
    assert shown["China's magnet exports, May 2025"] == "1,238 t"
    assert shown["Mining, 2024"] == "69%" and shown["Refining, 2025"] == "84%"
    assert shown["Magnets, 2025"] == "90-95%"
    delta = {label: card.delta for label, card in figures(overview).items()}
    assert delta["Nvidia China revenue, FY2025"] == "13.1% of $130.5B total revenue"
    assert (
        delta["US tariff on all Chinese goods, 8 Dec 2025"] == "IEEPA fentanyl tariff 10% + IEEPA reciprocal tariff 10%"
    )
    assert delta["H20 charge booked, Q1 FY2026"] == "expected: up to $5.5B (8-K, 2025-04-15)"
    # The quoted claims: Huang's $15B beside the charge, each figure with the sources it was read in.
    charge = figures(overview)["H20 charge booked, Q1 FY2026"]
    assert "walked away from **\\$15B** of sales" in charge.markdown
    assert len(charge.sources) >= 3 and not charge.error
    assert all(card.sources for card in (*overview.latest, *overview.began)) and overview.share_sources


def test_the_headline_figures_follow_the_curated_record(dataset):
    """On the curated data: the latest reported quarter and magnet period stand in the headline, never an
    unverified one, whatever the data holds."""
    from chipsmag import metrics as m

    labels = list(figures(model.build(dataset, everything(dataset), None, TODAY)))
    latest = m.latest_quarter(dataset.tables["revenue"], "nvidia")
    assert f"Nvidia revenue, {latest['fiscal_period'].iloc[0]}" in labels
    unverified = dataset.tables["revenue"]
    unverified = unverified[(unverified["status"] == "unverified") & (unverified["period_type"] == "quarter")]
    newer = unverified[unverified["period_end"] > latest["period_end"].iloc[0]]["fiscal_period"]
    assert not any(f"Nvidia revenue, {p}" in labels for p in newer)
    assert any(label.startswith("China's magnet exports, ") for label in labels)


def test_a_passed_date_without_an_outcome_is_never_read_as_ended_or_pending(overview):
    from chipsmag.coverage import PASSED_UNKNOWN, RESOLVED, SCHEDULED, deadline_states

    deadlines = pd.DataFrame(
        {
            "id": ["D1", "D2", "D3"],
            "date": ["2026-12-01", "2026-07-24", "2025-11-10"],
            "title": ["later", "passed, unknown", "passed, known"],
            "outcome_event": [None, None, "E2"],
        }
    )
    events = pd.DataFrame({"id": ["E2"], "title": ["Truce extended"]})
    states = deadline_states(deadlines, events, dt.date(2026, 11, 29)).set_index("id")
    assert list(states.index) == ["D3", "D2", "D1"]  # by date
    assert states.at["D1", "state"] == SCHEDULED and states.at["D1", "outcome"] == ""
    assert states.at["D2", "state"] == PASSED_UNKNOWN and states.at["D2", "outcome"] == "not in the data"
    assert states.at["D3", "state"] == RESOLVED and states.at["D3", "outcome"] == "E2: Truce extended"
    # The page's list: the record's three dates of 10 Nov 2026 have passed, 27 Nov 2026 is still ahead.
    lines = overview.deadlines.splitlines()
    assert len(lines) == 4 and sum("**10 Nov 2026**" in line for line in lines) == 3
    assert all(line.endswith("*passed; outcome not in the data*") for line in lines[:3])
    assert lines[3].startswith("- **27 Nov 2026**") and lines[3].endswith("*scheduled*")


def test_the_chain_follows_the_filters_and_quotes_lutnick_when_his_link_is_in_view(record, overview):
    chain = overview.chain
    assert chain.title == "The 2025 chain of moves" and len(chain.events) == 22 and not chain.more
    assert {"E40", "E42"} <= set(chain.events["id"])  # L17: MOFCOM's deal terms and the H20 resumption
    assert "We put that in the trade deal with the magnets" in chain.quote and "16 Jul 2025" in chain.quote
    for px in charts.LAYOUT_PX:  # each layout draws every move once, in date order
        points = [r for r in chain.spec["data"]["values"] if r["point"] and r["from_px"] <= px < r["to_px"]]
        assert [r["id"] for r in points] == chain.events["id"].tolist()
    assert chain.sources

    def chain_of(start: dt.date, **narrowed) -> model.Chain:
        return model.build(record, Filters(start, dt.date(2025, 12, 31), **narrowed), "2025", TODAY).chain

    chips = chain_of(dt.date(2025, 1, 1), levers=("chips",))
    assert chips.events["id"].tolist() == ["E28", "E42", "E44", "E46", "E48"] and chips.quote  # E42 is in view
    later = chain_of(dt.date(2025, 9, 1))
    assert later.events["id"].tolist() == ["E50", "E52", "E53", "E54", "E55", "E56"] and not later.quote
    magnets = chain_of(dt.date(2025, 1, 1), levers=("magnets",))  # no link joins two magnet moves
    assert magnets.events.empty and magnets.spec is None and not magnets.quote


def test_a_quoted_id_missing_from_the_data_names_the_file_and_the_entry(record, tmp_path):
    path = quoted_copy(tmp_path, '"C08"', '"C999"')
    m = model.build(record, everything(record), "2025", TODAY, quoted=path)
    charge = m.began[1]
    assert "quoted.toml" in charge.error and "[overview] booked_charge" in charge.error and "C999" in charge.error
    assert not charge.value and m.began[0].value == "$17.1B"  # the other figures stand
    path = quoted_copy(tmp_path, '"L17"', '"L999"')
    m = model.build(record, everything(record), "2025", TODAY, quoted=path)
    assert "[overview] magnets_quote" in m.chain.error and "L999" in m.chain.error and not m.chain.quote
    assert m.chain.spec is not None  # the chart stands without the quote
    path = quoted_copy(tmp_path, "huang_15b = ", "huang = ")
    assert "[overview] huang_15b" in model.build(record, everything(record), "2025", TODAY, quoted=path).began[1].error
    # The page's own file names itself as content/quoted.toml.
    assert model._quoted_rows(record.tables, "nobody", content.CONTENT_FILE)[1].startswith(
        "This figure cannot be shown: content/quoted.toml"
    )


def test_the_page_parameters_are_the_registrys(record):
    from app_pages import page_params

    declared = tuple(p for p in page_params(record, TODAY) if p.page == "overview")
    assert model.params(record, TODAY) == declared
    assert model.params(record, TODAY)[0].options == ("2025",)


# The chain's labels: whole, inside the plot and apart, on a phone and on a desktop.

WIDTHS = (1400 - 60, 390 - 32, charts.LAYOUT_PX[0])  # the plot in a 1400 px window, on a 390 px phone, the narrowest


def _svg_labels(svg: str) -> tuple[list[dict], list[tuple[float, float]]]:
    """The chain's label lines (text at the labels' font size, in document order: their string, box
    and anchor) and its points' centres, read from a Vega SVG."""
    labels, points = [], []
    for m in re.finditer(r"<text([^>]*?)(?:/>|>(.*?)</text>)", svg, flags=re.S):  # a blank line is <text/>
        attrs, body = m.group(1), unescape(re.sub(r"<[^>]+>", "", m.group(2) or ""))
        move = re.search(r"translate\(([-\d.]+),\s*([-\d.]+)\)", attrs)
        size = float(re.search(r'font-size="([\d.]+)px"', attrs).group(1))
        if not move or not body.strip() or size != charts.FONT:
            continue
        x, y, width = float(move.group(1)), float(move.group(2)), chartbase.text_width(body, size)
        anchor = re.search(r'text-anchor="(\w+)"', attrs).group(1)
        x0 = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
        labels.append({"text": body, "x0": x0, "x1": x0 + width, "y0": y - size * 0.8, "y1": y + size * 0.2})
    for m in re.finditer(r'<path aria-label="Event [^"]*"[^>]*translate\(([-\d.]+),\s*([-\d.]+)\)', svg):
        points.append((float(m.group(1)), float(m.group(2))))
    return labels, points


def chains(ds) -> list[pd.DataFrame]:
    """Every year's chain that the page offers, on the whole record."""
    return [model.build(ds, everything(ds), year, TODAY).chain for year in model.chain_years(ds)]


@pytest.mark.parametrize("width", WIDTHS, ids=["desktop", "phone", "narrowest"])
@pytest.mark.parametrize("data", ["record", "dataset"])
def test_every_label_is_whole_inside_the_chart_and_apart_from_the_others(data, width, request):
    ds = request.getfixturevalue(data)
    for chain in chains(ds):
        spec = {**chain.spec, "width": width}
        labels, points = _svg_labels(vlc.vegalite_to_svg(json.dumps(spec)))
        # Every title in full, in date order: its lines read back as the title (Vega cuts a label too wide
        # for its room short with '…').
        assert " ".join(label["text"] for label in labels) == " ".join(chain.events["title"]), chain.year
        assert len(points) == len(chain.events) and len(labels) >= len(points)
        for label in labels:
            assert label["x0"] >= 0 and label["x1"] <= width, (chain.year, width, label)
        for i, a in enumerate(labels):
            for b in labels[i + 1 :]:
                apart = a["x1"] <= b["x0"] or b["x1"] <= a["x0"] or a["y1"] <= b["y0"] or b["y1"] <= a["y0"]
                assert apart, (chain.year, width, a, b)
            for x, y in points:  # no label covers a point (a point's radius is under 5 px)
                assert not (a["x0"] - 5 < x < a["x1"] + 5 and a["y0"] - 5 < y < a["y1"] + 5), (a, x, y)


def test_a_label_is_wrapped_to_the_room_beside_its_point():
    assert charts.wrap("one two three", 1000) == ["one two three"]
    lines = charts.wrap("Lutnick: 'in the trade deal with the magnets'; Bessent: 'negotiating chip'", 150)
    assert len(lines) > 1 and all(chartbase.text_width(line, charts.FONT) <= 150 for line in lines)
    assert " ".join(lines) == "Lutnick: 'in the trade deal with the magnets'; Bessent: 'negotiating chip'"
    broken = charts.wrap("Semiconductors", 40)  # a word wider than the room is broken inside
    assert len(broken) > 1 and "".join(broken) == "Semiconductors"
    assert all(chartbase.text_width(line, charts.FONT) <= 40 for line in broken)


# The page, in AppTest.


def test_the_page_shows_the_figures_the_chain_and_the_quote(on_record):
    from support.apptest import charts_of, open_page, texts

    at = open_page("overview")
    assert not at.exception and not at.error
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Nvidia revenue, Q4 FY2026"] == "$68.1B" and metrics["Magnets, 2025"] == "90-95%"
    assert len(at.metric) == 9 and charts_of(at) == 1
    assert at.segmented_control(key="chain").value == "2025"
    body = texts(at)
    assert "We put that in the trade deal with the magnets" in body
    assert "End of the Busan tariff truce's suspensions" in body  # the scheduled dates, with their state


def test_a_chosen_year_travels_in_the_link(dataset):
    from chipsmag import metrics
    from support.apptest import open_page, share_link

    years = metrics.link_years(dataset.tables["events"], dataset.tables["links"])
    if len(years) < 2:
        pytest.skip("the curated data has one chain year")
    at = open_page("overview", chain=years[0])
    assert not at.exception
    assert at.subheader[-1].value == f"The {years[0]} chain of moves"
    assert f"chain={years[0]}" in share_link(at)
    assert "chain=" not in share_link(open_page("overview"))  # the newest year is the default


def test_a_missing_quoted_id_is_an_error_in_the_page_not_a_traceback(on_record, tmp_path, monkeypatch):
    from support.apptest import open_page

    monkeypatch.setattr(content, "CONTENT_FILE", quoted_copy(tmp_path, '"C02"', '"C0X"'))
    at = open_page("overview")
    assert not at.exception
    assert [e.value for e in at.error] == [
        "This figure cannot be shown: quoted.toml, entry [overview] china_outlook, names C0X, which the claims "
        "table does not hold."
    ]
    assert "H20 charge booked, Q1 FY2026" not in {m.label for m in at.metric} and len(at.metric) == 8
