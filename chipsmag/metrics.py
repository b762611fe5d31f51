"""Derived figures: shares, concentration, revenue series. Each says how it was derived."""

from __future__ import annotations

import pandas as pd

from chipsmag import vocab

COUNTRY_NAMES = vocab.labels("supply", "country")
STAGE_ORDER = ("mining", "refining", "magnets")  # the stages whose China share the dashboard shows, in chain order
STAGE_LABELS = vocab.labels("supply", "stage")


def usgs_editions(supply: pd.DataFrame) -> list[str]:
    """Editions of USGS Mineral Commodity Summaries with rare-earth country tables, newest first."""
    rows = supply[
        (supply["mineral"] == "rare_earths")
        & supply["edition"].fillna("").str.startswith("MCS ")
        & supply["value"].notna()
        & ~supply["country"].isin(["WORLD", "OTHER", "CN"])
    ]
    return sorted(pd.unique(rows["edition"]).tolist(), reverse=True)


def usgs_tonnages(supply: pd.DataFrame, stage: str, edition: str | None = None) -> pd.DataFrame:
    """USGS tonnages of one edition (default: the newest) for one stage, with each country's
    computed share of that edition's world row for the same year."""
    editions = usgs_editions(supply)
    edition = edition or (editions[0] if editions else "")
    rows = supply[
        (supply["mineral"] == "rare_earths")
        & (supply["stage"] == stage)
        & supply["value"].notna()
        & (supply["edition"] == edition).fillna(False)
    ].copy()
    world = rows[rows["country"] == "WORLD"].set_index("year")["value"]
    rows = rows[rows["country"] != "WORLD"]
    rows["world"] = rows["year"].map(world)
    rows["share_pct"] = (rows["value"] / rows["world"] * 100).round(1)
    rows["country_name"] = rows["country"].map(COUNTRY_NAMES).fillna(rows["country"])
    return rows


def china_stage_shares(supply: pd.DataFrame) -> pd.DataFrame:
    """China's share of rare earths at each stage, one row per source and year.

    USGS tonnages give computed shares (China over world); other sources give shares
    directly. Projections are left out: this compares what is, not what may be.
    """
    direct = supply[
        (supply["mineral"] == "rare_earths")
        & (supply["country"] == "CN")
        & supply["share_pct"].notna()
        & (supply["status"] != "projection")
    ]
    keep = ["stage", "year", "share_pct", "qualifier", "source_ids", "edition", "note"]
    direct = direct[keep + (["strength"] if "strength" in direct.columns else [])].assign(basis="as published")
    computed = usgs_tonnages(supply, "mining")
    computed = computed[computed["country"] == "CN"][["stage", "year", "share_pct", "source_ids", "edition"]].assign(
        qualifier="exact", basis="computed from USGS tonnages", note="China's tonnage over the world total."
    )
    out = pd.concat([computed, direct], ignore_index=True)
    out = out[out["stage"].isin(STAGE_ORDER)]
    out["stage_label"] = out["stage"].map(STAGE_LABELS)
    return out.sort_values(["stage", "year", "share_pct"], key=_stage_key).reset_index(drop=True)


def _stage_key(col: pd.Series) -> pd.Series:
    if col.name == "stage":
        return col.map({s: i for i, s in enumerate(STAGE_ORDER)})
    return col


def hhi(shares_pct: pd.Series) -> float:
    """Herfindahl-Hirschman index on a 0-10,000 scale from percentage shares."""
    return float((shares_pct**2).sum())


