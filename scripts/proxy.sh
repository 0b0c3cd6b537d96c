#!/usr/bin/env bash
# nginx with docs/examples/nginx.conf in front of Rasa instances, for the production tests.
#   scripts/proxy.sh start DIR PORT UPSTREAM_PORT...   installs Debian's nginx when missing,
#                                                      prints the proxy's URL
#   scripts/proxy.sh stop DIR
set -euo pipefail
command="${1:?usage: proxy.sh start DIR PORT UPSTREAM_PORT... | stop DIR}"
dir="${2:?folder}"
example="$(cd "$(dirname "$0")/.." && pwd)/docs/examples/nginx.conf"

case "$command" in
  start)
    port="${3:?port}"; shift 3
    [ "$#" -gt 0 ] || { echo "name at least one upstream port" >&2; exit 2; }
    if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
      "$(dirname "$0")/debian-install.sh" nginx-light || "$(dirname "$0")/debian-install.sh" nginx
    fi
    mkdir -p "$dir/temp"
    servers=""
    for upstream in "$@"; do servers+="  server 127.0.0.1:$upstream;\n"; done
    # the example with this test's ports: its upstream list and its listen line replaced
    sed -e '/^  server 127\.0\.0\.1:[0-9]*;$/d' \
        -e "s|^  least_conn;|  least_conn;\n$servers|" -e "s|^  ip_hash;|  ip_hash;\n$servers|" \
        -e "s|^  listen 8080;.*|  listen 127.0.0.1:$port;|" "$example" > "$dir/welcome.conf"
    cat > "$dir/nginx.conf" <<CONF
pid $dir/nginx.pid;
error_log $dir/error.log;
events {}
http {
  access_log $dir/access.log;
  client_body_temp_path $dir/temp/body;
  proxy_temp_path $dir/temp/proxy;
  fastcgi_temp_path $dir/temp/fastcgi;
  uwsgi_temp_path $dir/temp/uwsgi;
  scgi_temp_path $dir/temp/scgi;
  include $dir/welcome.conf;
}
CONF
    nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
    "$nginx_bin" -p "$dir" -c "$dir/nginx.conf"
    echo "http://127.0.0.1:$port"
    ;;
  stop)
    if [ -f "$dir/nginx.pid" ]; then kill "$(cat "$dir/nginx.pid")" 2>/dev/null || true; fi
    ;;
  *) echo "usage: proxy.sh start DIR PORT UPSTREAM_PORT... | stop DIR" >&2; exit 2 ;;
esac
