#!/usr/bin/env bash
# Measures POST /v1/verifications and POST /v1/verifications/{key}/check with wrk against a
# release logbookd --dev on a fresh data directory on loopback (durable: fsync per commit).
#   tools/load/verifications.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-10}
connections=${2:-64}
LOGBOOK_BENCH=1 tools/setup
swift build -c release --product logbookd >/dev/null
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
.build/release/logbookd --dev --data-dir "$work/data" --port "$port" --dev-outbox-capacity 2000000 \
  --code-resend-interval 0 --code-hourly-limit 1000000 >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

echo "== POST /v1/verifications, $connections connections, ${seconds}s"
wrk -t2 -c"$connections" -d"${seconds}s" -s tools/load/send-code.lua "http://127.0.0.1:$port"

# The delivery worker fills the dev outbox: its codes become "key code" lines.
tools/load/outbox-codes.sh "http://127.0.0.1:$port" "$work/codes" || touch "$work/codes"
echo "prepared $(wc -l <"$work/codes") codes (sends answered 201: compare with the requests above)"
[ -s "$work/codes" ] || { echo "no codes prepared; server log:"; tail -5 "$work/server.log"; exit 1; }

# Half as long as the sends ran, so every check has a fresh key (a reused one would be a 409).
check_seconds=$(( (seconds + 1) / 2 ))
echo "== POST /v1/verifications/{key}/check (right code, each key once), $connections connections, ${check_seconds}s"
LINES_FILE="$work/codes" THREADS=2 wrk -t2 -c"$connections" -d"${check_seconds}s" -s tools/load/check-code.lua "http://127.0.0.1:$port"
