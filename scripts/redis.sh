#!/usr/bin/env bash
# A throw-away Redis server for the production profile, its tests and benchmarks.
#   scripts/redis.sh start DIR PORT   installs Debian's redis-server when missing, starts it
#                                     on 127.0.0.1:PORT with its files in DIR (no persistence:
#                                     it only holds conversation locks)
#   scripts/redis.sh stop DIR         stops it
# The container tests (tests/deploy) set REDIS_BIND=0.0.0.0 and REDIS_PASSWORD, so that
# pods reach it, and only with the password. With REDIS_TLS_DIR (holding server.pem,
# server.key and ca.pem) it accepts TLS only (tests/bot/test_redis_tls.py).
set -euo pipefail
command="${1:?usage: redis.sh start DIR PORT | stop DIR}"
dir="${2:?server directory}"

case "$command" in
  start)
    port="${3:?port}"
    if ! command -v redis-server >/dev/null; then
      "$(dirname "$0")/debian-install.sh" redis-server
    fi
    mkdir -p "$dir"
    password=()
    [ -n "${REDIS_PASSWORD:-}" ] && password=(--requirepass "$REDIS_PASSWORD")
    listen=(--port "$port")
    cli=()
    scheme=redis
    if [ -n "${REDIS_TLS_DIR:-}" ]; then
      tls="$REDIS_TLS_DIR"
      listen=(--port 0 --tls-port "$port" --tls-cert-file "$tls/server.pem"
              --tls-key-file "$tls/server.key" --tls-ca-cert-file "$tls/ca.pem"
              --tls-auth-clients no)
      cli=(--tls --cacert "$tls/ca.pem")
      scheme=rediss
    fi
    redis-server --bind "${REDIS_BIND:-127.0.0.1}" "${listen[@]}" --dir "$dir" --daemonize yes \
      --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --save "" --appendonly no \
      --protected-mode yes "${password[@]}"
    [ -n "${REDIS_PASSWORD:-}" ] && export REDISCLI_AUTH="$REDIS_PASSWORD"
    for _ in $(seq 1 50); do
      redis-cli "${cli[@]}" -p "$port" ping 2>/dev/null | grep -q PONG \
        && { echo "$scheme://127.0.0.1:$port"; exit 0; }
      sleep 0.1
    done
    echo "Redis did not start; see $dir/redis.log" >&2
    exit 1
    ;;
  stop)
    if [ -f "$dir/redis.pid" ]; then
      pid=$(cat "$dir/redis.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    ;;
  *) echo "usage: redis.sh start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
