#!/usr/bin/env bash
# The messaging load: a logbookd --dev on a fresh data directory; the baseline POST
# (baseline-server, when given, else logbookd's own POST /v1/verifications) and
# POST /v1/messages (direct, message-post.lua) under wrk at 64 connections, then the
# socket load: SOCKETS sockets in groups of 50, RATE group messages/s, run by `ws-load`
# (Swift; built beside LOGBOOKD: swift build -c release --product ws-load) or, when it is
# not built, by ws-load.py (a closed loop of 32 senders: its rate is 32 per round trip).
# Prints each figure and the message POST as a ratio of the baseline of the same run.
#   tools/load/messaging-bench.sh LOGBOOKD [SOCKETS (10000)] [RATE (1000)] [SECONDS (30)] [BASELINE_SERVER]
# A smoke: tools/load/messaging-bench.sh .build/debug/logbookd 200 100 5
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$1 sockets=${2:-10000} rate=${3:-1000} seconds=${4:-30} baseline=${5:-}
# ws-load.py needs websockets: the tools environment tools/setup makes, when there is one.
tools=${LOGBOOK_TOOLS:-/opt/logbook-tools}
if [ -x "$tools/fuzz/bin/python3" ]; then PATH="$tools/fuzz/bin:$PATH"; fi
ulimit -n $((sockets * 2 + 1024)) 2>/dev/null || ulimit -n "$(ulimit -Hn)"
work=$(mktemp -d /var/tmp/logbook-messaging.XXXXXX)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
# Not in a command substitution: its subshell would keep the pid from the trap above,
# and the servers would outlive the script.
start() { # NAME URL_VAR command...
  local name=$1 var=$2; shift 2
  local port=$((20000 + RANDOM % 20000))
  "$@" --port "$port" >"$work/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  printf -v "$var" '%s' "http://127.0.0.1:$port"
}
wrk_run() { # NAME URL SCRIPT [VAR=VALUE...]
  local name=$1 url=$2 script=$3; shift 3
  env THREADS=2 "$@" wrk -t2 -c64 -d"${seconds}s" --timeout 30s -s "tools/load/$script" "$url" >"$work/$name.txt" 2>&1 || true
  grep '^WRK_JSON ' "$work/$name.txt" | sed 's/^WRK_JSON //' >"$work/$name.json" || echo '{}' >"$work/$name.json"
}
start logbookd url "$bin" --dev --data-dir "$work/data" --password-hash-log-n 10 --max-connections $((sockets + 1024)) \
  --group-member-limit 1000
if [ -n "$baseline" ]; then start baseline base_url "$baseline"; else base_url=$url; fi
echo "== setup: $sockets members in groups of 50"
python3 tools/load/ws-load.py "$url" "$work" --sockets "$sockets" --setup-only
echo "== wrk c64 ${seconds}s"
wrk_run baseline "$base_url" baseline-post.lua
wrk_run message_post "$url" message-post.lua LINES_FILE="$work/direct-lines"
echo "== sockets: $sockets held, $rate group messages/s for ${seconds}s"
ws_load=${WS_LOAD:-$(dirname "$bin")/ws-load}
if [ -x "$ws_load" ]; then
  "$ws_load" "$url" "$work" --rate "$rate" --seconds "$seconds" | tee "$work/ws.txt"
else
  echo "($ws_load is not built: the Python tool runs the socket load, and its sender is the limit)"
  python3 tools/load/ws-load.py "$url" "$work" --sockets "$sockets" --rate "$rate" --seconds "$seconds" | tee "$work/ws.txt"
fi
python3 - "$work" "$sockets" "$rate" <<'PY'
import json, sys
work, sockets, rate = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
base = json.load(open(f"{work}/baseline.json"))
post = json.load(open(f"{work}/message_post.json"))
ws = json.loads(next(l for l in open(f"{work}/ws.txt") if l.startswith("WS_JSON "))[8:])
b, m = base.get("requests_per_second", 0), post.get("requests_per_second", 0)
print(f"baseline POST      c64 {b:>9.0f} req/s  p99 {base.get('p99_ms', 0):.2f} ms  non-2xx {base.get('non_2xx')}")
print(f"POST /v1/messages  c64 {m:>9.0f} req/s  p99 {post.get('p99_ms', 0):.2f} ms  non-2xx {post.get('non_2xx')}  "
      f"ratio {m / b if b else 0:.2f} x (target >= 0.5 x, p99 <= 10 ms)")
print(f"{ws.get('tool', 'ws-load.py')}: sockets held {ws['sockets_held']} / {sockets}; {ws['messages_per_second']:.0f} messages/s (asked {rate:.0f}); "
      f"{ws['deliveries_per_second']:.0f} deliveries/s ({ws['deliveries']} of {ws['deliveries_expected']}); "
      f"send-to-receive p50 {ws['latency_p50_ms']:.1f} ms p99 {ws['latency_p99_ms']:.1f} ms (target p99 <= 100 ms at 1,000 msg/s, 10,000 sockets); "
      f"send errors {ws.get('send_errors', ws.get('errors', 0))}, socket errors {ws['socket_errors']}, closed early {ws['closed_early']}"
      + (f"; {ws['messages_offered']} offered, the schedule at most {ws['max_schedule_lag_ms']:.0f} ms behind" if 'messages_offered' in ws else ""))
PY
