"""Chart builders: functions of data and options that return a Plotly figure or an Altair chart.

One palette serves every chart, so a colour means the same thing everywhere:
categories use Okabe-Ito, relations use Paul Tol's 'vibrant' set, sides use blue (US) and
vermillion (China). Every string that comes from data is HTML-escaped before it reaches a
hover or label, so markup in a title or quote shows as text.
"""

from __future__ import annotations

import html

import altair as alt
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from chipsmag.filters import CATEGORY_LABELS, LEVER_LABELS
from chipsmag.metrics import STAGE_LABELS
from chipsmag.text import format_event_date

CATEGORY_COLORS = {
    "export_control": "#56B4E9",
    "tariff": "#E69F00",
    "rare_earth": "#009E73",
    "negotiation": "#0072B2",
    "corporate": "#D55E00",
    "investment": "#CC79A7",
    "market": "#000000",
}
RELATION_COLORS = {
    "retaliation": "#CC3311",
    "escalation": "#EE7733",
    "quid pro quo": "#0077BB",
    "concession": "#009988",
    "de-escalation": "#33BBEE",
}
SIDE_COLORS = {"US": "#0072B2", "China": "#D55E00", "Rest of world": "#BBBBBB"}
KIND_COLORS = {
    "filing": "#0072B2",
    "press_release": "#56B4E9",
    "earnings_call": "#009E73",
    "interview": "#E69F00",
    "public_remarks": "#CC79A7",
    "social_post": "#D55E00",
    "news_report": "#999999",
}
LEVER_LANES = ("chips", "both", "magnets")
SIDE_LANES = ("US government", "China government", "Companies", "Other governments")
FONT = "Source Sans Pro, sans-serif"


def esc(value: object) -> str:
    return html.escape("" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value))


def _layout(fig: go.Figure, title: str, height: int = 420, **extra) -> go.Figure:
    """Apply the shared look. Builds a fresh dict each call: nothing shared is mutated."""
    fig.update_layout(
        title={"text": esc(title), "x": 0, "xanchor": "left", "font": {"size": 16}},
        height=height,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        font={"family": FONT, "size": 13},
        plot_bgcolor="white",
        hoverlabel={"align": "left"},
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "xanchor": "left", "x": 0},
        **extra,
    )
    fig.update_xaxes(showgrid=True, gridcolor="#eeeeee", zeroline=False)
    fig.update_yaxes(showgrid=True, gridcolor="#eeeeee", zeroline=False)
    return fig


# ---------------------------------------------------------------------------
# Events on a time axis.
# ---------------------------------------------------------------------------


def side_of(actor_id: str, actors: pd.DataFrame) -> str:
    row = actors.set_index("id").loc[actor_id]
    if row["kind"] == "company":
        return "Companies"
    if row["country"] == "US":
        return "US government"
    if row["country"] == "CN":
        return "China government"
    return "Other governments"


def _stack_offsets(dates: pd.Series, gap_days: int = 25) -> list[float]:
    """Small vertical offsets so that events close in time do not hide each other."""
    levels = [0.0, 0.22, -0.22, 0.11, -0.11, 0.33, -0.33]
    last_at_level: dict[int, pd.Timestamp] = {}
    offsets = []
    for date in dates:
        for i in range(len(levels)):
            prev = last_at_level.get(i)
            if prev is None or (date - prev).days > gap_days:
                last_at_level[i] = date
                offsets.append(levels[i])
                break
        else:
            offsets.append(0.0)
    return offsets


def event_positions(events: pd.DataFrame, lanes: str, actors: pd.DataFrame) -> pd.DataFrame:
    """Lane and y position of each event (events need plot_date)."""
    ev = events.sort_values("plot_date").copy()
    if lanes == "side":
        names = SIDE_LANES
        ev["lane"] = [side_of(a.split(";")[0], actors) for a in ev["actors"]]
    else:
        names = tuple(LEVER_LABELS[lv] for lv in LEVER_LANES)
        ev["lane"] = ev["lever"].map(LEVER_LABELS)
    index = {name: len(names) - 1 - i for i, name in enumerate(names)}
    ev["y"] = ev["lane"].map(index).astype(float)
    for lane, group in ev.groupby("lane"):
        ev.loc[group.index, "y"] += _stack_offsets(group["plot_date"])
        del lane
    ev.attrs["lane_names"] = names
    return ev


