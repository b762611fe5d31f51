#!/usr/bin/env bash
# Set up, then serve the dashboard on its bundled data at http://localhost:${PORT:-8501}.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m streamlit run app.py --server.port "${PORT:-8501}" "$@"
