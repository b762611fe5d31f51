"""A filter change measured on two or more checkouts side by side, runs alternating between them.

    .venv/bin/python -m bench.ab /path/to/checkout-a /path/to/checkout-b --runs 12
    .venv/bin/python -m bench.ab . /tmp/variant --reference --page linkage

Each checkout's dashboard is served by its own server (this virtual environment's Streamlit, the
checkout's code and data); every run measures the same filter change as ``bench.run`` (Category:
Tariff, ``filter_once``: from the click to the page settled, in a fresh browser context) on each
checkout in turn, the order reversed every other run, so the machine's drift falls on all alike.
On this two-core machine two runs of one checkout differ by about 20 ms: a change of a page is worth
keeping when it moves the median by more than that over a dozen runs. ``--reference`` adds the bare
reference page (its multiselect, as ``bench.run`` measures it); ``--bound-reference`` adds the same
page with its multiselect bound to the URL, as every filter of the dashboard is.
"""

from __future__ import annotations

import argparse
import statistics
from contextlib import ExitStack
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.run import FILTER_PHASE_NAMES, ROOT, filter_once
from support.browser import BENCH_CHROMIUM, CHROMIUM_ARGS, streamlit_server

REFERENCE = "reference"
BOUND_REFERENCE = "reference, bound to the URL"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ab", description=__doc__.split("\n\n")[0])
    parser.add_argument("checkouts", nargs="+", type=Path, help="directories holding app.py")
    parser.add_argument("--runs", type=int, default=12)
    parser.add_argument("--page", default="timeline", help="the page's URL path (default: timeline)")
    parser.add_argument("--reference", action="store_true", help="also measure the bare reference page")
    parser.add_argument(
        "--bound-reference",
        action="store_true",
        help="also measure the reference page with its multiselect bound to the URL",
    )
    args = parser.parse_args(argv)
    for checkout in args.checkouts:
        if not (checkout / "app.py").is_file():
            parser.error(f"{checkout}: no app.py there")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    names = [str(c) for c in args.checkouts] + [REFERENCE] * args.reference + [BOUND_REFERENCE] * args.bound_reference
    with ExitStack() as stack:
        targets = {}  # name -> (url, multiselect key, option)
        for checkout in args.checkouts:
            url = stack.enter_context(streamlit_server(cwd=checkout.resolve()))
            targets[str(checkout)] = (f"{url}/{args.page}", "category", "Tariff")
        if args.reference:
            url = stack.enter_context(streamlit_server(script="bench/reference_app.py", cwd=ROOT))
            targets[REFERENCE] = (url, "series", "b")
        if args.bound_reference:
            env = {"REFERENCE_BOUND": "1"}
            url = stack.enter_context(streamlit_server(env, script="bench/reference_app.py", cwd=ROOT))
            targets[BOUND_REFERENCE] = (url, "series", "b")
        pw = stack.enter_context(sync_playwright())
        browser = pw.chromium.launch(executable_path=BENCH_CHROMIUM, args=CHROMIUM_ARGS)
        stack.callback(browser.close)
        for name in names:  # a warm-up change on each: first imports, caches
            filter_once(browser, *targets[name])
        samples: dict[str, list[tuple[float, dict]]] = {name: [] for name in names}
        for run in range(args.runs):
            for name in names if run % 2 == 0 else names[::-1]:
                samples[name].append(filter_once(browser, *targets[name]))
                print(f"run {run + 1}: {name} {samples[name][-1][0]:.0f} ms", flush=True)
    print(f"\nFilter change on /{args.page}, {args.runs} runs each (ms; quartiles; medians of the phases)")
    for name in names:
        done = [s[0] for s in samples[name]]
        q1, _, q3 = statistics.quantiles(done, n=4) if len(done) > 1 else (done[0], 0, done[0])
        phases = " ".join(
            f"{k} {statistics.median(s[1][k] for s in samples[name]):.0f}" for k in FILTER_PHASE_NAMES[:-1]
        )
        print(f"{name}: median {statistics.median(done):.0f} (q1 {q1:.0f}, q3 {q3:.0f}); {phases}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
