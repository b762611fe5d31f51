"""Derived figures: shares, concentration, revenue series. Each says how it was derived."""

from __future__ import annotations

import pandas as pd

COUNTRY_NAMES = {
    "CN": "China",
    "US": "United States",
    "MM": "Burma (Myanmar)",
    "AU": "Australia",
    "NG": "Nigeria",
    "TH": "Thailand",
    "IN": "India",
    "RU": "Russia",
    "MG": "Madagascar",
    "MY": "Malaysia",
    "VN": "Vietnam",
    "BR": "Brazil",
    "CA": "Canada",
    "GL": "Greenland",
    "TZ": "Tanzania",
    "ZA": "South Africa",
    "OTHER": "Other countries",
    "WORLD": "World",
}
STAGE_ORDER = ("mining", "refining", "magnets")
STAGE_LABELS = {
    "mining": "Mining",
    "refining": "Refining",
    "magnets": "Magnets",
    "reserves": "Reserves",
    "primary_production": "Primary production",
}


def usgs_tonnages(supply: pd.DataFrame, stage: str, source_prefix: str = "usgs_mcs2025_ree") -> pd.DataFrame:
    """USGS MCS 2025 tonnages for one stage, with each country's computed share of the world row."""
    rows = supply[
        (supply["mineral"] == "rare_earths")
        & (supply["stage"] == stage)
        & supply["value"].notna()
        & (supply["source_ids"].str.startswith(source_prefix + ";") | (supply["source_ids"] == source_prefix))
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
    ][["stage", "year", "share_pct", "qualifier", "source_ids", "note"]].assign(basis="as published")
    computed = usgs_tonnages(supply, "mining")
    computed = computed[computed["country"] == "CN"][["stage", "year", "share_pct", "source_ids"]].assign(
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

    Mining and reserves: from USGS country tonnages (2024), with 'Other countries' left out
    because it is not one producer, so the value is exact up to that remainder. Refining and
    magnets: only China's share is published, so the index is a lower bound (China's share
    squared), shown for the lowest and highest published share.
    """
    rows = []
    for stage in ("mining", "reserves"):
        t = usgs_tonnages(supply, stage)
        t = t[(t["year"] == 2024) & (t["country"] != "OTHER")]
        if len(t):
            rows.append(
                {
                    "stage": stage,
                    "hhi_low": round(hhi(t["share_pct"])),
                    "hhi_high": round(hhi(t["share_pct"])),
                    "basis": "USGS 2024 country tonnages",
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
