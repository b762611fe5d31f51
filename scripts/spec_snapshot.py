"""Every chart spec of a set of views, on the curated data, as JSON: to prove a refactor changed nothing.

    python scripts/spec_snapshot.py OUT.json            # write the specs of every view below
    python scripts/spec_snapshot.py --compare A.json B.json

Each view is a page path and a query, opened with Streamlit's AppTest as a visitor following a
shared link would (the page is found by its URL path, the way a browser's address asks for it).
A spec holds its data: Vega-Lite rows sent as Arrow are decoded and put back in the spec.
"""

from __future__ import annotations

import base64
import json
import os
import sys
from pathlib import Path

import pyarrow as pa

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-29"  # scheduled ends are counted from today: fixed, so two runs agree

VIEWS: list[tuple[str, dict[str, str | list[str]]]] = [
    ("", {}),
    ("", {"chain": "2025"}),
    ("", {"lever": "Magnets", "dates": ["2025-01-01", "2025-12-31"]}),
    ("measures", {}),
    ("measures", {"on": "2025-06-01", "side": "China", "measure": "M01"}),
    ("timeline", {}),
    ("timeline", {"lanes": "side", "event": "E28", "category": ["Export control"]}),
    ("timeline", {"zoom": ["2025-04-01", "2025-06-30"]}),
    ("revenue", {}),
    ("revenue", {"show": "Claims"}),
    ("revenue", {"show": "Scenario"}),
    ("revenue", {"show": "Scenario", "preset": "January 2026", "s_share": "40"}),
    ("supply", {}),
    ("supply", {"usgs": "reserves", "edition": "MCS 2025"}),
    ("linkage", {}),
    ("linkage", {"period": "all", "focus": "E28", "relation": ["retaliation"]}),
    ("linkage", {"period": "2025", "basis": ["stated"], "link": "L01"}),
    ("sources", {"table": "events"}),
]


def _arrow_rows(data: bytes) -> list[dict]:
    return pa.ipc.open_stream(data).read_all().to_pylist() if data else []


def _plain(value):
    """JSON-able: dates and timestamps as ISO text, NaN as None."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _decode_plotly(spec: dict) -> dict:
    import numpy as np

    for trace in spec.get("data", []):
        for axis, values in list(trace.items()):
            if isinstance(values, dict) and "bdata" in values:
                trace[axis] = np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return spec


def specs_of(path: str, query: dict) -> list[dict]:
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    if path:
        at._page_hash = calc_hash(path)  # what a browser asking for /<path> gets
    at.run()
    if at.exception:
        raise RuntimeError(f"/{path} {query}: {at.exception[0].message}")
    out = []
    for element in at.get("vega_lite_chart"):
        spec = json.loads(element.proto.spec)
        datasets = {d.name: _arrow_rows(d.data.data) for d in element.proto.datasets}
        if datasets:
            spec["_datasets"] = datasets
        if element.proto.data.data:
            spec["_data"] = _arrow_rows(element.proto.data.data)
        out.append({"kind": "vega-lite", "spec": _plain(spec)})
    for element in at.get("plotly_chart"):
        out.append({"kind": "plotly", "spec": _plain(_decode_plotly(json.loads(element.proto.spec)))})
    return out


def snapshot(out: Path) -> None:
    os.environ["CHIPSMAG_TODAY"] = TODAY
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    views = {}
    for path, query in VIEWS:
        name = f"/{path}?" + "&".join(f"{k}={v}" for k, v in query.items())
        views[name] = specs_of(path, query)
        print(f"{name}: {len(views[name])} chart(s)", flush=True)
    out.write_text(json.dumps(views, indent=1, sort_keys=True, default=str))


def compare(a: Path, b: Path) -> int:
    before, after = json.loads(a.read_text()), json.loads(b.read_text())
    differing = 0
    for name in sorted(set(before) | set(after)):
        x, y = before.get(name), after.get(name)
        if x == y:
            print(f"same       {name} ({len(x)} chart(s))")
            continue
        differing += 1
        if x is None or y is None:
            print(f"MISSING    {name} (in {'after' if x is None else 'before'} only)")
            continue
        print(f"DIFFERENT  {name}: {len(x)} chart(s) before, {len(y)} after")
        for i, (cx, cy) in enumerate(zip(x, y, strict=False)):
            if cx != cy:
                print(f"           chart {i}: {_first_difference(cx, cy)}")
    print(f"{len(set(before) | set(after)) - differing} view(s) the same, {differing} different")
    return 1 if differing else 0


def _first_difference(x, y, at: str = "") -> str:
    if isinstance(x, dict) and isinstance(y, dict):
        for key in sorted(set(x) | set(y)):
            if x.get(key) != y.get(key):
                return _first_difference(x.get(key), y.get(key), f"{at}.{key}")
    if isinstance(x, list) and isinstance(y, list) and len(x) == len(y):
        for i, (a, b) in enumerate(zip(x, y, strict=True)):
            if a != b:
                return _first_difference(a, b, f"{at}[{i}]")
    return f"{at or '(root)'}: {str(x)[:120]!r} -> {str(y)[:120]!r}"


if __name__ == "__main__":
    if sys.argv[1:2] == ["--compare"]:
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    snapshot(Path(sys.argv[1]))
