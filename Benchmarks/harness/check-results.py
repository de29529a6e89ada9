#!/usr/bin/env python3
"""Checks that a tools/bench run produced every figure and chart (not how good they
are): used by tools/test after `tools/bench --quick --debug-build --out DIR`.

    check-results.py DIR
"""
import json
import os
import sys

out = sys.argv[1]
report = json.load(open(os.path.join(out, "latest.json")))
problems = []


def need(condition, what):
    if not condition:
        problems.append(what)


def figures(entry):
    return isinstance(entry, dict) and ("skipped" in entry or "requests_per_second" in entry.get("c64", {}))


for key in ("cpu_model", "cores", "memory_gib", "kernel", "swift", "date", "git_commit"):
    need(report.get("machine", {}).get(key) not in (None, ""), f"machine.{key}")
# --debug-build (tools/test) leaves the package-benchmark suites out: their package would build
# every dependency again.
need(report.get("suites") or report.get("mode", {}).get("build") == "debug", "suites: no package-benchmark figures")
http = report.get("http", {})
for connections in (1, 8, 64, 256):
    need("requests_per_second" in http.get("baseline", {}).get("post", {}).get(f"c{connections}", {}),
         f"http.baseline.post.c{connections}")
    need("p99_9_ms" in http.get("logbook", {}).get("send_code", {}).get(f"c{connections}", {}),
         f"http.logbook.send_code.c{connections}")
for route in ("check_code", "get_code", "register", "login", "me"):
    need(figures(http.get("logbook", {}).get(route)), f"http.logbook.{route}: neither figures nor a skip reason")
stores = report.get("peers", {}).get("stores", {})
for shape in ("batch_1", "batch_100", "batch_1000", "concurrent_64"):
    need("events_per_second" in stores.get("logbook", {}).get(shape, {}), f"peers.logbook.{shape}")
for store in ("sqlite", "postgresql"):
    entry = stores.get(store, {})
    need("skipped" in entry or all("events_per_second" in entry.get(s, {}) for s in ("batch_1", "batch_1000")),
         f"peers.{store}: neither figures nor a skip reason")
growth = report.get("growth", [])
need(len(growth) >= 2, "growth: fewer than two sizes")
for g in growth:
    for key in ("append_batch_1000_events_per_second", "replay_events_per_second", "stream_read_p99_us"):
        need(key in g, f"growth.{key}")
# The feeds, groups and messaging scenarios printed their figures (the socket load by ws-load).
domains = report.get("domains", {})
for name, marker in (("feeds", "logbook.feed_following"), ("groups", "members_page100"), ("messaging", "ws-load (Swift)")):
    need(any(marker in line for line in domains.get(name, [])), f"domains.{name}: no '{marker}' line")
need(not any("scenario failed" in line for lines in domains.values() for line in lines), "domains: a scenario failed")
need(len(report.get("targets", [])) >= 5, "targets")
for chart in ("throughput", "http", "latency", "sweep", "growth"):
    path = os.path.join(out, f"{chart}.png")
    need(os.path.exists(path) and os.path.getsize(path) > 1000, f"{chart}.png")
need(os.path.exists(os.path.join(out, "results.md")), "results.md")
# The soak: its windows, chart and the judgements that hold whatever the run's length (a
# 45-second run is too short to judge trends: those are reported, and judged in the full run).
soak = report.get("soak", {})
need(len(soak.get("p99_ms_windows", [])) >= 5, "soak: fewer than five windows")
need(soak.get("requests", 0) > 0 and soak.get("websocket", {}).get("connects", 0) > 0, "soak: no requests or no sockets")
for judgement in soak.get("judgements", []):
    if judgement["name"] in ("no 5xx", "no dropped connection", "clean exit"):
        need(judgement["passed"], f"soak: {judgement['name']} ({judgement['measured']})")
need(os.path.exists(os.path.join(out, "soak.svg")) and os.path.getsize(os.path.join(out, "soak.svg")) > 1000, "soak.svg")
need(os.path.exists(os.path.join(out, "soak.csv")), "soak.csv")

if problems:
    print("tools/bench --quick is missing: " + "; ".join(problems))
    sys.exit(1)
print(f"tools/bench --quick: every figure and chart is there ({len(report['targets'])} targets)")
