#!/usr/bin/env python3
"""Merges the raw figures of one tools/bench run into OUT/latest.json, writes
OUT/results.md (also printed) and draws OUT/*.png with gnuplot.

    report.py RAW_DIR OUT_DIR
"""
import glob
import json
import os
import platform
import re
import shutil
import subprocess
import sys
from datetime import datetime, timezone

from charts import draw_charts

SHAPES = [("batch_1", "batches of 1"), ("batch_100", "batches of 100"),
          ("batch_1000", "batches of 1,000"), ("concurrent_64", "64 concurrent single appends")]
STORES = [("logbook", "Logbook"), ("sqlite", "SQLite"), ("postgresql", "PostgreSQL")]
HTTP_ROUTES = [
    ("baseline", "post", "baseline: Hummingbird 2 JSON POST, no storage"),
    ("baseline", "get", "baseline: Hummingbird 2 GET"),
    ("logbook", "send_code", "`POST /v1/verifications` (send code)"),
    ("logbook", "check_code", "`POST /v1/verifications/{key}/check`"),
    ("logbook", "get_code", "`GET /v1/verifications/{key}`"),
    ("logbook", "register", "`POST /v1/members` (register)"),
    ("logbook", "login", "`POST /v1/sessions` (login)"),
    ("logbook", "me", "`GET /v1/members/me`"),
]
SWEEP = [1, 8, 64, 256]


def load(path, default=None):
    try:
        with open(path) as file:
            return json.load(file)
    except (OSError, ValueError):
        return default


def command(*args):
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=30).stdout.strip()
    except OSError:
        return ""


def machine():
    cpu = ""
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kib = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return {
        "cpu_model": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "os": command("sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"),
        "swift": command("swift", "--version").splitlines()[0] if command("swift", "--version") else "",
        "wrk": command("sh", "-c", "wrk -v 2>&1 | head -1"),
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "git_commit": command("git", "-C", root, "rev-parse", "HEAD"),
        "git_dirty": bool(command("git", "-C", root, "status", "--porcelain", "--untracked-files=no")),
    }


def http_figures(raw):
    http = {}
    for server, route, _ in HTTP_ROUTES:
        entry = {}
        skipped = os.path.join(raw, "http", f"{server}.{route}.skipped")
        if os.path.exists(skipped):
            entry["skipped"] = open(skipped).read().strip()
        for path in glob.glob(os.path.join(raw, "http", f"{server}.{route}.c*.json")):
            connections = path.rsplit(".c", 1)[1].removesuffix(".json")
            entry[f"c{connections}"] = load(path, {})
        if entry:
            http.setdefault(server, {})[route] = entry
    return http


