#!/usr/bin/env bash
# `make deploy-test`: the Containerfile built on a local base, started with podman against a
# test PostgreSQL and Redis, and the Kubernetes manifests run with `podman kube play`.
# Slow (the first build installs every dependency and trains the model): a marker of its
# own (`deploy`), never part of `make test`.
#
# Settings this machine needs and a user's cluster does not (they stay here, never in the
# Containerfile or the manifests): podman runs containers here only with the runc runtime,
# the cgroupfs cgroup manager and explicit ulimits; there is no registry of images, so the
# base image is made from Debian's packages and the Python 3.10 the project already uses;
# PyPI is reached through a proxy whose certificate authority the build is given.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n==> %s\n' "$*"; }

if ! command -v podman >/dev/null || ! command -v runc >/dev/null || ! command -v debootstrap >/dev/null; then
  scripts/debian-install.sh podman runc debootstrap slirp4netns uidmap
fi
work="$PWD/var/container"
mkdir -p "$work"
cat > "$work/containers.conf" <<'CONF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"
CONF
export CONTAINERS_CONF="$work/containers.conf"

base="localhost/welcome-python:3.10-slim"
image="localhost/welcome-bot:test"
step "Local base image ($base)"
scripts/container-base.sh "$base" "$work/base"

step "The image, from Containerfile"
started=$(date +%s)
podman build --format docker --network host --build-arg BASE="$base" \
  --build-arg PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
  -t "$image" -f Containerfile . > "$work/build.log" 2>&1 \
  || { tail -40 "$work/build.log"; exit 1; }
echo "built in $(( $(date +%s) - started )) s; size $(podman image inspect "$image" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}')"

step "Tests against the image (pytest -m deploy)"
WELCOME_IMAGE="$image" python -m pytest -m deploy tests/deploy -q -s
