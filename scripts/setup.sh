#!/usr/bin/env bash
# Create .venv and install the pinned packages. With --dev, also the test tools and, where they
# are missing, Debian's Chromium (Playwright cannot download one here: its headless build for the
# browser tests, the full browser for the benchmark) and Debian's nginx for the reverse-proxy test
# (tests/test_proxy.py, deploy/).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
req=requirements.txt
[ "${1:-}" = "--dev" ] && req=requirements-dev.txt
stamp=".venv/.installed-$(cat requirements.txt "$req" | sha256sum | cut -c1-16)"
if [ ! -e "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$req"
  touch "$stamp"
fi
if [ "${1:-}" = "--dev" ]; then
  missing=()
  [ -x "${CHROMIUM:-/usr/bin/chromium-headless-shell}" ] || missing+=(chromium-headless-shell)  # the tests
  [ -x "${BENCH_CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)  # the benchmark: the browser readers use
  [ -x "${NGINX:-/usr/sbin/nginx}" ] || missing+=(nginx)
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" != "0" ]; then
      echo "Missing Debian packages: run 'sudo apt-get install -y ${missing[*]}' and retry." >&2
      exit 1
    fi
    # The tests start nginx themselves, on free ports, from deploy/: the package must not start
    # Debian's own nginx service on port 80. A policy-rc.d that answers 101 stops it (the Debian
    # mechanism); one already in place is left as it is.
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
      chmod +x /usr/sbin/policy-rc.d
      trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    # Where a service started anyway (no policy honoured), stop it.
    if [[ " ${missing[*]} " == *" nginx "* ]]; then
      service nginx stop >/dev/null 2>&1 || true
    fi
  fi
fi