def _event_hover(ev: pd.DataFrame, actor_names: dict[str, str], source_names: dict[str, str]) -> list[str]:
    out = []
    for row in ev.itertuples():
        actors = ", ".join(actor_names.get(a, a) for a in row.actors.split(";"))
        sources = "; ".join(source_names.get(s, s) for s in row.source_ids.split(";"))
        context = " (context only)" if row.context_only else ""
        out.append(
            f"<b>{esc(row.title)}</b>{context}<br>{esc(format_event_date(row.date, row.date_precision))}"
            f" · {esc(CATEGORY_LABELS.get(row.category, row.category))}<br>Actors: {esc(actors)}"
            f"<br>Source: {esc(sources)}"
        )
    return out


def timeline_figure(
    events: pd.DataFrame,
    actors: pd.DataFrame,
    lanes: str,
    actor_names: dict[str, str],
    source_names: dict[str, str],
    selected: str | None = None,
) -> go.Figure:
    ev = event_positions(events, lanes, actors)
    names = ev.attrs["lane_names"]
    fig = go.Figure()
    for category, color in CATEGORY_COLORS.items():
        part = ev[ev["category"] == category]
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=part["plot_date"],
                y=part["y"],
                mode="markers",
                name=CATEGORY_LABELS[category],
                marker={
                    "color": color,
                    "size": [16 if i == selected else 11 for i in part["id"]],
                    "line": {"width": [3 if i == selected else 1 for i in part["id"]], "color": "#222222"},
                    "symbol": ["circle-open" if c else "circle" for c in part["context_only"]],
                },
                customdata=part[["id"]].to_numpy(),
                hovertext=_event_hover(part, actor_names, source_names),
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    title_lanes = "side (first actor)" if lanes == "side" else "lever"
    _layout(fig, f"Events by {title_lanes}, coloured by category", height=120 + 90 * len(names))
    fig.update_yaxes(
        tickvals=[len(names) - 1 - i for i in range(len(names))],
        ticktext=[esc(n) for n in names],
        range=[-0.6, len(names) - 0.4],
        fixedrange=True,
    )
    fig.update_xaxes(title_text=None)
    return fig


# ---------------------------------------------------------------------------
# The chips-for-magnets linkage.
# ---------------------------------------------------------------------------


