#!/usr/bin/env bash
# Set up (packages, test tools, Debian's Chromium), validate the data, lint, and run every
# test: unit, AppTest and the browser tests. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
.venv/bin/python -m chipsmag.validate
.venv/bin/ruff check .
.venv/bin/ruff format --check .
exec .venv/bin/python -m pytest "$@"