def suite_figures(raw):
    """p50 of every metric of every benchmark, from package-benchmark's Markdown output."""
    text = open(os.path.join(raw, "suites.txt")).read() if os.path.exists(os.path.join(raw, "suites.txt")) else ""
    suites, name = {}, None
    for line in text.splitlines():
        if line.startswith("### "):
            name = line[4:].strip()
        elif name and line.startswith("| ") and not line.startswith("| Metric"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            metric = cells[0].rstrip(" *")
            scale = {"(K)": 1_000, "(M)": 1_000_000, "(G)": 1_000_000_000}.get(metric.split()[-1], 1)
            try:
                p50 = float(cells[3]) * scale
            except (ValueError, IndexError):
                continue
            suites.setdefault(name, {})[re.sub(r" \((K|M|G)\)$", "", metric)] = {"p50": p50, "p99": _num(cells, 6, scale)}
    return suites


def _num(cells, index, scale):
    try:
        return float(cells[index]) * scale
    except (ValueError, IndexError):
        return None


def rate(peers, store, shape):
    value = peers.get("stores", {}).get(store, {}).get(shape, {})
    return value.get("events_per_second") if isinstance(value, dict) else None


def ratios(peers):
    out = {}
    for shape, _ in SHAPES:
        logbook = rate(peers, "logbook", shape)
        for store in ("sqlite", "postgresql"):
            peer = rate(peers, store, shape)
            if logbook and peer:
                out.setdefault(shape, {})[store] = round(logbook / peer, 2)
    return out


def target(name, measured, goal, met, unit=""):
    return {"name": name, "measured": measured, "goal": goal, "met": met, "unit": unit}


def soak_figures(raw, out):
    """The soak's summary (tools/load/soak.py), its chart and CSVs copied next to the report."""
    soak = load(os.path.join(raw, "soak", "soak.json"))
    for name in ("soak.svg", "soak.csv", "soak-kinds.csv"):
        path = os.path.join(raw, "soak", name)
        if os.path.exists(path):
            shutil.copy(path, os.path.join(out, name))
    return soak or {}


def domain_scenarios(raw):
    """The figure lines the feeds, groups and messaging scenarios printed (RAW/domains/NAME.txt):
    their wrk lines, the ratios to their own baseline, the socket load's summary."""
    scenarios = {}
    for name in ("feeds", "groups", "messaging"):
        path = os.path.join(raw, "domains", f"{name}.txt")
        if not os.path.exists(path):
            continue
        lines = [line.rstrip() for line in open(path, errors="replace")]
        scenarios[name] = [line for line in lines if line.strip() and not line.startswith(("== ", "WS_JSON ", "ws-load: "))]
    return scenarios


def targets(http, peers, growth, ratio, soak=None):
    result = []
    send = http.get("logbook", {}).get("send_code", {}).get("c64")
    base = http.get("baseline", {}).get("post", {}).get("c64")
    if send and base:
        share = send["requests_per_second"] / base["requests_per_second"]
        result.append(target("HTTP `POST /v1/verifications`, 64 connections: share of the baseline's requests/s",
                             round(share, 2), ">= 0.5", share >= 0.5, "x"))
        result.append(target("HTTP `POST /v1/verifications`, 64 connections: p99",
                             send["p99_ms"], "<= 10 ms", send["p99_ms"] <= 10, "ms"))
    for shape, store, goal in (("batch_1000", "sqlite", 2), ("batch_1000", "postgresql", 5),
                               ("concurrent_64", "sqlite", 10), ("concurrent_64", "postgresql", 3)):
        value = ratio.get(shape, {}).get(store)
        label = dict(SHAPES)[shape]
        store_name = dict(STORES)[store]
        if value is None:
            skipped = peers.get("stores", {}).get(store, {}).get("skipped") or peers.get("skipped") or "not measured"
            result.append(target(f"Append, {label}: Logbook / {store_name}", None, f">= {goal} x", None, skipped))
        else:
            result.append(target(f"Append, {label}: Logbook / {store_name}", value, f">= {goal} x", value >= goal, "x"))
    concurrent = rate(peers, "logbook", "concurrent_64")
    if concurrent:
        result.append(target("Append, 64 concurrent single appends: Logbook events/s", concurrent, ">= 50,000",
                             concurrent >= 50_000, "events/s"))
    if len(growth) >= 2:
        first, last = growth[0], growth[-1]
        share = last["append_batch_1000_events_per_second"] / first["append_batch_1000_events_per_second"]
        sizes = f"{_size(last['events'])} vs {_size(first['events'])} events"
        result.append(target(f"Growth: append rate at {sizes} (goal: 50 M vs 1 M)", round(share, 2),
                             ">= 0.8 x", share >= 0.8, "x"))
    for judgement in (soak or {}).get("judgements", []):
        if judgement["passed"] is not None:
            result.append(target(f"Soak ({soak['duration_s']:.0f} s): {judgement['name']}", judgement["measured"],
                                 judgement["rule"], judgement["passed"]))
    return result


def _size(events):
    return f"{events / 1e6:.1f} M" if events >= 1e6 else f"{events / 1e3:.0f} k"


def fmt(value, digits=0):
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def markdown(report):
    m = report["machine"]
    lines = ["# Logbook benchmark results", "",
             f"{m['date']}, commit `{m['git_commit'][:12]}`{' (with local changes)' if m['git_dirty'] else ''}, "
             f"{'quick mode (small sizes: not for comparison)' if report['mode'].get('quick') else 'full run'}"
             f"{', debug builds (a check of the harness: the figures mean nothing)' if report['mode'].get('build') == 'debug' else ''}. "
             f"Machine: {m['cpu_model']}, {m['cores']} cores, {m['memory_gib']} GiB, {m['os']}, "
             f"Linux {m['kernel']}, {m['swift']}.", ""]
    lines += ["## Targets", "", "| target | measured | goal | met |", "| --- | --- | --- | --- |"]
    for t in report["targets"]:
        if t["measured"] is None:
            measured = t["unit"]
        elif isinstance(t["measured"], str):
            measured = t["measured"]
        else:
            measured = f"{t['measured']:,} {t['unit']}".strip()
        met = "–" if t["met"] is None else ("yes" if t["met"] else "**no**")
        lines.append(f"| {t['name']} | {measured} | {t['goal']} | {met} |")
    http = report["http"]
    if http:
        lines += ["", "## HTTP, 64 connections", "",
                  "wrk -t2 -c64 on loopback; wrk and the server share the machine's cores. Logbook: release "
                  "`logbookd --dev` on a fresh data directory, every command durable (fsync) before its answer"
                  + (f" (logbookd from `{report['mode']['logbookd']}`)" if report["mode"].get("logbookd") else "")
                  + ".", "",
                  "| route | requests/s | p50 ms | p99 ms | p99.9 ms | errors |", "| --- | --- | --- | --- | --- | --- |"]
        for server, route, label in HTTP_ROUTES:
            entry = http.get(server, {}).get(route, {})
            run = entry.get("c64")
            if run:
                errors = run["non_2xx"] + run["socket_errors"]
                lines.append(f"| {label} | {fmt(run['requests_per_second'])} | {run['p50_ms']:.2f} | "
                             f"{run['p99_ms']:.2f} | {run['p99_9_ms']:.2f} | {errors} |")
            elif "skipped" in entry:
                lines.append(f"| {label} | skipped: {entry['skipped']} | | | | |")
        lines += ["", "### Connections sweep (requests/s, p99 ms)", "",
                  "| route | " + " | ".join(f"{c} conn." for c in SWEEP) + " |", "| --- |" + " --- |" * len(SWEEP)]
        for server, route, label in HTTP_ROUTES[:3]:
            entry = http.get(server, {}).get(route, {})
            if any(f"c{c}" in entry for c in SWEEP) and route != "get":
                cells = [f"{fmt(entry[f'c{c}']['requests_per_second'])} / {entry[f'c{c}']['p99_ms']:.1f}"
                         if f"c{c}" in entry else "–" for c in SWEEP]
                lines.append(f"| {label} | " + " | ".join(cells) + " |")
    peers = report["peers"]
    if peers:
        lines += ["", "## Event stores: Logbook, SQLite, PostgreSQL", ""]
        if "skipped" in peers:
            lines.append(f"Skipped: {peers['skipped']}")
        else:
            lines += [f"The same pre-encoded events (about {peers.get('event_body_bytes', 0)} bytes of envelope each) "
                      "and batch shapes, driven from Swift (`peer-bench`). Logbook: the LMDB log with zstd, the stream "
                      "index and the Merkle tree. SQLite: WAL, synchronous=FULL. PostgreSQL: a temporary cluster on "
                      "loopback, synchronous_commit=on, one connection per writer. Events/s:", "",
                      "| shape | Logbook | SQLite | PostgreSQL | Logbook / SQLite | Logbook / PostgreSQL |",
                      "| --- | --- | --- | --- | --- | --- |"]
            for shape, label in SHAPES:
                cells = [fmt(rate(peers, store, shape)) for store, _ in STORES]
                ratio = report["ratios"].get(shape, {})
                lines.append(f"| {label} | " + " | ".join(cells) +
                             f" | {fmt(ratio.get('sqlite'), 1)} | {fmt(ratio.get('postgresql'), 1)} |")
            for store, name in STORES:
                skipped = peers.get("stores", {}).get(store, {}).get("skipped")
                if skipped:
                    lines.append(f"\n{name} skipped: {skipped}")
    if report["growth"]:
        lines += ["", "## Growth", "",
                  "One log grown by `peer-bench growth` (realistic events, batches of 1,000), closed and opened "
                  "again at each size, then: a full replay into a projection, whole streams (up to 1,000 events) "
                  "read at random, then appends in batches of 1,000.", "",
                  "| events | LMDB file | append, batches of 1,000 | stream read p50 / p99 | replay |",
                  "| --- | --- | --- | --- | --- |"]
        for g in report["growth"]:
            lines.append(f"| {_size(g['events'])} | {g['file_bytes'] / 1e9:.2f} GB | "
                         f"{fmt(g['append_batch_1000_events_per_second'])} events/s | "
                         f"{g['stream_read_p50_us']:.0f} / {g['stream_read_p99_us']:.0f} µs | "
                         f"{fmt(g['replay_events_per_second'])} events/s |")
    if report["suites"]:
        lines += ["", "## package-benchmark suites (p50)", "", "| benchmark | metric | p50 |", "| --- | --- | --- |"]
        for name, metrics in report["suites"].items():
            for metric, values in metrics.items():
                if metric.startswith("Malloc"):
                    continue
                lines.append(f"| {name} | {metric} | {fmt(values['p50'])} |")
    soak = report.get("soak")
    if soak:
        lines += ["", "## Soak", "",
                  f"`tools/load/soak.py`: {soak['duration_s']:.0f} s of mixed load over every domain against "
                  f"`logbookd --dev` ({soak['requests_per_second']:.0f} requests/s, {soak['sockets']} sockets connecting and "
                  f"dropping, {soak['websocket']['connects']:,} socket connections in all"
                  + (f"; idempotency keys and expired codes kept {soak['test_retention_s']} s" if soak.get("test_retention_s") else "")
                  + "), sampled every " + f"{soak['interval_s']:g} s; the first 20% is warm-up.", "",
                  "| judgement | measured | rule | passed |", "| --- | --- | --- | --- |"]
        for j in soak["judgements"]:
            passed = "–" if j["passed"] is None else ("yes" if j["passed"] else "**no**")
            lines.append(f"| {j['name']} | {j['measured'] if j['measured'] is not None else '–'} | {j['rule']} | {passed} |")
        keys, codes = soak["idempotency_keys"], soak["codes"]
        lines += ["", f"VmRSS {soak['rss_mib']['start']} MiB at the start, {soak['rss_mib']['end']} MiB at the end "
                  f"(anonymous {soak['rss_anon_mib']['start']} -> {soak['rss_anon_mib']['end']} MiB); descriptors "
                  f"{soak['fds']['start']} -> {soak['fds']['end']} (max {soak['fds']['max']}); p99 per window (ms): "
                  + ", ".join(f"{p:.0f}" for p in soak["p99_ms_windows"]) + ". Idempotency keys stored at the end: "
                  f"{fmt(keys['stored_end'])} (max {fmt(keys['stored_max'])}, {fmt(keys['pruned_total'])} pruned); codes sent "
                  f"{codes['sent']:,}, held at the end {fmt(codes['stored_end'])} (max {fmt(codes['stored_max'])}); "
                  f"5xx {soak['errors']['5xx']}, dropped connections {soak['errors']['dropped']}.", "",
                  "![Soak: RSS, descriptors and p99 over time](soak.svg)"]
    scenarios = report.get("domains") or {}
    if scenarios:
        lines += ["", "## Feeds, groups and messaging", "",
                  "`tools/load/feeds-bench.sh`, `groups-bench.sh` and `messaging-bench.sh` (the socket load by `ws-load`), "
                  "each against its own `logbookd --dev` (feeds and messaging run their own baseline first; groups has none: "
                  "compare it with the feeds run's, minutes before); as they printed them:"]
        for name, printed in scenarios.items():
            lines += ["", f"{name}:", "", "```"] + printed + ["```"]
    lines += ["", "Charts: `throughput.png` (event stores), `http.png` (HTTP requests/s), `latency.png` "
              "(HTTP latency percentiles), `sweep.png` (connections sweep), `growth.png` (growth curve), "
              "`soak.svg` (the soak's RSS, descriptors and p99 over time, its figures in `soak.csv`).", ""]
    return "\n".join(lines)


def main():
    raw, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    growth = sorted((load(p) for p in glob.glob(os.path.join(raw, "growth-*.json"))), key=lambda g: g["events"])
    peers = load(os.path.join(raw, "peers.json"), {})
    http = http_figures(raw)
    ratio = ratios(peers)
    soak = soak_figures(raw, out)
    report = {
        "machine": machine(),
        "mode": load(os.path.join(raw, "mode.json"), {}),
        "suites": suite_figures(raw),
        "http": http,
        "peers": peers,
        "ratios": ratio,
        "growth": growth,
        "soak": soak,
        "domains": domain_scenarios(raw),
        "targets": targets(http, peers, growth, ratio, soak),
    }
    with open(os.path.join(out, "latest.json"), "w") as file:
        json.dump(report, file, indent=2, sort_keys=False)
        file.write("\n")
    text = markdown(report)
    with open(os.path.join(out, "results.md"), "w") as file:
        file.write(text)
    draw_charts(report, out)
    print(text)


main()