def linkage_figure(
    events: pd.DataFrame,
    links: pd.DataFrame,
    tariffs: pd.DataFrame,
    source_names: dict[str, str],
    selected: str | None = None,
    period: str = "all",
) -> go.Figure:
    """Two levers as lanes with links drawn as arrows, above the 2025 tariff steps.

    ``period="2025"`` opens the axis on 2025 (links from earlier moves still enter from the left).
    """
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        row_heights=[0.68, 0.32],
        vertical_spacing=0.08,
        subplot_titles=("Moves and the links between them", "Additional tariff rates (%)"),
    )
    ev = events.copy()
    lane_y = {"chips": 2.0, "both": 1.0, "magnets": 0.0}
    ev = ev.sort_values("plot_date")
    ev["y"] = ev["lever"].map(lane_y)
    for lever, group in ev.groupby("lever"):
        ev.loc[group.index, "y"] += _stack_offsets(group["plot_date"], gap_days=12)
        del lever
    pos = ev.set_index("id")[["plot_date", "y"]]
    for relation, color in RELATION_COLORS.items():
        rel = links[links["relation"] == relation]
        first = True
        for link in rel.itertuples():
            if link.from_event not in pos.index or link.to_event not in pos.index:
                continue
            a, b = pos.loc[link.from_event], pos.loc[link.to_event]
            width = 4 if link.id == selected else 2
            fig.add_trace(
                go.Scatter(
                    x=[a["plot_date"], b["plot_date"]],
                    y=[a["y"], b["y"]],
                    mode="lines+markers",
                    line={
                        "color": color,
                        "width": width,
                        "dash": "dot" if link.basis == "inferred" else "solid",
                    },
                    marker={
                        "symbol": ["circle", "arrow"],
                        "size": [1, 14],
                        "angleref": "previous",
                        "color": color,
                    },
                    name=relation,
                    legendgroup=relation,
                    showlegend=first,
                    customdata=[[link.id], [link.id]],
                    hovertext=[
                        f"<b>{esc(relation)}</b> ({esc(link.basis)})<br>{esc(link.evidence)}"
                        f"<br>Source: {esc('; '.join(source_names.get(s, s) for s in link.source_ids.split(';')))}"
                    ]
                    * 2,
                    hovertemplate="%{hovertext}<extra></extra>",
                ),
                row=1,
                col=1,
            )
            first = False
    fig.add_trace(
        go.Scatter(
            x=ev["plot_date"],
            y=ev["y"],
            mode="markers",
            name="event",
            marker={"size": 9, "color": [CATEGORY_COLORS[c] for c in ev["category"]], "line": {"width": 1}},
            customdata=ev[["id"]].to_numpy(),
            hovertext=[
                f"<b>{esc(r.title)}</b><br>{esc(format_event_date(r.date, r.date_precision))}" for r in ev.itertuples()
            ],
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
        ),
        row=1,
        col=1,
    )
    _add_tariff_steps(fig, tariffs, row=2)
    _layout(fig, "Chips for magnets: moves, links and tariffs", height=640)
    fig.update_yaxes(
        tickvals=[2, 1, 0], ticktext=["Chips lever", "Both", "Magnets lever"], range=[-0.6, 2.6], row=1, col=1
    )
    fig.update_yaxes(title_text="%", rangemode="tozero", row=2, col=1)
    fig.update_layout(legend={"y": -0.06})
    if period == "2025":
        fig.update_xaxes(range=[pd.Timestamp("2024-11-15"), pd.Timestamp("2026-01-15")])
    return fig


def _add_tariff_steps(fig: go.Figure, tariffs: pd.DataFrame, row: int) -> None:
    in_force = tariffs[tariffs["status"] == "in_force"].sort_values("effective_date")
    for column, side in (("us_rate_pct", "US on China"), ("china_rate_pct", "China on US")):
        color = SIDE_COLORS["US" if column.startswith("us") else "China"]
        series = in_force[["effective_date", column, "computed", "trigger"]].dropna(subset=[column])
        if series.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(series["effective_date"]),
                y=series[column],
                mode="lines+markers",
                line={"shape": "hv", "color": color, "width": 2},
                name=f"Tariff: {side}",
                hovertext=[
                    f"{esc(side)}: {v:g}%{' (computed)' if c else ''}<br>from {esc(d)}<br>{esc(t)}"
                    for d, v, c, t in series.itertuples(index=False)
                ],
                hovertemplate="%{hovertext}<extra></extra>",
            ),
            row=row,
            col=1,
        )
    threats = tariffs[tariffs["status"] == "threatened"].dropna(subset=["us_rate_pct"])
    if len(threats):
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(threats["effective_date"]),
                y=threats["us_rate_pct"],
                mode="markers",
                marker={"symbol": "x-open", "size": 12, "color": SIDE_COLORS["US"]},
                name="Threatened, never imposed",
                hovertext=[
                    f"Threatened: {v:g}% (computed)<br>{esc(n)}"
                    for v, n in zip(threats["us_rate_pct"], threats["note"], strict=True)
                ],
                hovertemplate="%{hovertext}<extra></extra>",
            ),
            row=row,
            col=1,
        )


