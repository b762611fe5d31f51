"""The rules a curated table must keep (step 3): pandera schemas built from the descriptor's
constraints, and the table-level checks it names (``TABLE_CHECKS``)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from chipsmag.reading import DAY, MONTH, DataIssue

# ---------------------------------------------------------------------------
# Step 3: rules.
# ---------------------------------------------------------------------------


def _month_or_day_matches(df: pd.DataFrame) -> pd.Series:
    day = df["date"].fillna("").str.match(DAY)
    month = df["date"].fillna("").str.match(MONTH)
    return df["date"].isna() | ((df["date_precision"] == "day") & day) | ((df["date_precision"] == "month") & month)


def _value_unless_unverified(df: pd.DataFrame) -> pd.Series:
    return (df["status"] == "unverified") | df["value_usd_m"].notna()


def _magnet_values(df: pd.DataFrame) -> pd.Series:
    total = (df["total_status"] == "unverified") | df["tonnes_total"].notna()
    to_us = (df["to_us_status"] == "unverified") | df["tonnes_to_us"].notna()
    return total & to_us


def _claim_value(df: pd.DataFrame) -> pd.Series:
    point = df["value"].notna()
    ranged = df["value_low"].notna() & df["value_high"].notna()
    ordered = ~ranged | (df["value_low"] <= df["value_high"])
    return (point | ranged) & ordered.fillna(True)


def _value_or_share(df: pd.DataFrame) -> pd.Series:
    quantity = df["value"].notna() & df["unit"].notna()
    return quantity | df["share_pct"].notna()


SHARE_TOLERANCE_PCT = 1.0  # rounding in published shares
# One published set of figures: the same mineral, stage and year, from the same edition and source.
SUPPLY_GROUP = ["mineral", "stage", "year", "edition", "source_ids"]


def _shares_sum(df: pd.DataFrame) -> pd.Series:
    """Country shares of one mineral/stage/year from one edition and source sum to at most 100."""
    shares = df[df["share_pct"].notna() & ~df["country"].isin(["WORLD"])]
    totals = shares.groupby(SUPPLY_GROUP, dropna=False)["share_pct"].transform("sum")
    ok = pd.Series(True, index=df.index)
    ok.loc[shares.index] = totals <= 100 + SHARE_TOLERANCE_PCT
    return ok


WORLD_TOLERANCE = 0.03  # USGS rounds the world total; country figures may exceed it slightly


def _countries_sum_to_world(df: pd.DataFrame) -> pd.Series:
    """Country tonnages of one mineral/stage/year/edition/source do not exceed the world total."""
    qty = df[df["value"].notna() & df["unit"].notna()].assign(edition=df["edition"].fillna(""))
    keys = SUPPLY_GROUP
    world = qty[qty["country"] == "WORLD"].set_index(keys)["value"]
    countries = qty[qty["country"] != "WORLD"]
    sums = countries.groupby(keys)["value"].sum()
    over = sums[sums.index.isin(world.index)]
    over = over[over > world.reindex(over.index) * (1 + WORLD_TOLERANCE)]
    ok = pd.Series(True, index=df.index)
    if len(over):
        bad_keys = set(over.index)
        rows = countries[[tuple(r) in bad_keys for r in countries[keys].itertuples(index=False)]]
        ok.loc[rows.index] = False
    return ok


def _supply_identity(df: pd.DataFrame) -> pd.Series:
    """No two rows give the same figure: mineral, stage, country, year, edition and source."""
    keys = df[["mineral", "stage", "country", "year", "edition", "source_ids"]].astype("string").fillna("")
    return ~keys.duplicated(keep=False)


def _period_order(df: pd.DataFrame) -> pd.Series:
    both = df["period_start"].notna() & df["period_end"].notna()
    return ~both | (df["period_end"] >= df["period_start"])


def _periods_apart(df: pd.DataFrame) -> pd.Series:
    """A period starts after the previous one (by start) ends: no month is counted twice."""
    rows = df[df["period_start"].notna() & df["period_end"].notna()].sort_values("period_start")
    previous_end = rows["period_end"].shift()
    ok = pd.Series(True, index=df.index)
    ok.loc[rows.index] = previous_end.isna() | (rows["period_start"] > previous_end)
    return ok


def _scheduled_after_start(df: pd.DataFrame) -> pd.Series:
    both = df["from"].notna() & df["scheduled_until"].notna()
    return ~both | (df["scheduled_until"] >= df["from"])


def _rate_with_unit(df: pd.DataFrame) -> pd.Series:
    return df["rate"].isna() == df["rate_unit"].isna()


def _rate_unless_lapse(df: pd.DataFrame) -> pd.Series:
    return (df["status"] == "lapse_scheduled") == df["rate_pct"].isna()


TABLE_CHECKS = {
    "event_date_matches_precision": (
        _month_or_day_matches,
        "date",
        "date form must match date_precision (YYYY-MM-DD for day, YYYY-MM for month)",
    ),
    "value_present_unless_unverified": (
        _value_unless_unverified,
        "value_usd_m",
        "a value is required unless status is unverified",
    ),
    "magnet_value_present_unless_unverified": (
        _magnet_values,
        "tonnes_total",
        "tonnes are required unless the status is unverified",
    ),
    "claim_has_value_or_range": (
        _claim_value,
        "value",
        "needs a value, or value_low <= value_high",
    ),
    "supply_value_or_share": (
        _value_or_share,
        "value",
        "needs a value with its unit, or a share_pct",
    ),
    "shares_sum_at_most_100": (
        _shares_sum,
        "share_pct",
        "country shares of one mineral, stage, year and source add up to more than 100",
    ),
    "countries_sum_to_world": (
        _countries_sum_to_world,
        "value",
        "country values of one mineral, stage, year and source add up to more than the WORLD row",
    ),
    "supply_row_identity": (
        _supply_identity,
        "edition",
        "another row gives the same mineral, stage, country, year, edition and source",
    ),
    "period_end_not_before_start": (
        _period_order,
        "period_end",
        "period_end must not be before period_start",
    ),
    "periods_do_not_overlap": (
        _periods_apart,
        "period_start",
        "this period overlaps the period before it: a month must not be counted twice",
    ),
    "rate_present_unless_lapse_scheduled": (
        _rate_unless_lapse,
        "rate_pct",
        "a rate is required unless the status is lapse_scheduled, and a lapse_scheduled row has none",
    ),
    "scheduled_end_not_before_start": (
        _scheduled_after_start,
        "scheduled_until",
        "scheduled_until must not be before from",
    ),
    "rate_has_its_unit": (
        _rate_with_unit,
        "rate_unit",
        "a rate needs its rate_unit, and a rate_unit needs a rate",
    ),
    # Checked across tables in _check_references, listed here so the descriptor can name them.
    "states_follow_each_other": (
        None,
        "scheduled_until",
        "this state was scheduled to end before the measure's next state begins: record what came between",
    ),
    "link_goes_forward_in_time": (None, "to_event", "a link must not point back in time"),
    "deadline_in_coverage_has_outcome": (
        None,
        "outcome_event",
        "this date is on or before the coverage end (curated_to in data/datapackage.json): "
        "name the event that records its outcome",
    ),
}


def build_schema(resource: dict) -> pa.DataFrameSchema:
    """A pandera schema for a typed table, from its descriptor entry."""
    columns = {}
    for spec in resource["schema"]["fields"]:
        c = spec.get("constraints", {})
        checks = []
        if "enum" in c:
            checks.append(pa.Check.isin(c["enum"], error=f"must be one of: {', '.join(c['enum'])}"))
        if "minimum" in c:
            checks.append(pa.Check.ge(c["minimum"], error=f"must be at least {c['minimum']}"))
        if "maximum" in c:
            checks.append(pa.Check.le(c["maximum"], error=f"must be at most {c['maximum']}"))
        if "pattern" in c:
            checks.append(pa.Check.str_matches(c["pattern"], error=f"must match {c['pattern']}"))
        columns[spec["name"]] = pa.Column(
            None,  # typed by reading.type_table from this descriptor; checking them again cost a fifth of a load
            checks=checks,
            nullable=not c.get("required", False),
            unique=c.get("unique", False),
            report_duplicates="all",
        )
    table_checks = []
    for name in resource.get("x_checks", []):
        func, _column, message = TABLE_CHECKS[name]
        if func is not None:
            table_checks.append(pa.Check(func, name=name, error=message))
    key = resource["schema"].get("primaryKey", [])
    return pa.DataFrameSchema(
        columns,
        checks=table_checks,
        unique=key if len(key) > 1 else None,
        report_duplicates="all",
        strict=True,
        ordered=True,
    )


_CHECK_BY_MESSAGE = {message: name for name, (_f, _c, message) in TABLE_CHECKS.items()}


def _rule_text(check: str, column: str | None, resource: dict) -> str:
    if check == "not_nullable":
        return "required value is empty"
    if check in ("field_uniqueness", "multiple_fields_uniqueness"):
        key = resource["schema"].get("primaryKey", [])
        return "duplicate id" if len(key) == 1 else f"duplicate key ({', '.join(key)})"
    if check in TABLE_CHECKS:
        return TABLE_CHECKS[check][2]
    return check


def check_rules(
    df: pd.DataFrame,
    raw: pd.DataFrame,
    lines: pd.Series,
    resource: dict,
    file: str,
    already: set[tuple[int, str | None]],
) -> list[DataIssue]:
    """Check the typed frame; report values as the curator wrote them (from ``raw``)."""
    schema = build_schema(resource)
    try:
        schema.validate(df, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    # Column rules first: where a cell breaks both a column rule and a table rule, the
    # column rule is the more specific message and the one reported.
    is_table_check = cases["check"].astype(str).isin(_CHECK_BY_MESSAGE)
    cases = pd.concat([cases[~is_table_check], cases[is_table_check]])
    issues = []
    for case in cases.itertuples(index=False):
        idx = case.index
        if idx is None or pd.isna(idx):
            continue
        idx = int(idx)
        line = int(lines[idx])
        check = _CHECK_BY_MESSAGE.get(str(case.check), str(case.check))
        column = case.column if isinstance(case.column, str) and case.column in df.columns else None
        if check in TABLE_CHECKS:
            column = TABLE_CHECKS[check][1]
        if check == "multiple_fields_uniqueness":
            column = ", ".join(resource["schema"]["primaryKey"])
        if (line, column) in already:
            continue  # the cell already failed to parse; do not report it twice
        already.add((line, column))
        value = None if column is None or column not in raw.columns else raw.at[idx, column]
        value = None if value is None or pd.isna(value) else str(value)
        issues.append(DataIssue(file, line, column, value, _rule_text(check, column, resource)))
    return issues
