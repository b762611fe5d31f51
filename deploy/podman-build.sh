#!/usr/bin/env bash
# Build and run the repository's Dockerfile with Debian's podman (as root), on a machine with no
# Docker engine. The repository is not changed: the build runs on a copy of it in $WORK.
#
#   bash deploy/podman-build.sh          # build, run, check /_stcore/health and the HEALTHCHECK, stop
#   KEEP=1 bash deploy/podman-build.sh   # leave the container running on http://127.0.0.1:$PORT
#
# Where python:3.11-slim cannot be pulled (no registry reachable), the base is made locally:
# Debian bookworm by debootstrap (its Python is 3.11) with a virtual environment on PATH, so the
# Dockerfile's `pip install` and `streamlit` work unchanged; the Dockerfile's FROM is swapped
# for it in a copy (ARG BASE). The host's CA bundle goes into that base, for networks that
# intercept TLS. deploy/README.md records what this took on the machine it was written on.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${WORK:-/tmp/chipsmag-podman}
PORT=${PORT:-18501}
IMAGE=chips-for-magnets
LOCAL_BASE=localhost/bookworm-python:3.11
for tool in podman debootstrap runc; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install -y podman debootstrap runc" >&2; exit 1; }
done
# crun (podman's default here) refused the sandbox's hybrid cgroups; runc ran. podman asks to raise
# the open-files and process limits, which fails without CAP_SYS_RESOURCE: ask for what the host has.
PODMAN=(podman --runtime runc)
LIMITS=(--ulimit "nofile=$(ulimit -Hn):$(ulimit -Hn)" --ulimit nproc=1024:1024)

mkdir -p "$WORK"
rm -rf "$WORK/context"
mkdir "$WORK/context"
tar --exclude=./.venv --exclude=./.git -cf - . | tar -xf - -C "$WORK/context"  # podman applies .dockerignore

base=python:3.11-slim
if ! "${PODMAN[@]}" pull -q "$base" >/dev/null 2>"$WORK/pull.err"; then
  echo "cannot pull $base ($(tail -1 "$WORK/pull.err")); using a local bookworm base" >&2
  if ! "${PODMAN[@]}" image exists "$LOCAL_BASE"; then
    rootfs="$WORK/rootfs"
    if [ ! -x "$rootfs/opt/venv/bin/python" ]; then
      rm -rf "$rootfs"
      debootstrap --variant=minbase --include=python3,python3-venv,curl,ca-certificates \
        bookworm "$rootfs" http://deb.debian.org/debian >"$WORK/debootstrap.log"
      chroot "$rootfs" python3 -m venv /opt/venv
      chroot "$rootfs" apt-get clean
      rm -rf "$rootfs"/var/lib/apt/lists/*
    fi
    cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
    tar -C "$rootfs" -cf - . | "${PODMAN[@]}" import \
      --change 'ENV PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt' \
      --change 'CMD ["python3"]' - "$LOCAL_BASE" >/dev/null
  fi
  base=$LOCAL_BASE
fi
sed 's/^FROM python:3.11-slim$/ARG BASE=python:3.11-slim\nFROM ${BASE}/' Dockerfile >"$WORK/Dockerfile.base-arg"
grep -q '^FROM \${BASE}$' "$WORK/Dockerfile.base-arg" || { echo "Dockerfile no longer starts FROM python:3.11-slim" >&2; exit 1; }

start=$(date +%s)
# --format docker keeps the HEALTHCHECK (the OCI format drops it).
"${PODMAN[@]}" build --format docker "${LIMITS[@]}" --build-arg "BASE=$base" \
  -f "$WORK/Dockerfile.base-arg" -t "$IMAGE" "$WORK/context" >"$WORK/build.log"
echo "built $IMAGE on $base in $(($(date +%s) - start)) s (log: $WORK/build.log)"

"${PODMAN[@]}" rm -f chipsmag-check >/dev/null 2>&1 || true
"${PODMAN[@]}" run -d --name chipsmag-check "${LIMITS[@]}" -p "127.0.0.1:$PORT:8501" "$IMAGE" >/dev/null
for _ in $(seq 120); do
  curl -fs "http://127.0.0.1:$PORT/_stcore/health" >/dev/null && break
  sleep 0.5
done
echo "/_stcore/health: $(curl -fs "http://127.0.0.1:$PORT/_stcore/health")"
"${PODMAN[@]}" healthcheck run chipsmag-check && echo "HEALTHCHECK: healthy"
echo "runs as: $("${PODMAN[@]}" exec chipsmag-check id -un)"
if [ -z "${KEEP:-}" ]; then
  "${PODMAN[@]}" rm -f chipsmag-check >/dev/null 2>&1
else
  echo "serving http://127.0.0.1:$PORT (stop: podman rm -f chipsmag-check)"
fi