def sankey_figure(links: pd.DataFrame, events: pd.DataFrame) -> go.Figure:
    """Which lever's move was answered by which lever's move, and how."""
    lever = events.set_index("id")["lever"]
    frame = links.assign(src=links["from_event"].map(lever), dst=links["to_event"].map(lever)).dropna(
        subset=["src", "dst"]
    )
    counts = frame.groupby(["src", "relation", "dst"]).size().reset_index(name="n")
    left = [f"{LEVER_LABELS[lv]}: first move" for lv in LEVER_LANES]
    right = [f"{LEVER_LABELS[lv]}: response" for lv in LEVER_LANES]
    labels = left + right
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={"label": [esc(x) for x in labels], "pad": 18, "thickness": 16, "color": "#888888"},
            textfont={"color": "#111111", "size": 13},
            link={
                "source": [LEVER_LANES.index(s) for s in counts["src"]],
                "target": [3 + LEVER_LANES.index(d) for d in counts["dst"]],
                "value": counts["n"].tolist(),
                "color": [RELATION_COLORS[r] + "99" for r in counts["relation"]],
                "label": [esc(r) for r in counts["relation"]],
                "hovertemplate": "%{source.label} → %{target.label}<br>%{label}: %{value} link(s)<extra></extra>",
            },
        )
    )
    return _layout(fig, "Links by lever: which kind of move answered which", height=380)


# ---------------------------------------------------------------------------
# Revenue.
# ---------------------------------------------------------------------------


def _period_event_markers(fig: go.Figure, marks: dict[str, pd.DataFrame], heights: dict[str, float], **where) -> None:
    """Triangles above the bars of the periods in which events fell; hover lists them."""
    if not marks:
        return
    labels = list(marks)
    fig.add_trace(
        go.Scatter(
            x=labels,
            y=[heights[label] * 1.08 for label in labels],
            mode="markers+text",
            marker={"symbol": "triangle-down", "size": 11, "color": CATEGORY_COLORS["export_control"]},
            text=[
                " ".join(esc(i) for i in marks[label]["id"])
                if len(marks[label]) <= 4
                else f"{len(marks[label])} events"
                for label in labels
            ],
            textposition="top center",
            textfont={"size": 10},
            name="Chip export-control events",
            hovertext=[
                "<br>".join(
                    f"{esc(r.id)} {esc(format_event_date(r.date, r.date_precision))}: {esc(r.title)}"
                    for r in marks[label].itertuples()
                )
                for label in labels
            ],
            hovertemplate="%{hovertext}<extra></extra>",
        ),
        **where,
    )


def revenue_annual_figure(annual: pd.DataFrame, marks: dict[str, pd.DataFrame] | None = None) -> go.Figure:
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    known = annual["china_status"].eq("reported")
    fig.add_trace(
        go.Bar(
            x=annual["fiscal_period"],
            y=annual["china"].where(known) / 1000,
            name="China incl. Hong Kong",
            marker_color=SIDE_COLORS["China"],
            hovertemplate="%{x}: China $%{y:.1f}B<extra></extra>",
        ),
        secondary_y=False,
    )
    fig.add_trace(
        go.Bar(
            x=annual["fiscal_period"],
            y=annual["rest"].where(known, annual["total"]) / 1000,
            name="Rest of world (or total where China is unverified)",
            marker={
                "color": SIDE_COLORS["Rest of world"],
                "pattern": {"shape": ["" if k else "/" for k in known]},
            },
            hovertemplate="%{x}: $%{y:.1f}B<extra></extra>",
        ),
        secondary_y=False,
    )
    fig.add_trace(
        go.Scatter(
            x=annual["fiscal_period"],
            y=annual["china_share_pct"],
            name="China share of revenue (%)",
            mode="lines+markers+text",
            text=[f"{v:.1f}%" if pd.notna(v) else "" for v in annual["china_share_pct"]],
            textposition="top center",
            line={"color": "#000000", "width": 2},
            hovertemplate="%{x}: %{y:.1f}% China<extra></extra>",
        ),
        secondary_y=True,
    )
    for row in annual[~known].itertuples():
        fig.add_annotation(
            x=row.fiscal_period, y=row.total / 1000, text="China: unverified", showarrow=False, yshift=12
        )
    heights = dict(zip(annual["fiscal_period"], annual["total"] / 1000, strict=True))
    _period_event_markers(fig, marks or {}, heights, secondary_y=False)
    fig.update_layout(barmode="stack")
    _layout(fig, "Nvidia revenue by fiscal year, China (incl. Hong Kong) by billing location", height=440)
    fig.update_yaxes(title_text="USD billions", secondary_y=False)
    fig.update_yaxes(
        title_text="China share (%)", range=[0, 40], dtick=10, tickmode="linear", showgrid=False, secondary_y=True
    )
    return fig


