#!/usr/bin/env bash
# Debian's Chromium and ChromeDriver for the widget's browser tests (installed when missing;
# no browser is downloaded from anywhere else). Prints the two paths.
set -euo pipefail
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  echo "Installing chromium and chromium-driver from Debian packages ..." >&2
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq >&2
  $sudo_cmd apt-get install -y -qq chromium chromium-driver >&2
fi
echo "$(command -v chromium) $(command -v chromedriver)"
