#!/usr/bin/env bash
# The groups load: a logbookd --dev on a fresh data directory, one group of MEMBERS members
# (groups-setup.py), then wrk at 64 connections: join+leave (group-join-leave.lua) and a
# members page (group-members-page.lua). A 5-second smoke: MEMBERS=2000 SECONDS=5.
#   tools/load/groups-bench.sh LOGBOOKD [MEMBERS (100000)] [SECONDS (30)] [EXTRA (2048)]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$1 members=${2:-100000} seconds=${3:-30} extra=${4:-2048}
work=$(mktemp -d /var/tmp/logbook-groups.XXXXXX)
server=""
trap 'if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi; rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000))
url="http://127.0.0.1:$port"
"$bin" --dev --data-dir "$work/data" --port "$port" --password-hash-log-n 10 \
  --group-member-limit $((members + extra + 16)) >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 300); do curl -sf "$url/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
echo "== setup: a group of $members members, $extra outside"
tools/load/groups-setup.py "$url" "$members" "$extra" "$work"
run() { # NAME SCRIPT LINES
  env THREADS=2 LINES_FILE="$3" wrk -t2 -c64 -d"${seconds}s" --timeout 30s -s "tools/load/$2" "$url" >"$work/$1.txt" 2>&1 || true
  grep '^WRK_JSON ' "$work/$1.txt" | sed 's/^WRK_JSON //' >"$work/$1.json" || { echo "  $1: wrk failed"; return; }
  python3 - "$work/$1.json" "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"  {sys.argv[2]:<16} c64 {r['requests_per_second']:>9.0f} req/s  p50 {r['p50_ms']:.2f}  p99 {r['p99_ms']:.2f}  "
      f"p99.9 {r['p99_9_ms']:.2f} ms  non-2xx {r['non_2xx']}  socket errors {r['socket_errors']}")
PY
}
run join_leave group-join-leave.lua "$work/join-leave"
run members_page group-members-page.lua "$work/pages"
PAGE_SIZE=100 run members_page100 group-members-page.lua "$work/pages"