def revenue_quarters_figure(quarters: pd.DataFrame, marks: dict[str, pd.DataFrame] | None = None) -> go.Figure:
    fig = go.Figure()
    names = {"total": "Total", "data_center": "Data Center", "china_incl_hk": "China incl. Hong Kong"}
    colors = {"total": "#555555", "data_center": "#56B4E9", "china_incl_hk": SIDE_COLORS["China"]}
    periods = list(dict.fromkeys(quarters["fiscal_period"]))
    for metric, label in names.items():
        part = quarters[quarters["metric"] == metric].set_index("fiscal_period").reindex(periods)
        reported = part["status"].eq("reported")
        values = part["value_usd_m"].where(reported) / 1000
        fig.add_trace(
            go.Bar(
                x=periods,
                y=values,
                name=label,
                marker_color=colors[metric],
                text=[f"${v:.1f}B" if pd.notna(v) else "unverified" for v in values],
                textposition="outside",
                hovertemplate=f"%{{x}}: {label} %{{y:.2f}}B<extra></extra>",
            )
        )
    totals = quarters[quarters["metric"] == "total"].set_index("fiscal_period")["value_usd_m"] / 1000
    _period_event_markers(fig, marks or {}, totals.to_dict())
    _layout(fig, "Nvidia FY2026 quarters: total, Data Center and China", height=440)
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text="USD billions")
    return fig


def claims_chart(claims: pd.DataFrame) -> alt.Chart:
    """Who said what, when, in what kind of document (USD figures only)."""
    usd = claims[claims["unit"] == "usd_m"].copy()
    usd["label"] = usd["date"] + " · " + usd["speaker"] + " · " + usd["topic"].str.replace("_", " ")
    usd["billions"] = usd["value"] / 1000
    usd["low"] = usd["value_low"].fillna(usd["value"]) / 1000
    usd["high"] = usd["value_high"].fillna(usd["value"]) / 1000
    usd["kind_label"] = usd["kind"].str.replace("_", " ")
    usd = usd[["label", "billions", "low", "high", "kind", "kind_label", "quote", "qualifier", "date"]]
    color = alt.Color(
        "kind:N",
        title="Kind of document",
        scale=alt.Scale(domain=list(KIND_COLORS), range=list(KIND_COLORS.values())),
    )
    base = alt.Chart(usd).encode(
        y=alt.Y("label:N", sort=alt.SortField("date"), title=None, axis=alt.Axis(labelLimit=360)),
    )
    rng = base.mark_rule(strokeWidth=3).encode(x="low:Q", x2="high:Q", color=color)
    dots = base.mark_circle(size=110, opacity=1).encode(
        x=alt.X("billions:Q", title="USD billions"),
        color=color,
        tooltip=[
            alt.Tooltip("label:N", title="Claim"),
            alt.Tooltip("billions:Q", title="USD B", format=".2f"),
            alt.Tooltip("qualifier:N"),
            alt.Tooltip("kind_label:N", title="Kind"),
            alt.Tooltip("quote:N"),
        ],
    )
    return (rng + dots).properties(
        title="Claims about losses and markets: who said what, when, where", height=alt.Step(24)
    )


# ---------------------------------------------------------------------------
# Supply.
# ---------------------------------------------------------------------------


