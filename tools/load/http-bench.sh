#!/usr/bin/env bash
# HTTP load for tools/bench: wrk against the baseline server, then against a release
# logbookd --dev on a fresh data directory, both on loopback. Every figure lands in
# RAW/http/<server>.<route>.c<connections>.json (wrk's output beside it as .txt); a
# route that cannot run writes <server>.<route>.skipped with the reason.
#   tools/load/http-bench.sh BIN_DIR RAW_DIR SECONDS SWEEP_SECONDS
# BIN_DIR holds logbookd and baseline-server (release builds); LOGBOOKD=PATH loads another logbookd.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$1 raw=$2 seconds=$3 sweep_seconds=$4
out="$raw/http"
mkdir -p "$out"
work=$(mktemp -d /var/tmp/logbook-http.XXXXXX)
server=""
stop_server() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  server=""
}
trap 'stop_server; rm -rf "$work"' EXIT

start_server() { # log_name command...
  local log=$1; shift
  port=$((20000 + RANDOM % 20000))
  "$@" --port "$port" >"$work/$log.log" 2>&1 &
  server=$!
  url="http://127.0.0.1:$port"
  for _ in $(seq 300); do curl -sf "$url/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "http-bench: $log did not start:"; tail -5 "$work/$log.log"; return 1
}

# load NAME CONNECTIONS SECONDS SCRIPT [VAR=VALUE...]: one wrk run, JSON kept.
load() {
  local name=$1 connections=$2 duration=$3 script=$4; shift 4
  local threads=2
  [ "$connections" -lt 2 ] && threads=1
  env THREADS=$threads "$@" wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 30s \
    -s "tools/load/$script" "$url" >"$out/$name.c$connections.txt" 2>&1 || true
  if grep -q '^WRK_JSON ' "$out/$name.c$connections.txt"; then
    grep '^WRK_JSON ' "$out/$name.c$connections.txt" | sed 's/^WRK_JSON //' >"$out/$name.c$connections.json"
    python3 - "$out/$name.c$connections.json" "$name" "$connections" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"  {sys.argv[2]:<22} c{sys.argv[3]:<4} {r['requests_per_second']:>9.0f} req/s  p50 {r['p50_ms']:.2f}  "
      f"p99 {r['p99_ms']:.2f}  p99.9 {r['p99_9_ms']:.2f} ms  non-2xx {r['non_2xx']}  socket errors {r['socket_errors']}")
PY
  else
    echo "wrk failed: $(tail -3 "$out/$name.c$connections.txt")" >"$out/$name.skipped"
    echo "  $name c$connections: wrk failed"
  fi
}

warm_up() { # SCRIPT: one discarded second of load, so the first measured run starts warm
  THREADS=2 wrk -t2 -c64 -d1s -s "tools/load/$1" "$url" >/dev/null 2>&1 || true
}

# Waits (up to a minute) until a login answers within a second: the logins wrk left
# queued behind the slow password hashing are done.
drain_password_queue() {
  local username password _
  read -r username password _ <"$work/members"
  for _ in $(seq 60); do
    seconds_taken=$(curl -s -o /dev/null -w '%{time_total}' -X POST "$url/v1/sessions" \
      -H 'content-type: application/json' -d "{\"username\":\"$username\",\"password\":\"$password\"}")
    python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < 1 else 1)" "$seconds_taken" && return 0
  done
}

skip() { # NAME REASON
  echo "$2" >"$out/$1.skipped"
  echo "  $1: skipped: $2"
}

echo "== baseline: Hummingbird 2, a small JSON POST, no storage"
start_server baseline "$bin/baseline-server"
warm_up baseline-post.lua
load baseline.post 64 "$seconds" baseline-post.lua
for connections in 1 8 256; do load baseline.post "$connections" "$sweep_seconds" baseline-post.lua; done
load baseline.get 64 "$sweep_seconds" baseline-get.lua
stop_server

echo "== logbookd --dev, fresh data directory (durable: fsync per commit)"
start_server logbookd "${LOGBOOKD:-$bin/logbookd}" --dev --data-dir "$work/data" --dev-outbox-capacity 4000000 \
  --code-resend-interval 0 --code-hourly-limit 1000000
warm_up send-code.lua
load logbook.send_code 64 "$seconds" send-code.lua
for connections in 1 8 256; do load logbook.send_code "$connections" "$sweep_seconds" send-code.lua; done

# The delivery worker fills the dev outbox: its codes become "key code" lines.
tools/load/outbox-codes.sh "$url" "$work/codes" || true
if [ -s "$work/codes" ]; then
  load logbook.get_code 64 "$sweep_seconds" get-code.lua LINES_FILE="$work/codes"
  # Shorter than the sends, so every check has a fresh key (a reused one would be a 409).
  load logbook.check_code 64 "$(( (seconds + 1) / 2 ))" check-code.lua LINES_FILE="$work/codes"
else
  skip logbook.get_code "no codes in the dev outbox"
  skip logbook.check_code "no codes in the dev outbox"
fi

# Members: a few registered up front (scrypt makes each take hundreds of ms) for login and me.
members_status=0
tools/load/register-members.py "$url" "${LOGBOOK_BENCH_MEMBERS:-32}" "$work/members" 2>"$work/members.log" || members_status=$?
if [ "$members_status" = 3 ]; then
  for route in register login me; do skip "logbook.$route" "route not available"; done
elif [ "$members_status" != 0 ]; then
  for route in register login me; do skip "logbook.$route" "registering members failed: $(tail -1 "$work/members.log")"; done
else
  # Registration last: the requests wrk leaves in the password-hashing queue would slow what follows.
  load logbook.me 64 "$sweep_seconds" me.lua LINES_FILE="$work/members"
  load logbook.login 64 "$seconds" login.lua LINES_FILE="$work/members"
  drain_password_queue
  load logbook.register 64 "$seconds" register.lua
fi
stop_server
