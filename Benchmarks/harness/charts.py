"""The PNG charts of a tools/bench run, drawn by gnuplot (Debian's gnuplot-nox)."""
import os
import shutil
import subprocess
import tempfile

STYLE = """set terminal pngcairo size 1100,600 font "DejaVu Sans,11" noenhanced
set datafile missing "NaN"
set grid ytics lc rgb "#dddddd"
set border 3
set xtics nomirror
set ytics nomirror
set style fill solid 0.85 border -1
set key top left
"""
SHAPES = [("batch_1", "batches of 1"), ("batch_100", "batches of 100"),
          ("batch_1000", "batches of 1,000"), ("concurrent_64", "64 concurrent writers")]
ROUTES = [("baseline", "post", "baseline POST"), ("baseline", "get", "baseline GET"),
          ("logbook", "send_code", "send code"), ("logbook", "check_code", "check code"),
          ("logbook", "get_code", "get code"), ("logbook", "register", "register"),
          ("logbook", "login", "login"), ("logbook", "me", "members/me")]


def value(getter):
    try:
        result = getter()
        return "NaN" if result is None else f"{result}"
    except (KeyError, TypeError, AttributeError):
        return "NaN"


def peer_rate(report, store, shape):
    entry = report["peers"].get("stores", {}).get(store, {}).get(shape)
    return entry.get("events_per_second") if isinstance(entry, dict) else None


def bar_labels(column, offset):
    value = f"column({column})"
    text = (f"{value} >= 10000 ? sprintf(\"%.0fk\", {value}/1000) : "
            f"{value} >= 1000 ? sprintf(\"%.1fk\", {value}/1000) : sprintf(\"%.3g\", {value})")
    return f"'' using ($0{offset:+.3f}):{column}:({text}) with labels offset 0,0.6 font \",8\" notitle"


def charts(report):
    """(file name, data rows, gnuplot body) for every chart with data."""
    out = []
    if report["peers"].get("stores"):
        rows = [f'"{label}" ' + " ".join(value(lambda s=store: peer_rate(report, s, shape))
                                          for store in ("logbook", "sqlite", "postgresql")) for shape, label in SHAPES]
        body = """set title "Durable appends, same events and batches: events per second (log scale)"
set style data histogram
set style histogram clustered gap 1
set logscale y
set yrange [100:*]
set format y "%.0s%c"
set ylabel "events per second"
plot DATA using 2:xtic(1) title "Logbook (LMDB + zstd + Merkle)" lc rgb "#1f77b4", \\
  '' using 3 title "SQLite (WAL, synchronous=FULL)" lc rgb "#ff7f0e", \\
  '' using 4 title "PostgreSQL (synchronous_commit=on)" lc rgb "#2ca02c", \\
  """ + ", \\\n  ".join(bar_labels(c, o) for c, o in ((2, -0.25), (3, 0.0), (4, 0.25)))
        out.append(("throughput", rows, body))
    http = report["http"]
    present = [(s, r, label) for s, r, label in ROUTES if http.get(s, {}).get(r, {}).get("c64")]
    if present:
        rows = [f'"{label}" {http[s][r]["c64"]["requests_per_second"]}' for s, r, label in present]
        body = """set title "HTTP requests per second at 64 connections (wrk -t2 -c64, log scale)"
set style data histogram
set style histogram clustered gap 1
set logscale y
set yrange [1:*]
set format y "%.0s%c"
set ylabel "requests per second"
set key off
plot DATA using 2:xtic(1) lc rgb "#1f77b4", """ + bar_labels(2, 0.0)
        out.append(("http", rows, body))
        rows = [f'"{label}" ' + " ".join(str(http[s][r]["c64"][k]) for k in ("p50_ms", "p99_ms", "p99_9_ms"))
                for s, r, label in present]
        body = """set title "HTTP latency at 64 connections: p50, p99, p99.9 (ms, log scale)"
set style data histogram
set style histogram clustered gap 1
set logscale y
set ylabel "milliseconds"
plot DATA using 2:xtic(1) title "p50" lc rgb "#2ca02c", '' using 3 title "p99" lc rgb "#ff7f0e", \\
  '' using 4 title "p99.9" lc rgb "#d62728", \\
  """ + ", \\\n  ".join(bar_labels(c, o) for c, o in ((2, -0.25), (3, 0.0), (4, 0.25)))
        out.append(("latency", rows, body))
    sweep_routes = [("baseline", "post", "baseline POST"), ("logbook", "send_code", "send code")]
    if any(http.get(s, {}).get(r, {}).get("c1") for s, r, _ in sweep_routes):
        rows = [f"{c} " + " ".join(value(lambda s=s, r=r, k=k: http[s][r][f"c{c}"][k])
                                   for s, r, _ in sweep_routes for k in ("requests_per_second", "p99_ms"))
                for c in (1, 8, 64, 256)]
        body = """set multiplot layout 1,2 title "Connections sweep (wrk -t2)"
set logscale x 2
set xrange [0.8:320]
set xtics (1, 8, 64, 256)
set format y "%.0s%c"
set xlabel "connections"
set ylabel "requests per second"
set title "throughput"
plot DATA using 1:2 with linespoints lw 2 pt 7 title "baseline POST", '' using 1:4 with linespoints lw 2 pt 7 title "send code"
set logscale y
set ylabel "p99 ms"
set format y "%g"
set title "p99 latency (log scale)"
plot DATA using 1:3 with linespoints lw 2 pt 7 title "baseline POST", '' using 1:5 with linespoints lw 2 pt 7 title "send code"
unset multiplot"""
        out.append(("sweep", rows, body))
    if report["growth"]:
        rows = [" ".join(str(g[k]) for k in ("events", "append_batch_1000_events_per_second",
                                            "replay_events_per_second", "stream_read_p50_us", "stream_read_p99_us"))
                for g in report["growth"]]
        body = """set multiplot layout 1,3 title "Growth: cost against log size"
set logscale x 10
set format x "%.0s%c"
set format y "%.1s%c"
set offsets graph 0.08, graph 0.08, 0, 0
set xlabel "events in the log"
set yrange [0:*]
set key bottom left
set ylabel "events per second"
set title "append, batches of 1,000"
plot DATA using 1:2 with linespoints lw 2 pt 7 lc rgb "#1f77b4" title "append"
set title "full replay"
plot DATA using 1:3 with linespoints lw 2 pt 7 lc rgb "#2ca02c" title "replay"
set title "random stream read"
set format y "%g"
set ylabel "microseconds"
set key top left
plot DATA using 1:4 with linespoints lw 2 pt 7 title "p50", '' using 1:5 with linespoints lw 2 pt 7 title "p99"
unset multiplot"""
        out.append(("growth", rows, body))
    return out


def draw_charts(report, out_dir):
    if not shutil.which("gnuplot"):
        print("charts skipped: gnuplot is not installed")
        return
    with tempfile.TemporaryDirectory() as scratch:
        for name, rows, body in charts(report):
            data = os.path.join(scratch, f"{name}.dat")
            with open(data, "w") as file:
                file.write("\n".join(rows) + "\n")
            script = STYLE + f'set output "{os.path.join(out_dir, name + ".png")}"\nDATA = "{data}"\n' + body + "\n"
            result = subprocess.run(["gnuplot"], input=script, capture_output=True, text=True)
            if result.returncode != 0:
                print(f"chart {name} failed: {result.stderr.strip()}")