def usgs_country_chart(tonnages: pd.DataFrame, stage: str) -> alt.Chart:
    data = tonnages[["country_name", "year", "value", "share_pct", "status"]].copy()
    data["year"] = data["year"].astype(str)
    unit = "t rare-earth oxide"
    title = "Rare-earth mine production by country (USGS MCS 2025)"
    if stage == "reserves":
        title = "Rare-earth reserves by country (USGS MCS 2025)"
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("country_name:N", sort="-x", title=None),
            x=alt.X("value:Q", title=unit),
            yOffset="year:N",
            color=alt.Color("year:N", title="Year", scale=alt.Scale(range=["#999999", "#0072B2"])),
            tooltip=[
                alt.Tooltip("country_name:N", title="Country"),
                "year:N",
                alt.Tooltip("value:Q", format=",", title=unit),
                alt.Tooltip("share_pct:Q", title="Share of world (%)"),
                alt.Tooltip("status:N"),
            ],
        )
        .properties(title=title, height=alt.Step(11))
    )


def stage_share_chart(shares: pd.DataFrame, source_names: dict[str, str]) -> alt.Chart:
    data = shares.copy()
    data["source"] = data["source_ids"].str.split(";").str[0].map(source_names).fillna(data["source_ids"])
    data["label"] = data["share_pct"].map(lambda v: f"{v:g}%") + " · " + data["year"].astype(str)
    order = [STAGE_LABELS[s] for s in ("mining", "refining", "magnets")]
    x = alt.X("stage_label:N", sort=order, title="Stage of the supply chain", axis=alt.Axis(labelAngle=0))
    scale = alt.Scale(domain=[40, 100], zero=False)
    rng = (
        alt.Chart(data)
        .mark_rule(strokeWidth=10, opacity=0.25, color="#D55E00")
        .encode(x=x, y=alt.Y("min(share_pct):Q", scale=scale), y2="max(share_pct):Q")
    )
    dots = (
        alt.Chart(data)
        .mark_point(filled=True, size=120, color="#D55E00")
        .encode(
            x=x,
            y=alt.Y("share_pct:Q", title="China's share (%)", scale=scale),
            shape=alt.Shape("basis:N", title="Basis"),
            tooltip=[
                "stage_label:N",
                "year:Q",
                "share_pct:Q",
                "qualifier:N",
                "source:N",
                "basis:N",
                "note:N",
            ],
        )
    )
    ref = alt.Chart(pd.DataFrame({"y": [80]})).mark_rule(strokeDash=[6, 4], color="#333333").encode(y="y:Q")
    ref_label = (
        alt.Chart(pd.DataFrame({"y": [80], "t": ["'over 80%' (the seed articles' claim)"]}))
        .mark_text(align="left", dx=4, dy=-8, color="#333333")
        .encode(y="y:Q", text="t:N")
    )
    return (rng + dots + ref + ref_label).properties(
        title="China's share of rare earths by stage: each dot is one source", height=340, width="container"
    )


def hhi_chart(conc: pd.DataFrame) -> alt.Chart:
    data = conc.copy()
    data["kind"] = data["lower_bound"].map({True: "lower bound (China only)", False: "from country data"})
    base = alt.Chart(data).encode(y=alt.Y("stage_label:N", title=None, sort=list(data["stage_label"])))
    bars = base.mark_bar(color="#0072B2", opacity=0.8).encode(
        x=alt.X(
            "hhi_low:Q",
            title="HHI (0-10,000; above 2,500 = highly concentrated)",
            scale=alt.Scale(domain=[0, 10000]),
        ),
        tooltip=["stage_label:N", "hhi_low:Q", "hhi_high:Q", "basis:N"],
        opacity=alt.Opacity("kind:N", title="Basis", scale=alt.Scale(range=[0.9, 0.45])),
    )
    span = base.mark_rule(strokeWidth=2, color="#333333").encode(x="hhi_low:Q", x2="hhi_high:Q")
    ref = alt.Chart(pd.DataFrame({"x": [2500]})).mark_rule(strokeDash=[4, 4], color="#CC3311").encode(x="x:Q")
    return (bars + span + ref).properties(
        title="Concentration (Herfindahl-Hirschman index) by stage", height=alt.Step(34), width="container"
    )


