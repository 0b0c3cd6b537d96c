#!/usr/bin/env bash
# Start the action server and Rasa with the current model; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
model=$(scripts/train-if-stale.sh)
mkdir -p var/log
# Conversations older than the privacy notice says are deleted at every start (and daily by
# cron in a long-running deployment, docs/operations.md).
python -m bot privacy purge
# REST answers browsers only from the origins in CORS_ORIGINS (comma-separated); none by default.
cors=()
if [ -n "${CORS_ORIGINS:-}" ]; then IFS=',' read -ra origins <<< "$CORS_ORIGINS"; cors=(--cors "${origins[@]}"); fi
pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "Stopping ..."
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}
trap stop INT TERM EXIT
# The action server listens on this machine only: it has no token and trusts the tracker it gets.
SANIC_HOST=127.0.0.1 rasa run actions --port 5055 --actions actions > var/log/actions.log 2>&1 &
pids+=($!)
# No --enable-api: Rasa's HTTP API can change conversations and has no token by default.
rasa run --model "$model" --port 5005 \
  --credentials credentials.yml --endpoints endpoints.yml "${cors[@]}" > var/log/rasa.log 2>&1 &
pids+=($!)
echo "Starting (logs in var/log/) ..."
for _ in $(seq 1 180); do
  if curl -fs localhost:5005/ >/dev/null 2>&1 && curl -fs localhost:5055/health >/dev/null 2>&1; then
    cat <<MSG

The welcome assistant is ready.
  Talk to it:   curl -s localhost:5005/webhooks/rest/webhook -H 'Content-Type: application/json' \\
                  -d '{"sender": "me", "message": "Hallo", "metadata": {"municipality": "bolzano"}}'
  Web widget:   http://localhost:5005/webhooks/widget/   (demo page; embed widget.js)
  Rasa server:  http://localhost:5005   (REST channel: /webhooks/rest/webhook)
  Actions:      http://localhost:5055
Press Ctrl-C to stop.
MSG
    wait -n "${pids[@]}" || true
    echo "A server stopped; see var/log/." >&2
    exit 1
  fi
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "A server failed to start; see var/log/." >&2; tail -20 var/log/*.log >&2; exit 1; }; done
  sleep 1
done
echo "Servers did not become ready in 180 s; see var/log/." >&2
exit 1
