#!/usr/bin/env bash
# Install Debian packages without questions (as root, else through sudo); messages go to
# stderr. Used by the scripts that start PostgreSQL, Redis, nginx and Chromium when missing.
#   scripts/debian-install.sh PACKAGE...
set -euo pipefail
[ "$#" -gt 0 ] || { echo "usage: debian-install.sh PACKAGE..." >&2; exit 2; }
echo "Installing $* from Debian packages ..." >&2
export DEBIAN_FRONTEND=noninteractive
sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
$sudo_cmd apt-get update -qq >&2
$sudo_cmd apt-get install -y -qq "$@" >&2
