"""Time the one-click brief (chipsmag/brief.py) of the timeline's full view on the curated data.

    .venv/bin/python -m bench.brief            # 5 builds: every event, three charts
    .venv/bin/python -m bench.brief --runs 9

It builds the brief the way a page would (the timeline's model on the curated data, with no filter:
every event and its sources, the overview strip, the labelled chart and the monthly counts by side),
then times ``brief.pdf`` alone and prints the median in seconds (wall clock, and the process's CPU time,
which a busy machine does not inflate) and the PDF's size. The target is under 5 s (issue 15, item 5).
The brief is ``support.brief.timeline_brief``, which tests/test_brief.py also reads back.
"""

from __future__ import annotations

import argparse
import statistics
import time

from chipsmag import brief
from chipsmag.loading import load_dataset
from support.brief import timeline_brief

TARGET_SECONDS = 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    ds = load_dataset()
    b = timeline_brief(ds)
    print(f"Timeline brief: {len(b.events):,} events, {len(b.charts)} charts, data version {ds.version}")
    times, cpu, size = [], [], 0
    for run in range(1, args.runs + 1):
        start, start_cpu = time.perf_counter(), time.process_time()
        size = len(brief.pdf(b))
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        print(f"  run {run}: {times[-1]:.2f} s ({cpu[-1]:.2f} s of CPU)")
    median = statistics.median(times)
    verdict = "under" if median < TARGET_SECONDS else "OVER"
    print(f"median build time: {median:.2f} s ({verdict} the {TARGET_SECONDS:.0f} s target)")
    print(f"median CPU time: {statistics.median(cpu):.2f} s (the build's own work, whatever else the machine runs)")
    print(f"PDF size: {size / 1024:,.0f} KiB ({size:,} bytes)")


if __name__ == "__main__":
    main()
