"""Links that know their data version: the share link names it (``v=``); a link made on another
version opens with a notice of what changed since, or says plainly that the version is unknown."""

from __future__ import annotations

import re

from support.apptest import open_page, share_link, texts


def version_of(at) -> str:
    return re.search(r"Data version (\w+)", texts(at)).group(1)


def test_the_share_link_names_the_data_version_last():
    at = open_page("timeline", lever="chips")
    link = share_link(at, with_version=True)
    assert link == f"{share_link(at)}&v={version_of(at)}"
    bare = open_page("overview")
    assert share_link(bare, with_version=True) == f"http://localhost:8501/?v={version_of(bare)}"


def test_a_link_of_the_current_version_says_nothing_and_leaves_the_address():
    first = open_page("timeline")
    at = open_page("timeline", lever="chips", v=version_of(first))
    assert not any("This link" in i.value for i in at.info)
    assert "v" not in at.query_params and at.query_params["lever"] == "Chips"


def test_an_unknown_version_is_said_plainly_and_markup_is_not_echoed():
    at = open_page("timeline", v="<script>x</script>")
    assert not at.exception
    notice = next(i.value for i in at.info if "This link names" in i.value)
    assert "which this dashboard does not know" in notice and "script" not in notice
    assert "v" not in at.query_params


def test_an_older_version_gets_the_date_of_its_data_and_what_changed(tmp_path):
    from chipsmag import releases

    rows = releases.read_releases(releases.DEFAULT_DATA_DIR / releases.RELEASES)
    current = version_of(open_page("timeline"))
    older = next(r for r in rows if r.version != current and r.released <= rows[0].released)
    at = open_page("timeline", v=older.version)
    notice = next(i.value for i in at.info if "This link was made on the data of" in i.value)
    assert older.released.isoformat().replace("-", "\\-") in notice
    assert re.search(r"since then .*(added|revised)|cannot be read here", notice), notice
    assert [p.proto.page for p in at.get("page_link")] == ["sources"]  # the link to what changed


def test_sources_and_data_lists_the_releases_and_what_one_changed():
    at = open_page("sources")
    table = next(d.value for d in at.dataframe if "coverage end" in d.value.columns)
    assert table["version"].iloc[0].endswith(" (shown)")  # newest first: the data these pages show
    assert list(table["released"]) == sorted(table["released"], reverse=True)
    at = at.toggle(key="show_changes").set_value(True).run()
    line = next(c.value for c in at.caption if c.value.startswith("From "))
    assert re.search(r"rows added, [\d,]+ removed, [\d,]+ values changed", line)
    changes = next(d.value for d in at.dataframe if list(d.value.columns)[:3] == ["table", "change", "row"])
    assert set(changes["change"]) <= {"added", "removed", "changed"}
