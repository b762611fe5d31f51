"""URL state in one place: widgets bound to query parameters, the arrival review, share links.

Shared filters and page options use Streamlit's ``bind="query-params"``: the browser keeps
the URL in step with the widgets, leaves defaults out, and the values survive page switches.
Selections of one event or link use ``id_select``, which keeps the stable id in the URL
(``?event=E28``) rather than the option's label.

Share links write stable ids (``lever=chips``, ``actor=us_bis``) where a parameter has them
(``Param.ids``); the address bar shows what Streamlit writes, the labels. A link may give either,
in any case: the arrival review turns ids into the labels the widgets read, and opens the page
once more with them before any widget reads the URL.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import streamlit as st

from chipsmag.text import md_escape
from chipsmag.urlstate import VERSION_KEY, Param, encode_query, review_query, share_url

REGISTRY = "_bound_params"


def start_run() -> None:
    st.session_state[REGISTRY] = {}


def register(param: Param, url_value: object, default: object) -> None:
    st.session_state[REGISTRY][param.key] = (param, url_value, default)


def review_arrival(
    params: list[Param], page: str, page_obj=None, version_notice: Callable[[str], str] | None = None
) -> None:
    """Once per session, before any bound widget reads the URL: say what will be dropped, and turn
    values given by id (or in another case) into the labels the widgets read (``page_obj``, the
    page being run, is opened again with them). A link made on another data version (``v=``) gets
    ``version_notice(v)``."""
    if "_url_review_page" in st.session_state:
        return
    made_on = st.query_params.get(VERSION_KEY)
    if made_on is not None:
        del st.query_params[VERSION_KEY]  # the address shows the view; the share link names the version
        notice = version_notice(made_on[:80]) if version_notice else ""
        st.session_state["_version_notice"] = notice
    query = {key: st.query_params.get_all(key) for key in st.query_params}
    review = review_query(query, params, page)
    ranges = {p.key: p.bounds for p in params if p.kind == "date_range" and p.bounds}
    for key in review.drop_keys:
        del st.query_params[key]
        if key in ranges:  # a range the review reset: the widget must show every date, whatever it parsed
            st.session_state["_reset_" + key] = ranges[key]
    dates = {p.key for p in params if p.kind == "date"}
    for key, value in review.corrections.items():
        if key in dates:  # a single date outside the record is clamped before its widget reads it
            st.session_state[key] = value
            st.query_params[key] = value.isoformat()
    st.session_state["_url_review_page"] = page
    st.session_state["_url_notices"] = review.notices
    if review.rewrites and page_obj is not None:
        # Widgets seed from the query string the run started with: the page is opened again with
        # the labels, before any widget of this run exists.
        query = {key: st.query_params.get_all(key) for key in st.query_params}
        st.switch_page(page_obj, query_params={**query, **review.rewrites})


def show_notices(page: str, changes_page=None) -> None:
    """The arrival review's notices on the page the link opened; a link made on another data
    version gets its notice with a link to the releases and their changes (``changes_page``)."""
    made_on = st.session_state.get("_version_notice")
    if made_on and st.session_state.get("_url_review_page") == page:
        st.info(md_escape(made_on, limit=400), icon=":material/update:")
        if changes_page is not None:
            st.page_link(changes_page, label="What changed (Sources & data)", icon=":material/history:")
    notices = st.session_state.get("_url_notices") or []
    if not notices or st.session_state.get("_url_review_page") != page:
        return
    body = "\n".join(f"- {md_escape(n, limit=300)}" for n in notices)
    st.warning(f"**Parts of this link were not used:**\n\n{body}", icon=":material/link_off:")


MAX_OPTIONS = 300


def chosen_id(param: Param) -> str | None:
    """The id chosen for ``param``: taken from the URL on a session's first run (if it names a
    known id), then kept in the session. A chart drawn above the selectbox reads it here, so a
    link's choice is highlighted from the first run."""
    if param.key not in st.session_state:
        raw = st.query_params.get(param.key)
        st.session_state[param.key] = raw if raw in param.options else None
    return st.session_state[param.key]


def id_select(
    container, param: Param, ids: list[str], labels_for, label: str, help: str | None = None, what: str = "items"
) -> str | None:
    """A selectbox of ids whose choice lives in the URL as the id itself.

    ``ids`` come in display order; past MAX_OPTIONS only the last ones are listed (with a note),
    plus the one already chosen, so a long list never goes to the browser whole. ``labels_for``
    turns a list of ids into {id: label}; ``param.options`` holds every valid id."""
    key = param.key
    chosen = chosen_id(param)
    listed = list(ids[-MAX_OPTIONS:])
    if chosen is not None and chosen not in listed:
        listed.append(chosen)
    labels = labels_for(listed)
    if len(ids) > MAX_OPTIONS:
        container.caption(f"The list holds the {MAX_OPTIONS} most recent of {len(ids):,} {what}; narrow the filters.")
    value = container.selectbox(
        label,
        [None, *labels],
        format_func=lambda i: "— none selected —" if i is None else labels[i],
        key=key,
        help=help,
    )
    if value is None:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != value:
        st.query_params[key] = value
    register(param, value, None)
    return value


def base_url() -> str:
    url = st.context.url or "http://localhost:8501/"
    parts = urlsplit(url)
    base_path = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"{parts.scheme}://{parts.netloc}/{base_path}".rstrip("/")


def current_link(page_path: str, version: str = "") -> str:
    """The link to this view; with ``version``, the data version it was made on (``v=``, last)."""
    link = _view_link(page_path)
    if not version:
        return link
    return f"{link}{'&' if '?' in link else '?'}{VERSION_KEY}={version}"


def _view_link(page_path: str) -> str:
    bound = st.session_state.get(REGISTRY, {})
    params = [p for p, _v, _d in bound.values()]
    values = {k: v for k, (_p, v, _d) in bound.items()}
    defaults = {k: d for k, (_p, _v, d) in bound.items()}
    return share_url(base_url(), page_path, encode_query(values, params, defaults))


def restore(*params: Param) -> None:
    """Give back a page's own options when the visitor returns to it from another page: Streamlit
    forgets a widget that was not drawn, and the page's options leave the URL with the page."""
    for key in (p.key for p in params):
        kept = st.session_state.get(f"_keep_{key}")
        if kept is not None and key not in st.session_state and key not in st.query_params:
            st.session_state[key] = kept


def remember(values: dict[Param, object]) -> None:
    """Keep a page's options for ``restore`` (None forgets one)."""
    for param, value in values.items():
        st.session_state[f"_keep_{param.key}"] = value
