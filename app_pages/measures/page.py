"""State of play: what each side has in force on a date, what is suspended until when, and each
measure's life."""

import datetime as dt

import pandas as pd
import streamlit as st

from app_pages.measures import charts as measure_charts
from chipsmag import measures, metrics
from chipsmag.filters import with_plot_dates
from chipsmag.text import format_event_date, md_escape
from components import data, layout, sources, urlbind
from components.data import require
from components.frame import Frame
from components.registry import param


def render(frame: Frame) -> None:
    ds = frame.ds
    st.title("State of play")
    st.markdown(
        "What each side had in force on a date: export controls, licence rules, bans, lists and tariffs, with "
        "suspensions and the date each was scheduled to end. Pick a date; every measure opens a card with its states, "
        "events and sources."
    )
    if not require(ds, "measures", "measure_states", "events", "sources", "actors", "tariffs", "tariff_layers"):
        st.stop()
    t = ds.tables
    f = frame.filters
    actor_names = data.actor_names(ds)
    today = data.today()
    cov = ds.coverage
    default_day = min(cov.curated_to, today) if cov and cov.curated_to else today

    # 1. The date and the side (kept when the visitor comes back from another page).
    urlbind.restore("on", "side", "measure")
    on_param = param(ds, "on")
    c1, c2 = st.columns([1, 1])
    day = c1.date_input(
        "On date",
        value=default_day,
        min_value=on_param.bounds[0],
        max_value=on_param.bounds[1],
        format="YYYY-MM-DD",
        key="on",
        bind="query-params",
        help="Default: the coverage end, the last date the record is curated to. Any date from the first recorded "
        "measure to today.",
    )
    day = day if isinstance(day, dt.date) else default_day
    urlbind.register(on_param, day, default_day)
    side = c2.segmented_control(
        "Side", ["US", "China"], key="side", bind="query-params", help="One side, or both when none is picked."
    )
    urlbind.register(param(ds, "side"), side, None)
    if cov and cov.curated_to and day > cov.curated_to:
        st.warning(
            f"{format_event_date(day.isoformat(), 'day')} is after the coverage end "
            f"({format_event_date(cov.curated_to.isoformat(), 'day')}): a state shown here may have changed since "
            "without the data knowing, and a scheduled end that has passed shows as 'outcome not recorded'.",
            icon=":material/event_busy:",
        )

    # 2. Which measures: the side, and the shared lever and actor filters.
    chosen_sides = {"US": ["US"], "China": ["CN"]}.get(side or "", ["US", "CN"])
    ms = t["measures"][t["measures"]["side"].isin(chosen_sides)]
    if f.levers:
        ms = ms[ms["lever"].isin(f.levers)]
    if f.actors:
        ms = ms[ms["issuing_body"].isin(f.actors)]
    layout.filtered_line(f, actor_names, "measures (lever, issuing body) and the chart's time range")
    states = t["measure_states"][t["measure_states"]["measure"].isin(ms["id"])]
    now = measures.on_date(ms, states, day)

    st.subheader(f"On {format_event_date(day.isoformat(), 'day')}")
    if now.empty:
        layout.empty_state("measures in force or recorded by this date")
    else:
        columns = st.columns(len(chosen_sides))
        for col, code in zip(columns, chosen_sides, strict=True):
            with col, st.container(border=True):
                st.markdown(f"**{measures.SIDE_LABELS[code]}**")
                mine = now[now["side"] == code]
                for group in measures.GROUPS:
                    rows = mine[mine["group"] == group]
                    if rows.empty:
                        continue
                    lines = []
                    for r in rows.itertuples():
                        when = format_event_date(r.since, "day")
                        if pd.notna(r.days_left):
                            until = format_event_date(r.scheduled_until, "day")
                            extra = f"since {when}, until {until} ({r.days_left:.0f} days left)"
                        elif r.state == measures.OUTCOME_UNKNOWN:
                            extra = f"its scheduled end on {when} passed; outcome not recorded"
                        elif group == "Ended":
                            extra = f"{r.state_label.lower()} on {when}"
                        else:
                            extra = f"since {when}"
                        lines.append(f"- **{md_escape(r.name)}** ({md_escape(r.id)}): {md_escape(extra)}")
                    st.markdown(f"*{group}* ({len(rows)})\n\n" + "\n".join(lines))
        layout.download(
            now[
                ["id", "name", "number", "side", "lever", "authority", "state", "since", "scheduled_until", "days_left"]
            ],
            f"state_of_play_{day.isoformat()}",
            "Download this state of play (CSV)",
            "ms_dl",
        )
        sources.caption(ds, metrics.sources_of(states[states["measure"].isin(now["id"])]))

    # 3. Each measure's life.
    st.subheader("Each measure's life")
    spans = measures.timeline(states)
    if spans.empty:
        layout.empty_state("measures")
    else:
        domain = [f.start.isoformat(), max(f.end, day).isoformat()]
        chosen = urlbind.chosen_id(param(ds, "measure"))
        points = (st.session_state.get("ms_lives") or {}).get("selection", {}).get(measure_charts.LIVES_PICK) or []
        if points and str(points) != st.session_state.get("_ms_seen"):
            st.session_state["_ms_seen"] = str(points)
            clicked = str(points[0].get("measure")) if isinstance(points[0], dict) else None
            if clicked in set(ms["id"]):
                st.session_state["measure"] = chosen = clicked
        spec = measure_charts.lives_chart(spans, ms, day.isoformat(), domain, chosen)
        st.vega_lite_chart(spec, key="ms_lives", on_select="rerun")
        st.caption(
            "Bars: each state, coloured; dots: the event that changed it; the orange rule: the chosen date. Light grey: "
            "a scheduled end passed with no later state recorded (after the coverage end, where the sources are silent)."
        )
        sources.caption(ds, metrics.sources_of(states))

    # 4. The card of one measure.
    events = with_plot_dates(t["events"]).set_index("id")
    chosen = urlbind.id_select(
        st,
        param(ds, "measure"),
        ms["id"].tolist(),
        lambda ids: {i: f"{i} · {n}" for i, n in zip(ids, t["measures"].set_index("id").loc[ids, "name"], strict=True)},
        "Measure card",
        help="Pick a measure, or click its bar on the chart.",
        what="measures",
    )
    urlbind.remember(on=day, side=side, measure=chosen)
    if chosen:
        m = t["measures"].set_index("id").loc[chosen]
        with st.container(border=True, key="measure_card"):
            st.markdown(f"### {md_escape(m['name'])}")
            facts = [f"{md_escape(m['number'])}" if isinstance(m["number"], str) else None]
            facts += [f"{md_escape(measures.SIDE_LABELS[m['side']])}, {md_escape(m['lever'])} lever"]
            facts += [
                f"authority: {md_escape(m['authority'])}",
                f"issued by {md_escape(actor_names.get(m['issuing_body'], m['issuing_body']))}",
            ]
            st.caption(" · ".join(x for x in facts if x))
            st.markdown(md_escape(m["scope"]))
            mine = spans[spans["measure"] == chosen]
            lines = []
            for r in mine.itertuples():
                label = measures.STATE_LABELS[r.state]
                until = (
                    f", scheduled to end {format_event_date(r.scheduled_until, 'day')}"
                    if isinstance(r.scheduled_until, str)
                    else ""
                )
                ev = ""
                if isinstance(r.event_id, str) and r.event_id in events.index:
                    e = events.loc[r.event_id]
                    ev = f": **{md_escape(r.event_id)}** {md_escape(e['title'])}"
                lines.append(f"- {format_event_date(r.start, 'day')}, **{label}**{md_escape(until)}{ev}")
            st.markdown("\n".join(lines))
            cited = metrics.sources_of(t["measure_states"][t["measure_states"]["measure"] == chosen])
            sources.caption(ds, list(dict.fromkeys([*m["source_ids"].split(";"), *cited])))
    else:
        st.caption("Pick a measure above, or click its bar on the chart.")

    # 5. Scheduled ends, counted from today.
    st.subheader("Scheduled ends")
    ends = measures.scheduled_ends(states, ms, today)
    if ends.empty:
        st.caption("No scheduled end among these measures.")
    else:
        curated = format_event_date(cov.curated_to.isoformat(), "day") if cov and cov.curated_to else "n/a"
        st.caption(
            f"Counted from today ({format_event_date(today.isoformat(), 'day')}). The record is curated to {curated}: "
            "a passed end with no later state is 'passed, outcome not recorded', never read as extended or ended."
        )
        st.markdown(
            "\n".join(
                f"- **{format_event_date(r.scheduled_until, 'day')}**: {md_escape(r.name)} ({md_escape(r.measure)}), "
                f"{md_escape(measures.STATE_LABELS[r.state].lower())}: *{md_escape(r.status)}*"
                + (f" (in {r.days} days)" if r.status == "upcoming" else "")
                for r in ends.itertuples()
            )
        )

    # 6. Tariff layers stacked by authority.
    st.subheader("Tariffs by legal authority")
    end = cov.curated_to.isoformat() if cov and cov.curated_to else today.isoformat()
    stack = measures.tariff_stack(t["tariffs"], t["tariff_layers"], end)
    stack = stack[stack["side"].isin(chosen_sides)]
    if stack.empty:
        layout.empty_state("tariff layers")
    else:
        for code in chosen_sides:
            if (stack["side"] == code).any():
                st.vega_lite_chart(measure_charts.tariff_stack_chart(stack, code), key=f"ms_tariffs_{code}")
        st.caption(
            "Headline statutory rates on all goods of the other side, not trade-weighted averages; layers on named "
            "products (Section 301 magnets and graphite, Section 232 chips) are on the Chips for magnets page. Drawn "
            "to the coverage end."
        )
        sources.caption(ds, metrics.sources_of(t["tariffs"][t["tariffs"]["status"] == "in_force"]))