def stage_concentration(supply: pd.DataFrame, shares: pd.DataFrame | None = None) -> pd.DataFrame:
    """HHI per stage.

    Mining and reserves: from the newest USGS edition's latest year of country tonnages, with 'Other countries' left out
    because it is not one producer, so the value is exact up to that remainder. Refining and
    magnets: only China's share is published, so the index is a lower bound (China's share
    squared), shown for the lowest and highest published share.
    """
    rows = []
    for stage in ("mining", "reserves"):
        t = usgs_tonnages(supply, stage)
        t = t[(t["year"] == t["year"].max()) & (t["country"] != "OTHER")]
        if len(t):
            rows.append(
                {
                    "stage": stage,
                    "hhi_low": round(hhi(t["share_pct"])),
                    "hhi_high": round(hhi(t["share_pct"])),
                    "basis": f"USGS {t['edition'].iloc[0]}, {t['year'].iloc[0]} country tonnages",
                    "lower_bound": False,
                }
            )
    shares = china_stage_shares(supply) if shares is None else shares
    for stage in ("refining", "magnets"):
        s = shares[shares["stage"] == stage]["share_pct"]
        if len(s):
            rows.append(
                {
                    "stage": stage,
                    "hhi_low": round(s.min() ** 2),
                    "hhi_high": round(s.max() ** 2),
                    "basis": "China's published share only: a lower bound",
                    "lower_bound": True,
                }
            )
    out = pd.DataFrame(rows)
    if len(out):
        out["stage_label"] = out["stage"].map(STAGE_LABELS)
    return out


def nvidia_annual(revenue: pd.DataFrame) -> pd.DataFrame:
    """Nvidia fiscal years: total, China (incl. HK), rest of world and China's share."""
    years = revenue[(revenue["company"] == "nvidia") & (revenue["period_type"] == "year")]
    wide = years.pivot(index="fiscal_period", columns="metric", values="value_usd_m")
    status = years.pivot(index="fiscal_period", columns="metric", values="status")
    out = pd.DataFrame(
        {
            "fiscal_period": wide.index,
            "total": wide.get("total"),
            "china": wide.get("china_incl_hk"),
            "china_status": status.get("china_incl_hk"),
        }
    ).reset_index(drop=True)
    # A year without its total (left out of a view) cannot be drawn; a China figure left out reads
    # as not reported.
    out = out[out["total"].notna()].copy()
    out["china_status"] = out["china_status"].fillna("not in view")
    out["rest"] = out["total"] - out["china"].fillna(0)
    out["china_share_pct"] = (out["china"] / out["total"] * 100).round(1)
    ends = years.drop_duplicates("fiscal_period").set_index("fiscal_period")["period_end"]
    out["period_end"] = out["fiscal_period"].map(ends)
    return out.sort_values("period_end").reset_index(drop=True)


def nvidia_quarters(revenue: pd.DataFrame) -> pd.DataFrame:
    q = revenue[(revenue["company"] == "nvidia") & (revenue["period_type"] == "quarter")]
    return q.sort_values(["period_end", "metric"]).reset_index(drop=True)


def sources_of(frame: pd.DataFrame, column: str = "source_ids") -> list[str]:
    """Every source id cited by the rows of a frame, in first-seen order."""
    seen: dict[str, None] = {}
    for ids in pd.unique(frame[column].dropna()):  # id lists repeat: walk each distinct one once
        for sid in str(ids).split(";"):
            seen.setdefault(sid.strip(), None)
    return list(seen)


def events_in_periods(events: pd.DataFrame, period_ends: pd.Series, months: int) -> dict[str, pd.DataFrame]:
    """The events (with plot_date) that fall in each fiscal period.

    ``period_ends`` maps period labels to end dates, in ascending order; a period runs from the day
    after the previous end (for the first, ``months`` before its end) to its own end.
    """
    ends = pd.to_datetime(period_ends)
    if ends.empty or events.empty:
        return {}
    dates = events["plot_date"]
    period = ends.searchsorted(dates, side="left")  # the first period ending on or after each date
    first_start = ends.iloc[0] - pd.DateOffset(months=months)
    keep = (period < len(ends)) & ~((period == 0) & (dates <= first_start).to_numpy())
    inside = events[keep]
    groups = dict(tuple(inside.groupby(period[keep], sort=True)))
    labels = list(ends.index)
    return {labels[k]: frame for k, frame in groups.items()}


