"""Figures and charts that depend on the data alone (the sidebar filters do not touch them),
derived once per data version and shared read-only by every session."""

from __future__ import annotations

import pandas as pd

from app_pages.supply import charts
from chipsmag import metrics
from chipsmag.loading import Dataset
from components.data import per_version, source_names


@per_version
def usgs_tonnages(ds: Dataset, stage: str, edition: str | None = None) -> pd.DataFrame:
    return metrics.usgs_tonnages(ds.tables["supply"], stage, edition)


@per_version
def tariff_lines(ds: Dataset) -> pd.DataFrame:
    """Each side's headline additional rate, summed from its legal layers (data only)."""
    return metrics.tariff_lines(ds.tables["tariffs"], ds.tables["tariff_layers"])


@per_version
def china_stage_shares(ds: Dataset) -> pd.DataFrame:
    return metrics.china_stage_shares(ds.tables["supply"])


@per_version
def stage_concentration(ds: Dataset) -> pd.DataFrame:
    return metrics.stage_concentration(ds.tables["supply"], china_stage_shares(ds))


@per_version
def nvidia_annual(ds: Dataset) -> pd.DataFrame:
    return metrics.nvidia_annual(ds.tables["revenue"])


@per_version
def nvidia_quarters(ds: Dataset) -> pd.DataFrame:
    return metrics.nvidia_quarters(ds.tables["revenue"])


@per_version
def usgs_country_spec(ds: Dataset, stage: str, edition: str | None = None) -> dict:
    return charts.usgs_country_chart(usgs_tonnages(ds, stage, edition), stage)


@per_version
def stage_share_spec(ds: Dataset) -> dict:
    return charts.stage_share_chart(china_stage_shares(ds), source_names(ds))


@per_version
def hhi_spec(ds: Dataset) -> dict:
    return charts.hhi_chart(stage_concentration(ds))


@per_version
def minerals_spec(ds: Dataset) -> dict:
    return charts.minerals_chart(ds.tables["supply"], source_names(ds))
