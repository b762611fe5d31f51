"""Server-side script time, written only when CHIPSMAG_TIMING_LOG names a file (the benchmark sets it)."""

from __future__ import annotations

import os
import time


def record(page: str, started: float) -> None:
    log = os.environ.get("CHIPSMAG_TIMING_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"{page}\t{(time.perf_counter() - started) * 1000:.2f}\n")
