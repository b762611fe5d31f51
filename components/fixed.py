"""Figures that depend on the data alone (the sidebar filters do not touch them) and that several
pages show, derived once per data version and shared read-only by every session."""

from __future__ import annotations

import pandas as pd

from chipsmag import metrics
from chipsmag.loading import Dataset
from components.data import per_version


@per_version
def tariff_lines(ds: Dataset) -> pd.DataFrame:
    """Each side's headline additional rate, summed from its legal layers (data only)."""
    return metrics.tariff_lines(ds.tables["tariffs"], ds.tables["tariff_layers"])


@per_version
def china_stage_shares(ds: Dataset) -> pd.DataFrame:
    return metrics.china_stage_shares(ds.tables["supply"])


@per_version
def nvidia_annual(ds: Dataset) -> pd.DataFrame:
    return metrics.nvidia_annual(ds.tables["revenue"])


@per_version
def nvidia_quarters(ds: Dataset) -> pd.DataFrame:
    return metrics.nvidia_quarters(ds.tables["revenue"])
