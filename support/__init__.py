"""What the tests and the benchmark share: a real server, Debian's Chromium, AppTest helpers.

Neither tests/ nor bench/ imports the other; both import this package.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
