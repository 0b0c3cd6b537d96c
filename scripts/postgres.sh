#!/usr/bin/env bash
# A throw-away PostgreSQL server for tests and benchmarks.
#   scripts/postgres.sh start DIR PORT   installs Debian's postgresql when missing, creates a
#                                        cluster in DIR, starts it on 127.0.0.1:PORT, prints its URL
#   scripts/postgres.sh stop DIR         stops it (DIR can then be removed)
# Trust authentication on 127.0.0.1 only: a test server, never a production one. The
# container tests (tests/deploy) also set POSTGRES_LISTEN=0.0.0.0 and POSTGRES_TRUST to
# the containers' network, so that pods reach it.
set -euo pipefail
command="${1:?usage: postgres.sh start DIR PORT | stop DIR}"
dir="${2:?cluster directory}"

find_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  [ -n "$found" ] && [ -x "$found/pg_ctl" ] && echo "$found"
}

as_owner() {  # initdb and postgres refuse to run as root
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$command" in
  start)
    port="${3:?port}"
    bin=$(find_bin || true)
    if [ -z "$bin" ]; then
      "$(dirname "$0")/debian-install.sh" postgresql
      bin=$(find_bin)
    fi
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    # a folder that already holds a cluster keeps its data (make production restarts)
    [ -d "$dir/data" ] || as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
    if [ -n "${POSTGRES_TRUST:-}" ] && ! grep -q "${POSTGRES_TRUST}" "$dir/data/pg_hba.conf"; then
      echo "host all all ${POSTGRES_TRUST} trust" >> "$dir/data/pg_hba.conf"
    fi
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=${POSTGRES_LISTEN:-127.0.0.1} -c fsync=off" start >/dev/null
    as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = 'knowledge'" | grep -q 1 ||
      as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres knowledge
    echo "postgresql://postgres@127.0.0.1:$port/knowledge"
    ;;
  stop)
    bin=$(find_bin)
    [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    ;;
  *) echo "usage: postgres.sh start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
