"""The layout the code keeps (app_pages/__init__.py): every page a folder of page.py, model.py and
charts.py; no page reads another's internals; no file of the app grows past 400 lines. Streamlit and
Plotly stay out of the pure code by ruff's banned-api rule (pyproject.toml)."""

from __future__ import annotations

import ast
import importlib

import pytest

from app_pages import PAGES
from support import ROOT

APP_FILES = [
    ROOT / "app.py",
    *sorted(p for folder in ("app_pages", "chipsmag", "components") for p in (ROOT / folder).rglob("*.py")),
]
MAX_LINES = 400
MAX_PAGE_LINES = 110  # page.py and sections.py: widgets and st.* calls, about 100 lines (fixed texts: text.py)


def imported_modules(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


@pytest.mark.parametrize("spec", PAGES, ids=[p.key for p in PAGES])
def test_every_page_is_a_folder_of_page_model_and_charts(spec):
    folder = ROOT / "app_pages" / spec.key
    assert {"page.py", "model.py"} <= {p.name for p in folder.glob("*.py")}, f"app_pages/{spec.key}"
    assert callable(importlib.import_module(spec.module).render)
    model = importlib.import_module(f"app_pages.{spec.key}.model")
    assert callable(model.params)
    for path in (folder / "page.py", folder / "sections.py"):
        lines = len(path.read_text(encoding="utf-8").splitlines()) if path.exists() else 0
        assert lines <= MAX_PAGE_LINES, f"app_pages/{spec.key}/{path.name} has {lines} lines"


@pytest.mark.parametrize("spec", PAGES, ids=[p.key for p in PAGES])
def test_no_page_imports_another_page(spec):
    others = {f"app_pages.{p.key}" for p in PAGES if p.key != spec.key}
    for path in (ROOT / "app_pages" / spec.key).glob("*.py"):
        bad = {m for m in imported_modules(path) if any(m == o or m.startswith(o + ".") for o in others)}
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_the_pure_package_and_components_import_no_page():
    for path in APP_FILES:
        if path.is_relative_to(ROOT / "app_pages") or path.name == "app.py":
            continue
        pages = {m for m in imported_modules(path) if m.startswith("app_pages.")}
        assert not pages, f"{path.relative_to(ROOT)} imports {sorted(pages)}"


@pytest.mark.parametrize(("folder", "other"), [("tests", "bench"), ("bench", "tests")])
def test_the_tests_and_the_benchmark_share_support_and_do_not_import_each_other(folder, other):
    for path in sorted((ROOT / folder).rglob("*.py")):
        bad = {m for m in imported_modules(path) if m == other or m.startswith(other + ".")}
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}: what both need belongs in support/"


def test_no_file_of_the_app_is_over_400_lines():
    long = {str(p.relative_to(ROOT)): n for p in APP_FILES if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert not long, long


def test_the_tests_know_how_many_charts_every_page_of_the_registry_draws():
    from support.apptest import CHARTS

    assert set(CHARTS) == {p.key for p in PAGES}, "support/apptest.py: CHARTS must name every page, and only those"