def magnet_exports_figure(exports: pd.DataFrame, events: pd.DataFrame) -> go.Figure:
    m = exports.copy()
    m["x"] = pd.to_datetime(m["month"] + "-15")
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    total = m["tonnes_total"]
    fig.add_trace(
        go.Bar(
            x=m["x"],
            y=total,
            name="To all destinations (t)",
            marker={
                "color": "#999999",
                "pattern": {"shape": ["/" if s == "computed" else "" for s in m["total_status"]]},
            },
            customdata=m[["month", "total_status"]].to_numpy(),
            hovertemplate="%{customdata[0]}: %{y:,.0f} t (%{customdata[1]})<extra></extra>",
        ),
        secondary_y=False,
    )
    fig.add_trace(
        go.Scatter(
            x=m["x"],
            y=m["tonnes_to_us"],
            name="To the United States (t, right axis)",
            mode="lines+markers",
            line={"color": SIDE_COLORS["US"], "width": 2},
            connectgaps=False,
            hovertemplate="%{x|%b %Y}: %{y:,.1f} t to the US<extra></extra>",
        ),
        secondary_y=True,
    )
    for row in m[m["total_status"] == "unverified"].itertuples():
        fig.add_annotation(x=row.x, y=0, text="n/a", showarrow=False, yshift=10, font={"color": "#777777"})
    for row in events.itertuples():
        fig.add_vline(x=row.plot_date, line={"color": CATEGORY_COLORS.get(row.category, "#333"), "dash": "dot"})
        fig.add_annotation(
            x=row.plot_date,
            y=1.0,
            yref="paper",
            text=esc(row.id),
            hovertext=f"{esc(row.title)}<br>{esc(format_event_date(row.date, row.date_precision))}",
            showarrow=False,
            yshift=8,
            font={"size": 10},
        )
    _layout(fig, "China's rare-earth magnet exports by month, with magnet-lever events", height=440)
    fig.update_yaxes(title_text="tonnes, all destinations", rangemode="tozero", secondary_y=False)
    fig.update_yaxes(title_text="tonnes to the US", rangemode="tozero", showgrid=False, secondary_y=True)
    return fig


