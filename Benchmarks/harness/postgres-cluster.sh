#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for the peer benchmark (Debian's server).
#   postgres-cluster.sh start DIR PORT   # prints the libpq connection string, or fails
#   postgres-cluster.sh stop DIR
# synchronous_commit=on and fsync=on (the defaults, set explicitly): a WAL flush per
# commit, as durable as Logbook's fsync per commit. As root, the cluster runs as the
# postgres user (initdb refuses root).
set -euo pipefail
action=$1 dir=$2
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "PostgreSQL server binaries not found" >&2; exit 1; }
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case $action in
start)
  port=$3
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  as_owner "$bin/initdb" -D "$dir/data" --auth=trust --username=postgres --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1
  cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 300
shared_buffers = 512MB
synchronous_commit = on
fsync = on
full_page_writes = on
CONF
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null
  echo "host=127.0.0.1 port=$port user=postgres dbname=postgres"
  ;;
stop)
  [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  ;;
esac
