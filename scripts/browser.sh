#!/usr/bin/env bash
# Debian's Chromium and ChromeDriver for the widget's browser tests (installed when missing;
# no browser is downloaded from anywhere else). Prints the two paths.
set -euo pipefail
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  "$(dirname "$0")/debian-install.sh" chromium chromium-driver
fi
echo "$(command -v chromium) $(command -v chromedriver)"
