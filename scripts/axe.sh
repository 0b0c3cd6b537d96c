#!/usr/bin/env bash
# axe-core (the accessibility engine, from the npm registry, version pinned in
# tests/e2e/axe/package-lock.json) for the browser tests; prints the path of axe.min.js.
# Installs Node.js and npm from Debian's packages if missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v npm >/dev/null; then
  "$root/scripts/debian-install.sh" nodejs npm >&2
fi
cd "$root/tests/e2e/axe"
if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/axe-core/axe.min.js ]; then
  npm ci --no-audit --no-fund --silent >&2
fi
echo "$PWD/node_modules/axe-core/axe.min.js"
