#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter (Rasa Open Source 3.6 runs on 3.8-3.10 only).
set -u
cd "$(dirname "$0")/.."
try() { "$@" -c 'import sys; assert sys.version_info[:2] == (3, 10); print(sys.executable)' 2>/dev/null; }
try python3.10 && exit 0
if command -v pyenv >/dev/null 2>&1; then
  for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.|$)' | sort -rV); do
    try "$(pyenv prefix "$version")/bin/python3.10" && exit 0
  done
fi
for candidate in /usr/bin/python3.10 /usr/local/bin/python3.10 "$HOME"/.pyenv/versions/3.10*/bin/python3.10; do
  [ -x "$candidate" ] && try "$candidate" && exit 0
done
cat >&2 <<'MSG'
Python 3.10 was not found. Rasa Open Source 3.6 needs Python 3.8-3.10.
Install it, for example:  pyenv install 3.10.13   or   apt-get install python3.10 python3.10-venv
MSG
exit 1