def tariff_lines(tariffs: pd.DataFrame, layers: pd.DataFrame) -> pd.DataFrame:
    """Each side's headline additional rate, derived from its legal layers: at every date a
    general layer changes, the sum of the general layers in force (never typed by hand).

    Columns: side, day, rate (NaN where a general layer's scheduled end has passed without a
    recorded outcome: from then on the headline rate is not known), components (the sum in
    words), trigger, computed, unknown.
    """
    meta = layers.set_index("id")
    rows = tariffs[tariffs["status"].isin(["in_force", "lapse_scheduled"])].copy()
    rows["side"] = rows["layer"].map(meta["side"])
    rows["scope"] = rows["layer"].map(meta["scope"])
    rows = rows[rows["scope"] == "general"].sort_values("effective_date", kind="stable")
    out = []
    for side, side_rows in rows.groupby("side", sort=True):
        for day in pd.unique(side_rows["effective_date"]):
            upto = side_rows[side_rows["effective_date"] <= day]
            latest = upto.groupby("layer", sort=False).tail(1)
            unknown = bool((latest["status"] == "lapse_scheduled").any())
            live = latest[(latest["status"] == "in_force") & (latest["rate_pct"] > 0)]
            today = side_rows[side_rows["effective_date"] == day]
            out.append(
                {
                    "side": side,
                    "day": day,
                    "rate": float("nan") if unknown else float(live["rate_pct"].sum()),
                    "components": " + ".join(
                        f"{meta.at[layer, 'name']} {rate:g}%"
                        for layer, rate in zip(live["layer"], live["rate_pct"], strict=True)
                    )
                    or "none",
                    "trigger": "; ".join(pd.unique(today["trigger"])),
                    "computed": bool(today["computed"].any()) or len(live) > 1,
                    "unknown": unknown,
                }
            )
    return pd.DataFrame(out, columns=["side", "day", "rate", "components", "trigger", "computed", "unknown"])


def tariffs_in_force(tariffs: pd.DataFrame, layers: pd.DataFrame, day: str) -> pd.DataFrame:
    """Every layer's state on ``day``: its last in-force rate, or 'outcome not in the data' where a
    scheduled end has passed by then. Layers not yet in force on that date are left out."""
    meta = layers.set_index("id")
    rows = tariffs[tariffs["status"].isin(["in_force", "lapse_scheduled"]) & (tariffs["effective_date"] <= day)]
    latest = rows.sort_values("effective_date", kind="stable").groupby("layer", sort=False).tail(1)
    out = latest.assign(
        side=latest["layer"].map(meta["side"]),
        scope=latest["layer"].map(meta["scope"]),
        name=latest["layer"].map(meta["name"]),
        authority=latest["layer"].map(meta["authority"]),
    )
    return out.sort_values(["side", "scope", "name"], ascending=[False, True, True]).reset_index(drop=True)


def link_years(events: pd.DataFrame, links: pd.DataFrame, min_links: int = 5) -> tuple[str, ...]:
    """Years in which at least ``min_links`` links end (the answering move's year), oldest first:
    the periods worth opening a chain or linkage view on."""
    years = links["to_event"].map(events.set_index("id")["date"].str[:4]).value_counts()
    return tuple(sorted(str(y) for y, n in years.items() if n >= min_links))


def latest_quarter(revenue: pd.DataFrame, company: str = "nvidia") -> pd.DataFrame:
    """The newest quarter with a reported total: its rows (reported ones only), indexed by metric."""
    q = revenue[
        (revenue["company"] == company) & (revenue["period_type"] == "quarter") & (revenue["status"] == "reported")
    ]
    totals = q[q["metric"] == "total"]
    if totals.empty:
        return q.iloc[0:0].set_index("metric")
    period = totals.sort_values("period_end").iloc[-1]["fiscal_period"]
    return q[q["fiscal_period"] == period].set_index("metric")


def latest_exports(exports: pd.DataFrame) -> pd.Series | None:
    """The newest reported period of magnet exports, or None."""
    reported = exports[exports["total_status"] == "reported"]
    return None if reported.empty else reported.sort_values("period_start").iloc[-1]
