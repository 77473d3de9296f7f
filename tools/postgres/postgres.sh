#!/usr/bin/env bash
# A PostgreSQL 15 cluster of the project's own on 127.0.0.1 (port 5433, so that it never meets a
# system cluster on 5432), from Debian's packages, for the integration tests and for
# `tools/dev up` with PostgreSQL.
#
#   tools/postgres/postgres.sh start   initialise (first time), start, create database "parkline",
#                                      print its URL
#   tools/postgres/postgres.sh stop
#   tools/postgres/postgres.sh url     the URL of database "parkline"
#   tools/postgres/postgres.sh db NAME create database NAME if missing (each service has its own)
#                                      and print its URL
#
# PostgreSQL refuses to run as root: as root the cluster lives in /var/lib/parkline-postgres and
# runs as the "postgres" user; otherwise in $PARKLINE_HOME/postgres as the caller.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
home=${PARKLINE_HOME:-$repo/.parkline}
port=${PARKLINE_PG_PORT:-5433}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "postgres: no PostgreSQL server installed (apt-get install postgresql-15)" >&2; exit 1; }

if [ "$(id -u)" -eq 0 ]; then
  base=/var/lib/parkline-postgres/$port
  as=(runuser -u postgres --)
else
  base=$home/postgres/$port
  as=()
fi
data=$base/data
url="postgresql://postgres@127.0.0.1:$port/parkline"

say() { echo "postgres: $*" >&2; }

running() { [ -f "$data/postmaster.pid" ] && "${as[@]}" "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; }

start() {
  if [ ! -f "$data/PG_VERSION" ]; then
    mkdir -p "$base"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$base"
    "${as[@]}" "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! running; then
    "${as[@]}" "$bin/pg_ctl" -D "$data" -l "$base/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$base -c max_connections=200" \
      start >/dev/null
  fi
  database parkline >/dev/null
  say "ready: $url"
  echo "$url"
}

database() {
  "${as[@]}" "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atqc \
    "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1 ||
    "${as[@]}" "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE $1"
  echo "postgresql://postgres@127.0.0.1:$port/$1"
}

stop() {
  running || return 0
  "${as[@]}" "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
  say "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "$url" ;;
  db) database "$2" ;;
  status) running ;;
  *) echo "usage: $0 start|stop|url|status|db NAME" >&2; exit 2 ;;
esac
