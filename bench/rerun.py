"""What the browser does during one filter change: each message of the rerun as it is handled, and
each time React commits the page, on a page of the dashboard and on the bare reference page.

    .venv/bin/python -m bench.rerun                  # the timeline and the reference, 6 runs each
    .venv/bin/python -m bench.rerun --page linkage --runs 4 --each
    .venv/bin/python -m bench.rerun . /tmp/variant             # two checkouts and the reference

The change is the one ``bench.run`` and ``bench.ab`` time (Category: Tariff; the reference's
multiselect), in a fresh browser context per run. A message's time is when the page's script handles
it: a message that arrives while the main thread is drawing waits for it. React's commits are
counted by a stand-in for its developer-tools hook, installed before the page's own scripts.
"""

from __future__ import annotations

import argparse
import statistics
from contextlib import ExitStack
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

from bench.run import FILTER_PHASES, ROOT, filter_change
from support.browser import BENCH_CHROMIUM, CHROMIUM_ARGS, streamlit_server

# React calls onCommitFiberRoot on the hook it finds at start-up after every commit of a root.
COMMITS = """
window.__commits = [];
window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
  isDisabled: false, supportsFiber: true, renderers: new Map(),
  inject(renderer) { const id = this.renderers.size + 1; this.renderers.set(id, renderer); return id; },
  onCommitFiberRoot() { window.__commits.push(performance.now()); },
  onCommitFiberUnmount() {}, onPostCommitFiberRoot() {}, checkDCE() {},
};
"""

COUNTS = ("messages", "commits_before_request", "commits_after_request")  # the others are ms

SINCE_CLICK = """() => {
  const click = window.__bench.click;
  return {frames: window.__frames.filter(f => f[0] >= click).map(f => [f[0] - click, f[1]]),
          commits: window.__commits.filter(t => t >= click).map(t => t - click)};
}"""


def summary(frames: list[list[float]], commits: list[float], done: float) -> dict[str, float]:
    """One change's figures from its websocket frames ([ms after the click, bytes], negative bytes:
    sent), React's commits (ms after the click) and the page settled (ms after the click). The rerun
    request is the first frame sent; its messages are the frames received from then on (with one
    message, the second reply is the first)."""
    sent = next((t for t, size in frames if size < 0), None)
    replies = [t for t, size in frames if size > 0 and sent is not None and t >= sent]
    if sent is None or not replies:
        raise ValueError("no rerun in these frames: a request sent and a reply after it are needed")
    return {
        "sent": sent,
        "messages": len(replies),
        "first_reply": replies[0],
        "second_reply": replies[1] if len(replies) > 1 else replies[0],
        "last_reply": replies[-1],
        "commits_before_request": sum(1 for t in commits if t < sent),
        "commits_after_request": sum(1 for t in commits if t >= sent),
        "done": done,
    }


def trace_once(browser: Browser, url: str, key: str, option: str) -> tuple[dict, list, list]:
    """One change's figures, its frames and its commits (the change as ``bench.run`` makes it)."""

    def read(page: Page) -> tuple[dict, list, list]:
        done = page.evaluate(FILTER_PHASES)["done"]
        seen = page.evaluate(SINCE_CLICK)  # frames and commits from the click on
        return summary(seen["frames"], seen["commits"], done), seen["frames"], seen["commits"]

    return filter_change(browser, url, key, option, read, init=(COMMITS,))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.rerun", description=__doc__.split("\n\n")[0])
    parser.add_argument("checkouts", nargs="*", type=Path, default=[Path(".")], help="directories holding app.py")
    parser.add_argument("--page", default="timeline", help="the page's URL path (default: timeline)")
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--each", action="store_true", help="also print every run's messages and commits")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    for checkout in args.checkouts:
        if not (checkout / "app.py").is_file():
            parser.error(f"{checkout}: no app.py there")
    with ExitStack() as stack:
        targets = {}  # name -> (url, multiselect key, option)
        for checkout in args.checkouts:
            url = stack.enter_context(streamlit_server(cwd=checkout.resolve()))
            name = f"{checkout}/{args.page}"
            targets[name if name not in targets else f"{name} ({len(targets) + 1})"] = (
                f"{url}/{args.page}",
                "category",
                "Tariff",
            )
        reference = stack.enter_context(streamlit_server(script="bench/reference_app.py", cwd=ROOT))
        targets["reference"] = (reference, "series", "b")
        pw = stack.enter_context(sync_playwright())
        browser = pw.chromium.launch(executable_path=BENCH_CHROMIUM, args=CHROMIUM_ARGS)
        stack.callback(browser.close)
        results: dict[str, list[dict]] = {name: [] for name in targets}
        for target in targets.values():
            trace_once(browser, *target)  # warm-up: first imports, caches
        for run in range(args.runs):
            for name in targets if run % 2 == 0 else list(targets)[::-1]:
                figures, frames, commits = trace_once(browser, *targets[name])
                results[name].append(figures)
                if args.each:
                    print(f"run {run + 1}, {name}: done {figures['done']:.0f} ms")
                    print("  messages (ms, bytes):", " ".join(f"{t:.0f}:{s}" for t, s in frames))
                    print("  React commits (ms):", " ".join(f"{t:.0f}" for t in commits))
    print(f"\nFilter change, {args.runs} runs each (medians; ms after the click unless counted)")
    names = list(results)
    print("| | " + " | ".join(names) + " |\n| --- |" + " ---: |" * len(names))
    for figure in results[names[0]][0]:
        values = [statistics.median(r[figure] for r in results[name]) for name in names]
        shown = (f"{v:g}" if figure in COUNTS else f"{v:.0f}" for v in values)  # a median count can end in .5
        print(f"| {figure.replace('_', ' ')} | " + " | ".join(shown) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
