"""Sources & data: every source, the data dictionary, downloads, methodology and the data version."""

import pandas as pd
import streamlit as st

from chipsmag.filters import apply_to_events
from components import layout, urlbind
from components.data import actor_names, data_dir, dated_events
from components.frame import Frame
from components.registry import param


def render(frame: Frame) -> None:
    ds = frame.ds
    st.title("Sources & data")
    st.caption(f"Data version **{ds.version}** (content hash of the tables), latest source dated {ds.as_of or 'n/a'}.")

    # 1. Sources.
    st.subheader("Sources")
    if "sources" in ds.tables:
        src = ds.tables["sources"]
        kinds = src["kind"].value_counts()
        st.caption(" · ".join(f"{k.replace('_', ' ')}: {n}" for k, n in kinds.items()))
        st.dataframe(
            src[["id", "publisher", "original_publisher", "title", "published", "kind", "url", "note"]],
            hide_index=True,
            key="src_table",
            column_config={"url": st.column_config.LinkColumn("url", display_text="open")},
        )
    else:
        st.error("data/sources.csv did not load; see the list of problems below.")

    # 2. Data dictionary.
    st.subheader("Data dictionary")
    names = [r["name"] for r in ds.descriptor["resources"]]
    table = st.selectbox("Table", names, key="table", bind="query-params")
    urlbind.register(param(ds, "table"), table, names[0])
    res = ds.resource(table)
    st.markdown(f"**{res['title']}** (`data/{res['path']}`): {res['description']}")
    fields = pd.DataFrame(
        [
            {
                "column": fld["name"],
                "type": fld["type"],
                "unit": fld.get("unit", ""),
                "required": fld.get("constraints", {}).get("required", False),
                "allowed / range": ", ".join(fld.get("constraints", {}).get("enum", []))
                or " to ".join(
                    str(fld["constraints"][k]) for k in ("minimum", "maximum") if k in fld.get("constraints", {})
                ),
                "references": fld.get("x_references", {}).get("resource", ""),
                "meaning": fld["description"],
            }
            for fld in res["schema"]["fields"]
        ]
    )
    st.dataframe(fields, hide_index=True, key="dict_table")
    if res.get("x_checks"):
        st.caption("Table rules: " + ", ".join(c.replace("_", " ") for c in res["x_checks"]))

    # 3. Downloads.
    st.subheader("Downloads")
    cols = st.columns(3)
    for i, res_i in enumerate(ds.descriptor["resources"]):
        path = data_dir() / res_i["path"]
        if path.exists():
            cols[i % 3].download_button(
                f"{res_i['title']} ({res_i['path']})",
                data=path.read_bytes,
                file_name=res_i["path"],
                mime="text/csv",
                key=f"dl_{res_i['name']}",
                icon=":material/download:",
                on_click="ignore",
            )
    if "events" in ds.tables and "actors" in ds.tables:
        f = frame.filters
        layout.filtered_line(f, actor_names(ds), "this download")
        visible = apply_to_events(dated_events(ds), f)
        layout.download(
            visible, "events_filtered", f"Events in the current filter ({len(visible)} rows, CSV)", "dl_view"
        )

    # 4. Problems, if any.
    if ds.issues:
        st.subheader("Data problems")
        st.error(f"{len(ds.issues)} problem(s) in {', '.join(sorted(ds.broken))}.")
        st.dataframe(pd.DataFrame([vars(i) for i in ds.issues]), hide_index=True, key="issues_table")

    # 5. Methodology and caveats.
    st.subheader("Methodology and caveats")
    st.markdown(
        """
    - **Where the numbers come from.** Every row of every table cites one or more sources by id. The fact
      sheet behind the data read each figure from the page listed; where that page is a mirror, an aggregator
      or a licensed wire story, the original publisher is named and the kind recorded as such.
    - **Revenue by billing location.** Nvidia assigns revenue to the customer's billing location. China
      (incl. Hong Kong) is therefore not the same as chips used in China; Singapore bills far more than it takes.
    - **Licensing is not a ban.** China's April 2025 rare-earth measures were licence requirements; shipments
      collapsed (May magnet exports -74% y/y) but were not formally banned. The US H20 rule was also a licence
      requirement.
    - **Estimates and computed values** are flagged in the data (`status`, `computed`, `qualifier`) and on the
      charts (light grey bars, 'computed' or 'unverified' in tooltips). USGS country figures marked estimate are USGS's own.
    - **Conflicts are shown as ranges.** Where sources disagree (magnet share 90/92/95%, germanium 59-91%,
      the 2023 mine-output revision), each value is its own row with its own source.
    - **Unverified figures are left empty or flagged**, never guessed and never in a headline: Nvidia's FY2026
      China revenue and its quarterly China revenue where no filing or release gave it. Figures read only in
      unofficial copies of filings (Nvidia Q2 FY2027, AMD Q2 2026) are recorded as unverified.
    - **Links** between events are *stated* when a party or the cited reporting connects them, *inferred*
      when the curators read the connection from timing and content.
    - **Tariffs** are kept by legal layer (IEEPA fentanyl and reciprocal, Section 122, Section 301 lines on
      magnets and graphite, Section 232 on advanced chips, China's retaliatory rate). Each side's headline
      additional rate is the sum of its general layers, computed, never typed. These are headline statutory
      rates, not trade-weighted averages (officials put the average at about 57% before Busan and 47% after).
      Threatened and announced-but-never-implemented rates are kept and marked.
    - **How far the record reaches.** Moves are curated densely to the coverage end shown at the top of
      every page; sources searched after it were nearly silent, so later moves may be missing. A scheduled
      date after the coverage end that has passed is shown as "passed; outcome not in the data", never as
      still suspended and never as ended.
    - **Measures have states, not just events.** The State of play reads each instrument's recorded
      states; a state scheduled to end after the coverage end, with nothing recorded after it, is shown
      from that date as "outcome not recorded". Tariff rates stay in the tariff table, by legal layer.
    - **Two-month figures stay whole.** China Customs reported January and February 2026 magnet exports as
      one figure; it is one row and one bar, never split by guesswork.
    - **USGS editions.** Each Mineral Commodity Summaries edition revises the year before; both editions
      are kept (the edition is part of a row's identity) and the Supply page says which one it shows.
    - **Month-only dates** (June 2019, October 2023, late May 2025) are drawn at mid-month.
    """
    )
