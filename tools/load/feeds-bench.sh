#!/usr/bin/env bash
# Feed load for the lead's measurements, in http-bench.sh's style: a release logbookd --dev on
# a fresh data directory, feed-setup.py (1,000 authors with 2 posts each, one reader following
# them all, 256 likers), then wrk at 64 connections on
#   - PUT/DELETE /v1/feeds/{id}/like (every request an append; target >= 0.5x baseline POST, p99 <= 10 ms),
#   - GET /v1/feeds/{id} (target >= 0.5x baseline GET, p99 <= 10 ms),
#   - GET /v1/feeds/following for the reader following 1,000 authors (same target).
# First, when BIN_DIR holds baseline-server (or BASELINE_SERVER=PATH names one), the baseline's
# POST and GET at 64 connections, so the feed figures print as ratios of the same run's baseline.
# Figures land in RAW/http/{baseline,logbook}.*.c64.json (wrk's output beside them as .txt).
#   tools/load/feeds-bench.sh BIN_DIR RAW_DIR SECONDS     (LOGBOOKD=PATH loads another logbookd)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$1 raw=$2 seconds=$3
out="$raw/http"
mkdir -p "$out"
work=$(mktemp -d /var/tmp/logbook-feeds.XXXXXX)
server=""
trap 'stop_server; rm -rf "$work"' EXIT

stop_server() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  server=""
}

start_server() { # LOG COMMAND...
  local log=$1; shift
  port=$((20000 + RANDOM % 20000))
  url="http://127.0.0.1:$port"
  "$@" --port "$port" >"$work/$log.log" 2>&1 &
  server=$!
  for _ in $(seq 300); do curl -sf "$url/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "feeds-bench: $log did not start:"; tail -5 "$work/$log.log"; return 1
}

load() { # NAME SCRIPT LINES_FILE
  local name=$1 script=$2 lines=$3
  env THREADS=2 LINES_FILE="$lines" wrk -t2 -c64 -d"${seconds}s" --timeout 30s -s "tools/load/$script" "$url" \
    >"$out/$name.c64.txt" 2>&1 || true
  if grep -q '^WRK_JSON ' "$out/$name.c64.txt"; then
    grep '^WRK_JSON ' "$out/$name.c64.txt" | sed 's/^WRK_JSON //' >"$out/$name.c64.json"
    python3 - "$out/$name.c64.json" "$name" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"  {sys.argv[2]:<24} {r['requests_per_second']:>9.0f} req/s  p50 {r['p50_ms']:.2f}  p99 {r['p99_ms']:.2f} ms  non-2xx {r['non_2xx']}")
PY
  else
    echo "wrk failed: $(tail -3 "$out/$name.c64.txt")" >"$out/$name.skipped"
  fi
}

baseline=${BASELINE_SERVER:-$bin/baseline-server}
if [ -x "$baseline" ]; then
  echo "== baseline: Hummingbird 2, a small JSON POST, no storage"
  start_server baseline "$baseline"
  THREADS=2 wrk -t2 -c64 -d1s -s tools/load/baseline-post.lua "$url" >/dev/null 2>&1 || true
  load baseline.post baseline-post.lua ""
  load baseline.get baseline-get.lua ""
  stop_server
fi

echo "== logbookd --dev: feeds"
# Password hashing is cheap here only so the setup's 1,257 registrations take seconds; no feed route hashes.
start_server logbookd "${LOGBOOKD:-$bin/logbookd}" --dev --data-dir "$work/data" --password-hash-log-n 10
status=0
tools/load/feed-setup.py "$url" "$work" 1000 256 || status=$?
if [ "$status" != 0 ]; then
  for name in feed_like feed_get feed_following; do echo "setup failed ($status)" >"$out/logbook.$name.skipped"; done
  exit 0
fi
THREADS=2 LINES_FILE="$work/posts" wrk -t2 -c64 -d1s -s tools/load/feed-get.lua "$url" >/dev/null 2>&1 || true
load logbook.feed_like feed-like.lua "$work/likes"
load logbook.feed_get feed-get.lua "$work/posts"
load logbook.feed_following feed-following.lua "$work/following"

# The targets as ratios of this run's baseline (POST for the like, GET for the reads).
python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
def figures(name):
    path = os.path.join(out, name + ".c64.json")
    return json.load(open(path)) if os.path.exists(path) else None
for name, base in (("logbook.feed_like", "baseline.post"), ("logbook.feed_get", "baseline.get"), ("logbook.feed_following", "baseline.get")):
    run, ref = figures(name), figures(base)
    if run and ref:
        ratio = run["requests_per_second"] / ref["requests_per_second"]
        print(f"  {name:<24} {ratio:.2f}x {base} (target >= 0.5x), p99 {run['p99_ms']:.2f} ms (target <= 10 ms)")
PY