"""The URL review and share-link encoding (pure)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs

import pytest

from chipsmag.urlstate import Param, encode_query, review_query, share_url
from support.apptest import (
    open_page,
    share_link,
    texts,
)

BOUNDS = (dt.date(2018, 7, 1), dt.date(2025, 12, 8))
PARAMS = [
    Param("dates", "Date range", "date_range", bounds=BOUNDS),
    Param("actor", "Actors", "multi", ("Nvidia", "China MOFCOM")),
    Param("lanes", "Lanes", "one", ("lever", "side"), page="timeline"),
]


def test_a_clean_link_has_nothing_to_say():
    review = review_query({"actor": ["Nvidia"], "dates": ["2025-01-01", "2025-06-30"]}, PARAMS, "overview")
    assert review.notices == [] and review.drop_keys == [] and review.corrections == {}


def test_unknown_values_are_named():
    review = review_query({"actor": ["Nvidia", "Bogus"]}, PARAMS, "overview")
    assert review.notices == ["Actors: 'Bogus' not recognised and dropped."]


def test_unknown_keys_are_dropped_from_the_url():
    review = review_query({"utm_source": ["x"], "embed": ["true"]}, PARAMS, "overview")
    assert review.drop_keys == ["utm_source"]
    assert review.notices == ["Unknown link parameter 'utm_source' was ignored."]


def test_page_params_are_only_known_on_their_page():
    assert review_query({"lanes": ["side"]}, PARAMS, "timeline").notices == []
    assert review_query({"lanes": ["side"]}, PARAMS, "supply").drop_keys == ["lanes"]


def test_impossible_and_out_of_range_dates():
    bad = review_query({"dates": ["2025-02-31", "2025-03-01"]}, PARAMS, "overview")
    assert bad.notices == ["Date range: '2025-02-31' is not a date in the form YYYY-MM-DD; the range was reset."]
    early = review_query({"dates": ["1990-01-01", "2025-03-01"]}, PARAMS, "overview")
    assert early.notices == [
        "Date range: 1990-01-01 is outside the data (2018-07-01 to 2025-12-08); the range was reset."
    ]


def test_a_reversed_range_is_swapped_and_said():
    review = review_query({"dates": ["2025-06-30", "2025-01-01"]}, PARAMS, "overview")
    assert review.corrections == {"dates": (dt.date(2025, 1, 1), dt.date(2025, 6, 30))}
    assert "end first" in review.notices[0]


def test_repeated_single_value_key():
    review = review_query({"lanes": ["lever", "side"]}, PARAMS, "timeline")
    assert review.notices == ["Lanes: given 2 times; only one value is allowed."]


def test_long_values_are_shortened_in_the_notice():
    review = review_query({"actor": ["x" * 5000]}, PARAMS, "overview")
    assert len(review.notices[0]) < 120
    assert review.notices[0].endswith("not recognised and dropped.")


def test_encode_leaves_defaults_out_and_repeats_list_keys():
    values = {"dates": BOUNDS, "actor": ["Nvidia", "China MOFCOM"], "lanes": "lever"}
    defaults = {"dates": BOUNDS, "actor": [], "lanes": "lever"}
    query = encode_query(values, PARAMS, defaults)
    assert parse_qs(query) == {"actor": ["Nvidia", "China MOFCOM"]}
    assert query == "actor=Nvidia&actor=China%20MOFCOM"


def test_encode_dates_as_iso():
    query = encode_query({"dates": (dt.date(2025, 1, 1), dt.date(2025, 6, 30))}, PARAMS, {"dates": BOUNDS})
    assert query == "dates=2025-01-01&dates=2025-06-30"


def test_share_url_joins_base_page_and_query():
    assert share_url("http://h:1", "timeline", "lanes=side") == "http://h:1/timeline?lanes=side"
    assert share_url("http://h:1/", "", "") == "http://h:1/"


NUMBER = [Param("s_fee", "Fee", "number", page="revenue", limits=(0, 50))]


@pytest.mark.parametrize(
    ("value", "notice"),
    [
        ("-5", "Fee: -5 is outside 0 to 50; the default was used."),
        ("NaN", "Fee: 'NaN' is not a number; the default was used."),
        ("Infinity", "Fee: 'Infinity' is not a number; the default was used."),
        ("fifteen", "Fee: 'fifteen' is not a number; the default was used."),
    ],
)
def test_numbers_outside_their_limits(value, notice):
    assert review_query({"s_fee": [value]}, NUMBER, "revenue").notices == [notice]
    assert review_query({"s_fee": ["25"]}, NUMBER, "revenue").notices == []


def test_numbers_encode_compactly():
    assert encode_query({"s_fee": 25.0}, NUMBER, {"s_fee": 15.0}) == "s_fee=25"
    assert encode_query({"s_fee": 15.0}, NUMBER, {"s_fee": 15.0}) == ""


def test_unknown_url_values_get_a_notice_and_the_page_still_renders():
    at = open_page("timeline", actor=["Nvidia", "<script>alert(1)</script>"], foo="bar", lanes="diagonal")
    assert not at.exception
    notice = next(w.value for w in at.warning if "Parts of this link were not used" in w.value)
    assert "Actors\\: '\\<script\\>alert\\(1\\)\\</script\\>' not recognised and dropped" in notice  # as escaped
    assert "Unknown link parameter 'foo' was ignored" in notice
    assert "Lanes by\\: 'diagonal' not recognised and dropped" in notice
    assert at.multiselect(key="actor").value == ["nvidia"]
    assert at.radio(key="lanes").value == "lever"


def test_reversed_date_range_is_swapped():
    at = open_page("timeline", dates=["2025-06-30", "2025-01-01"])
    assert any("end first" in w.value for w in at.warning)
    assert "filtered: 2025-01-01 to 2025-06-30" in texts(at)
    assert at.date_input(key="dates").value == (dt.date(2025, 1, 1), dt.date(2025, 6, 30))


# Links made before the pages became folders still open the same view: every parameter the previous
# version read is still read, by the same page, with the same kind of value.
PREVIOUS_PARAMS = {
    "timeline": {"lanes": "one", "event": "one", "zoom": "date_range"},
    "supply": {"usgs": "one", "edition": "one"},
    "linkage": {"period": "one", "relation": "multi", "basis": "multi", "link": "one", "focus": "one"},
    "sources": {"table": "one"},
    "overview": {"chain": "one"},
    "measures": {"on": "date", "side": "one", "measure": "one"},
    "revenue": {
        "show": "one",
        "preset": "one",
        "s_market": "number",
        "s_share": "number",
        "s_licence": "number",
        "s_fee": "number",
        "s_uptake": "number",
        "s_subst": "number",
        "s_start": "one",
    },
}


def test_every_parameter_an_older_link_holds_is_still_read_by_its_page(record):
    from app_pages import page_params

    declared = {(p.page, p.key): p.kind for p in page_params(record, dt.date(2026, 11, 29))}
    for page, keys in PREVIOUS_PARAMS.items():
        for key, kind in keys.items():
            assert declared.get((page, key)) == kind, (page, key)


def test_every_url_parameter_has_a_key_of_its_own(record):
    """The frame hands every page one dict of all parameters by key (components/frame.py): a page's
    key that repeated a shared filter's, or another page's, would silently replace it."""
    from app_pages import page_params
    from components.filters import shared_params

    params = shared_params({"a1": "An actor"}, (dt.date(2018, 1, 1), dt.date(2026, 11, 29))) + list(
        page_params(record, dt.date(2026, 11, 29))
    )
    keys = [p.key for p in params]
    assert len(keys) == len(set(keys)), sorted(k for k in set(keys) if keys.count(k) > 1)


# Links that survive renames: share links write stable ids; a link may give ids or labels, in any case.
IDS = [Param("lever", "Lever", "multi", ("Chips", "Magnets"), ids=("chips", "magnets"))]


def test_ids_and_labels_are_matched_without_regard_to_case():
    lever = IDS[0]
    assert [lever.match(v) for v in ("chips", "CHIPS", "Chips", "magnets ", "MaGnEtS", "copper")] == [
        "Chips",
        "Chips",
        "Chips",
        "Magnets",
        "Magnets",
        None,
    ]
    review = review_query({"lever": ["CHIPS", "magnets", "copper"]}, IDS, "overview")
    assert review.rewrites == {"lever": ["Chips", "Magnets"]}
    assert review.notices == ["Lever: 'copper' not recognised and dropped."]
    assert review_query({"lever": ["Chips"]}, IDS, "overview").rewrites == {}  # a label as the widget has it


def test_share_links_write_ids():
    assert encode_query({"lever": ["Magnets", "Chips"]}, IDS, {"lever": []}) == "lever=magnets&lever=chips"


def test_every_id_names_one_option_only(record):
    from app_pages import page_params
    from components.filters import shared_params

    names = dict(zip(record.tables["actors"]["id"], record.tables["actors"]["name"], strict=True))
    params = [*page_params(record, dt.date(2026, 11, 29)), *shared_params(names, BOUNDS)]
    with_ids = [p for p in params if p.ids]
    assert with_ids, "no parameter has stable ids"
    for p in with_ids:
        assert len(p.ids) == len(p.options), p.key
        folded = [x.casefold() for x in (*p.ids, *p.options)]
        for i, (id_, label) in enumerate(zip(p.ids, p.options, strict=True)):
            # An id may equal its own label, never another option's id or label.
            others = [f for j, f in enumerate(folded) if j % len(p.ids) != i]
            assert id_.casefold() not in others and label.casefold() not in others, (p.key, id_)


@pytest.mark.parametrize(
    "query",
    [
        {"lever": "magnets", "actor": ["cn_mofcom", "NVIDIA"], "category": "export_control"},
        {"lever": "Magnets", "actor": ["China MOFCOM", "Nvidia"], "category": "Export control"},
        {"lever": "MAGNETS", "actor": ["CN_MOFCOM", "nvidia"], "category": "EXPORT CONTROL"},
    ],
    ids=["ids", "labels", "any case"],
)
def test_a_link_by_ids_or_by_labels_opens_the_same_view(query):
    at = open_page("timeline", **query)
    assert not at.exception
    assert not any("not used" in w.value for w in at.warning)
    assert at.multiselect(key="actor").value == ["cn_mofcom", "nvidia"]
    assert at.multiselect(key="category").value == ["export_control"]
    assert "filtered:" in texts(at)
    assert share_link(at) == (
        "http://localhost:8501/timeline?actor=cn_mofcom&actor=nvidia&lever=magnets&category=export_control"
    )
