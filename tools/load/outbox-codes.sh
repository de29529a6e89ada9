#!/usr/bin/env bash
# Waits until logbookd's delivery worker stops filling the dev outbox, then writes its
# codes as "key code" lines (for check-code.lua and get-code.lua).
#   tools/load/outbox-codes.sh BASE_URL OUT_FILE
set -euo pipefail
url=$1 codes=$2
outbox=$(mktemp)
trap 'rm -f "$outbox"' EXIT
previous=-1
for _ in $(seq 60); do
  curl -sf "$url/v1/dev/outbox" >"$outbox" || true
  size=$(stat -c %s "$outbox")
  [ "$size" = "$previous" ] && break
  previous=$size
  sleep 1
done
python3 - "$outbox" "$codes" <<'PY'
import json, sys
with open(sys.argv[2], "w") as out:
    for item in json.load(open(sys.argv[1])).get("items", []):
        out.write(f"{item['key']} {item['code']}\n")
PY