def minerals_chart(supply: pd.DataFrame, source_names: dict[str, str]) -> alt.Chart:
    data = supply[supply["mineral"].isin(["gallium", "germanium", "graphite"]) & supply["share_pct"].notna()].copy()
    data["stage_label"] = data["stage"].map(STAGE_LABELS)
    data["row"] = data["mineral"].str.capitalize() + " · " + data["stage_label"]
    data["source"] = data["source_ids"].map(source_names).fillna(data["source_ids"])
    rng = (
        alt.Chart(data)
        .mark_rule(strokeWidth=8, opacity=0.25, color="#D55E00")
        .encode(
            y=alt.Y("row:N", title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X("min(share_pct):Q", scale=alt.Scale(domain=[40, 100], zero=False)),
            x2="max(share_pct):Q",
        )
    )
    dots = (
        alt.Chart(data)
        .mark_point(filled=True, size=100, color="#D55E00")
        .encode(
            y="row:N",
            x=alt.X("share_pct:Q", title="China's share (%)", scale=alt.Scale(domain=[40, 100], zero=False)),
            tooltip=["row:N", "share_pct:Q", "qualifier:N", "year:Q", "source:N", "note:N"],
        )
    )
    return (rng + dots).properties(
        title="Gallium, germanium, graphite: China's share, range across sources", height=alt.Step(34)
    )


def chain_figure(events: pd.DataFrame, links: pd.DataFrame) -> go.Figure:
    """A compact view of the 2025 chain: linked 2025 events in date order, one row each."""
    ids = set(links["from_event"]) | set(links["to_event"])
    chain = events[events["id"].isin(ids) & events["date"].str.startswith("2025")].sort_values("plot_date")
    chain = chain.reset_index(drop=True)
    chain["row"] = range(len(chain), 0, -1)
    fig = go.Figure(
        go.Scatter(
            x=chain["plot_date"],
            y=chain["row"],
            mode="markers+text",
            text=[esc(t) for t in chain["title"]],
            textposition="middle right",
            marker={"size": 10, "color": [CATEGORY_COLORS[c] for c in chain["category"]]},
            hovertext=[f"{esc(r.id)} · {esc(format_event_date(r.date, r.date_precision))}" for r in chain.itertuples()],
            hovertemplate="%{hovertext}<extra></extra>",
            cliponaxis=False,
        )
    )
    _layout(fig, "The 2025 chain of moves (linked events only)", height=max(260, 28 * len(chain) + 90))
    fig.update_yaxes(visible=False)
    fig.update_xaxes(range=[pd.Timestamp("2025-03-15"), pd.Timestamp("2026-03-31")])
    return fig


# ---------------------------------------------------------------------------
# Scenario model.
# ---------------------------------------------------------------------------


def scenario_figure(rng: pd.DataFrame, backtest: pd.DataFrame) -> go.Figure:
    """Net China revenue per quarter: low-high band, base path, serviceable demand, sourced actuals."""
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=rng["quarter"],
            y=rng["high"],
            mode="lines",
            line={"width": 0},
            name="High",
            showlegend=False,
            hovertemplate="%{x}: high $%{y:.2f}B<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=rng["quarter"],
            y=rng["low"],
            mode="lines",
            line={"width": 0},
            fill="tonexty",
            fillcolor="rgba(0,114,178,0.18)",
            name="Low-high range",
            hovertemplate="%{x}: low $%{y:.2f}B<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=rng["quarter"],
            y=rng["base"],
            mode="lines+markers",
            line={"color": SIDE_COLORS["US"], "width": 3},
            name="Expected net revenue (base)",
            hovertemplate="%{x}: base $%{y:.2f}B<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=rng["quarter"],
            y=rng["serviceable"],
            mode="lines",
            line={"color": "#555555", "dash": "dash"},
            name="Serviceable demand (no controls)",
            hovertemplate="%{x}: serviceable $%{y:.2f}B<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=backtest["quarter"],
            y=backtest["actual_usd_b"],
            mode="markers",
            marker={"symbol": "diamond", "size": 12, "color": SIDE_COLORS["China"]},
            name="Actual H20 sales to China (sourced)",
            hovertext=[esc(n) for n in backtest["note"]],
            hovertemplate="%{x}: actual $%{y:.2f}B<br>%{hovertext}<extra></extra>",
        )
    )
    _layout(fig, "Nvidia China data-center revenue by quarter: scenario range and actuals", height=430)
    fig.update_yaxes(title_text="USD billions per quarter", rangemode="tozero")
    return fig


def tornado_figure(t: pd.DataFrame) -> go.Figure:
    """Total net revenue over the horizon as each input alone moves to the ends of its band."""
    base = float(t["base"].iloc[0]) if len(t) else 0.0
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=t["input"],
            x=t["low"] - base,
            base=base,
            orientation="h",
            name="Pessimistic end",
            marker_color="#D55E00",
            customdata=t[["band"]].to_numpy(),
            hovertemplate="%{y}: $%{x:.2f}B change (band %{customdata[0]})<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            y=t["input"],
            x=t["high"] - base,
            base=base,
            orientation="h",
            name="Optimistic end",
            marker_color="#0072B2",
            customdata=t[["band"]].to_numpy(),
            hovertemplate="%{y}: $%{x:.2f}B change (band %{customdata[0]})<extra></extra>",
        )
    )
    fig.add_vline(x=base, line={"color": "#333333", "dash": "dot"})
    _layout(fig, "Sensitivity: total net revenue over 8 quarters (USD billions)", height=380, barmode="overlay")
    fig.update_xaxes(title_text=f"USD billions (base: {base:.2f})")
    return fig
