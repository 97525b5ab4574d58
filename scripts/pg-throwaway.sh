#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for the Postgres suites.
#
#   eval "$(scripts/pg-throwaway.sh start)"   # initdb into a temp dir, start, print the PG* exports
#   scripts/pg-throwaway.sh stop "$SHOPSMART_PG_DIR"
#
# The data directory, socket and a generated password live in one temp folder that `stop` removes.
# PostgreSQL refuses to run as root, so when this runs as root the server runs as the `postgres`
# user (created by Debian's package) through runuser.
set -euo pipefail

bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
    return
  fi
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$found" ] || { echo "PostgreSQL server binaries not found (apt-get install -y postgresql)" >&2; exit 1; }
  echo "$found"
}

as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  node -e "const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

start() {
  local bin dir port password
  bin=$(bindir)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/shopsmart-pg.XXXXXX")
  chmod 700 "$dir"
  password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  printf '%s\n' "$password" >"$dir/pwfile"
  [ "$(id -u)" -eq 0 ] && chown -R postgres "$dir"
  as_server_user "$bin/initdb" -D "$dir/data" -U shopsmart --pwfile="$dir/pwfile" \
    --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  rm -f "$dir/pwfile"
  port=$(free_port)
  as_server_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  PGPASSWORD=$password "$bin/psql" -h 127.0.0.1 -p "$port" -U shopsmart -d postgres -qAt \
    -c 'create database shopsmart' >/dev/null
  cat <<ENV
export SHOPSMART_PG_DIR='$dir'
export PGHOST=127.0.0.1
export PGPORT=$port
export PGUSER=shopsmart
export PGPASSWORD='$password'
export PGDATABASE=shopsmart
ENV
}

stop() {
  local dir=${1:-${SHOPSMART_PG_DIR:-}}
  [ -n "$dir" ] && [ -d "$dir/data" ] || return 0
  as_server_user "$(bindir)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop <dir>" >&2; exit 2 ;;
esac
