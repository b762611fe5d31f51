"""The Sources & data page's fixed texts (the methodology itself is methodology.md)."""

STRENGTH_NOTE = (
    "Each fact row graded by its best source: official (a filing, a government text or official statistics), "
    "wire or outlet (a wire story or an outlet's own reporting), secondary only (analysis, aggregators, "
    "mirrors: a copy of a wire story on another site counts as secondary). 'official or 2+': rows with an "
    "official source or two independent publishers (Global Trade Alert's rule). Computed from the sources "
    "table's kind and original publisher."
)
STABLE_URLS = (
    "Each file exactly as it is in the project's data/ folder, at a URL that stays the same from "
    "release to release: fetch it from a script, a spreadsheet or a notebook. The data version above "
    "tells which release it is."
)
NO_STABLE_URLS = (
    "This server reads its data from another folder (CHIPSMAG_DATA_DIR): the stable URLs serve "
    "the bundled data, not what these pages show, so they are not listed."
)
RELEASES = (
    "Each release of the data, newest first: its version (a content hash of the tables), date, summary and how "
    "far its record reached. Shared links name the version they were made on."
)
NO_RELEASES = "No releases are recorded beside this data (releases.csv)."


def no_history(previous: str) -> str:
    return (
        f"The data of release {previous} cannot be read here (no repository history), so the rows that "
        "changed are not listed."
    )


def upgrade_label(rows: int) -> str:
    return f"{rows:,} rows backed by secondary sources only: a curator's list to upgrade"
