#!/usr/bin/env python3
"""Feeds at scale (issue 12's targets with many posts), on a logbookd it starts:

    feeds-scale.py LOGBOOKD [--posts 1000000] [--seconds 10] [--out DIR]

1. 64 authors write --posts text posts through POST /v1/feeds at 64 connections (wrk,
   feed-post.lua: 8-20 words of a 100-word Latin vocabulary and three-character Chinese
   words), while 2,000 more posts ("victims") are written among them one by one, ids kept.
2. wrk at 64 connections for --seconds each: GET /v1/feeds?q= for one Latin word, two Latin
   words, a Chinese pair, and GET /v1/feeds/recommended?limit=20 (targets: p99 <= 20 ms).
3. A cursor crawl of the whole public list (limit 100) while 32 connections post and the
   victims are deleted: no item twice, keys strictly newest first, and every post that
   existed throughout (a second crawl afterwards, less the posts newer than the first
   crawl's start) in the first crawl.
Figures print as one line per phase and land in DIR/feeds-scale.json. Exit 1 when the
crawl check fails.
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from importlib import import_module

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


call = import_module("feed-setup").call


def start_server(logbookd, prefix):
    """A release or debug logbookd --dev on a scratch directory under /var/tmp: (process, base URL, directory)."""
    work = tempfile.mkdtemp(prefix=prefix, dir="/var/tmp")
    port = 20000 + random.randrange(20000)
    base = f"http://127.0.0.1:{port}"
    log = open(os.path.join(work, "server.log"), "w")
    server = subprocess.Popen([logbookd, "--dev", "--data-dir", os.path.join(work, "data"), "--port", str(port),
                               "--password-hash-log-n", "10"], stdout=log, stderr=subprocess.STDOUT)
    for _ in range(300):
        try:
            if call(base, "GET", "/healthz", timeout=1)[0] == 200:
                break
        except OSError:
            time.sleep(0.1)
    return server, base, work


def stop_server(server, work):
    server.terminate()
    server.wait()
    shutil.rmtree(work, ignore_errors=True)


def write_json(out, name, figures):
    if out:
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, name), "w") as handle:
            json.dump(figures, handle, indent=2)


def wrk(base, script, seconds, connections, env, label):
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", f"tools/load/{script}", base],
        cwd=ROOT, env={**os.environ, "THREADS": "2", **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    line = next((l for l in result.stdout.splitlines() if l.startswith("WRK_JSON ")), None)
    if line is None:
        raise SystemExit(f"wrk {label} failed: {result.stdout[-500:]}")
    figures = json.loads(line[len("WRK_JSON "):])
    print(f"  {label:<28} {figures['requests']:>9} req {figures['requests_per_second']:>9.0f}/s  "
          f"p50 {figures['p50_ms']:.2f}  p99 {figures['p99_ms']:.2f}  max {figures['max_ms']:.1f} ms  non-2xx {figures['non_2xx']}",
          flush=True)
    return figures


def crawl(base):
    """Every item of the public list, newest first, following next_cursor to the end."""
    items, cursor, pages, started = [], None, 0, time.monotonic()
    while True:
        path = "/v1/feeds?limit=100" + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else "")
        status, page = call(base, "GET", path)
        if status != 200:
            raise SystemExit(f"crawl: {path} answered {status}: {page}")
        items += [(item["id"], item["created_at"]) for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            return items, pages, time.monotonic() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("logbookd")
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--victims", type=int, default=2000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--out", default=None)
    parser.add_argument("--skip-crawl", action="store_true", help="stop after the reads")
    parser.add_argument("--hold", type=int, default=0, help="keep the server up this many seconds at the end (profiling)")
    args = parser.parse_args()
    server, base, work = start_server(args.logbookd, "logbook-feeds-scale.")
    results = {"posts": args.posts}
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            def register(index):
                status, reply = call(base, "POST", "/v1/members", {"username": f"author_{index}", "password": "Horse-battery-9", "display_name": f"Author {index}"})
                if status != 201:
                    raise SystemExit(f"register answered {status}: {reply}")
                return reply["token"]
            tokens = list(pool.map(register, range(65)))
        lines = os.path.join(work, "authors")
        with open(lines, "w") as handle:
            handle.write("\n".join(tokens[1:]) + "\n")

        print(f"feeds-scale: writing {args.posts:,} posts at 64 connections and {args.victims:,} victims among them", flush=True)
        victims, stop = [], threading.Event()

        def write_victims():
            for index in range(args.victims):
                status, reply = call(base, "POST", "/v1/feeds", {"type": "text", "content": f"victim number {index} karan"}, tokens[0])
                if status == 201:
                    victims.append(reply["id"])
                if stop.wait(0.05):
                    return
        writer = threading.Thread(target=write_victims)
        writer.start()
        started = time.monotonic()
        # wrk runs for its whole duration even once its threads stop, so the posts go in
        # chunks of 20 s, the last one stopping each thread at its share of what is left.
        remaining, chunks = args.posts, []
        while remaining > 0:
            per_thread = str((remaining + 1) // 2)
            chunk = wrk(base, "feed-post.lua", 20, 64, {"LINES_FILE": lines, "POSTS_PER_THREAD": per_thread}, "POST /v1/feeds (seeding)")
            if chunk["requests"] == chunk["non_2xx"]:
                raise SystemExit("feeds-scale: no post was accepted")
            remaining -= chunk["requests"] - chunk["non_2xx"]
            chunks.append(chunk)
        stop.set()
        writer.join()
        results["seeding"] = {"chunks": chunks, "wall_seconds": time.monotonic() - started, "victims": len(victims)}

        print("feeds-scale: reads at 64 connections", flush=True)
        for name, queries in [("search one Latin word", "karan,mibir,tosul,vizon"), ("search two Latin words", "karan%20mibir,tosul%20vizon"),
                              ("search a Chinese pair", "%E5%A4%A9%E6%B0%94,%E6%9C%8B%E5%8F%8B"), ("search, no match", "qqqzzz"),
                              ("recommended", "recommended")]:
            results[name] = wrk(base, "feed-search.lua", args.seconds, 64, {"QUERIES": queries}, name)

        if args.skip_crawl:
            print(f"feeds-scale: server {base} (pid {server.pid}) held {args.hold} s", flush=True)
            time.sleep(args.hold)
            return 0
        print("feeds-scale: a crawl of the whole list while 32 connections post and the victims are deleted", flush=True)
        deleted, done = [], threading.Event()

        def delete_victims():
            for post in victims:
                if done.is_set():
                    return
                status, _ = call(base, "DELETE", f"/v1/feeds/{post}", token=tokens[0])
                if status == 204:
                    deleted.append(post)
                time.sleep(0.01)
        loader = subprocess.Popen(
            ["wrk", "-t2", "-c32", "-d3600s", "-s", "tools/load/feed-post.lua", base], cwd=ROOT,
            env={**os.environ, "THREADS": "2", "LINES_FILE": lines}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deleter = threading.Thread(target=delete_victims)
        deleter.start()
        first, pages, crawl_seconds = crawl(base)
        done.set()
        loader.terminate()
        loader.wait()
        deleter.join()
        second, _, _ = crawl(base)
        ids = [post for post, _ in first]
        duplicates = len(ids) - len(set(ids))
        ordered = all(a[1] >= b[1] for a, b in zip(first, first[1:]))
        start = first[0][0] if first else None
        position = next((index for index, (post, _) in enumerate(second) if post == start), None)
        throughout = {post for post, _ in second[position:]} if position is not None else set()
        missing = throughout - set(ids)
        results["crawl"] = {"items": len(ids), "pages": pages, "seconds": crawl_seconds, "duplicates": duplicates,
                            "newest_first": ordered, "existed_throughout": len(throughout), "missing": len(missing),
                            "victims_deleted_during": len(deleted)}
        print(f"  crawl: {len(ids):,} items in {pages:,} pages, {crawl_seconds:.1f} s; {len(deleted)} deleted meanwhile; "
              f"duplicates {duplicates}, newest first {ordered}, existed throughout {len(throughout):,}, missing {len(missing)}", flush=True)
        ok = duplicates == 0 and ordered and not missing and position is not None
        results["crawl"]["ok"] = ok
        write_json(args.out, "feeds-scale.json", results)
        print("feeds-scale: crawl " + ("ok" if ok else "FAILED"), flush=True)
        return 0 if ok else 1
    finally:
        stop_server(server, work)


if __name__ == "__main__":
    sys.exit(main())
