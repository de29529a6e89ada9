#!/usr/bin/env python3
"""The WebSocket load: registers SOCKETS members, puts them in groups of GROUP_SIZE, opens
one /v1/stream socket per member, then sends RATE group messages per second for SECONDS
through POST /v1/messages (each message's text carries its send time) and measures what
the sockets receive: deliveries per second and send-to-receive latency percentiles.
Also writes OUT_DIR/direct-lines ("token peer_id" pairs) for message-post.lua, and
OUT_DIR/group-lines (a group id, then its members' tokens) for the Swift tool `ws-load`,
which runs the same socket load open-loop (this script's sender is a closed loop of 32
connections, each waiting for its answer: its rate is 32 per round trip, and a message's wait
to be sent is not in its latency; messaging-bench.sh uses `ws-load`).

    ws-load.py BASE_URL OUT_DIR [--sockets 10000] [--group-size 50] [--rate 1000]
               [--seconds 30] [--senders 32] [--setup-only]

Without --setup-only, when OUT_DIR/group-lines exists the members and groups of an earlier
--setup-only run are used instead of registering new ones.

Needs `pip install websockets` and a descriptor limit above SOCKETS (ulimit -n).
Prints one line "WS_JSON {...}" with the figures. Start the server with
`--dev --password-hash-log-n 10` so registering thousands of members takes seconds.
"""
import argparse
import asyncio
import json
import os
import random
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import websockets


def call(base, method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    for _ in range(200):
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                raw = response.read()
                return response.status, (json.loads(raw) if raw else {})
        except urllib.error.HTTPError as error:
            if error.code == 429:
                time.sleep(0.2)
                continue
            return error.code, error.read().decode(errors="replace")
    raise SystemExit(f"{method} {path}: still 429")


def register(base, index):
    tag = random.getrandbits(32)
    status, reply = call(base, "POST", "/v1/members", {
        "username": f"w{tag:08x}_{index}", "password": f"Horse-{random.getrandbits(48):012x}",
        "display_name": f"Ws {tag:08x} {index}"})
    if status != 201:
        raise SystemExit(f"register answered {status}: {reply}")
    return reply["member"]["id"], reply["token"]


def setup(base, sockets, group_size, out_dir):
    with ThreadPoolExecutor(16) as pool:
        members = list(pool.map(lambda i: register(base, i), range(sockets)))
    groups = []
    for start in range(0, sockets, group_size):
        chunk = members[start:start + group_size]
        status, group = call(base, "POST", "/v1/groups", {"name": f"load {start}"}, chunk[0][1])
        if status != 201:
            raise SystemExit(f"create group answered {status}: {group}")
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(lambda m: call(base, "PUT", f"/v1/groups/{group['id']}/members/me", None, m[1]), chunk[1:]))
        groups.append((group["id"], chunk))
    with open(os.path.join(out_dir, "direct-lines"), "w") as out:
        for index, (member, token) in enumerate(members):
            peer = members[(index + 1) % len(members)][0]
            out.write(f"{token} {peer}\n")
    with open(os.path.join(out_dir, "group-lines"), "w") as out:
        for group, chunk in groups:
            out.write(" ".join([group] + [token for _, token in chunk]) + "\n")
    return members, groups


class Stats:
    def __init__(self):
        self.latencies = []
        self.deliveries = 0
        self.closed = 0
        self.errors = 0


async def listen(url, stats, ready, stop):
    try:
        async with websockets.connect(url, max_size=1 << 20, open_timeout=60, ping_interval=None) as socket:
            ready()
            async for raw in socket:
                now = time.time_ns()
                frame = json.loads(raw)
                if frame.get("type") != "message":
                    continue
                content = frame["message"]["body"].get("content", "")
                if content.startswith("t="):
                    stats.deliveries += 1
                    if not stop.is_set():
                        stats.latencies.append((now - int(content[2:])) / 1e6)
    except Exception:
        stats.errors += 1
        ready()
    stats.closed += 1


async def http_sender(host, port, jobs, stats):
    reader, writer = await asyncio.open_connection(host, port)
    while True:
        job = await jobs.get()
        if job is None:
            break
        group, token = job
        body = json.dumps({"to_group_id": group, "body": {"type": "text", "content": f"t={time.time_ns()}"}}).encode()
        writer.write((f"POST /v1/messages HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
                      f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await reader.readexactly(length)
        if not head.startswith(b"HTTP/1.1 201"):
            stats.errors += 1
    writer.close()


def percentile(values, p):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))]


async def run(base, groups, members, rate, seconds, senders):
    parsed = urlparse(base)
    stats = Stats()
    stop = asyncio.Event()
    opened = 0

    def ready():
        nonlocal opened
        opened += 1

    ws = f"ws://{parsed.hostname}:{parsed.port}/v1/stream?token="
    listeners = []
    for _, token in members:
        listeners.append(asyncio.create_task(listen(ws + token, stats, ready, stop)))
        if len(listeners) % 200 == 0:
            await asyncio.sleep(0.05)
    while opened < len(members):
        await asyncio.sleep(0.1)
    held = len(members) - stats.errors
    jobs = asyncio.Queue(maxsize=senders * 4)
    workers = [asyncio.create_task(http_sender(parsed.hostname, parsed.port, jobs, stats)) for _ in range(senders)]
    started = time.monotonic()
    sent = 0
    while time.monotonic() - started < seconds:
        due = int((time.monotonic() - started) * rate)
        while sent < due:
            group, chunk = groups[sent % len(groups)]
            await jobs.put((group, chunk[sent % len(chunk)][1]))
            sent += 1
        await asyncio.sleep(0.002)
    for _ in workers:
        await jobs.put(None)
    await asyncio.gather(*workers)
    elapsed = time.monotonic() - started
    await asyncio.sleep(2)  # let the last frames arrive
    stop.set()
    expected = sum(len(groups[i % len(groups)][1]) for i in range(sent))
    result = {
        "sockets_held": held, "messages_sent": sent, "messages_per_second": sent / elapsed,
        "deliveries": stats.deliveries, "deliveries_expected": expected, "deliveries_per_second": stats.deliveries / (elapsed + 2),
        "latency_p50_ms": percentile(stats.latencies, 50), "latency_p99_ms": percentile(stats.latencies, 99),
        "latency_max_ms": max(stats.latencies, default=0.0), "socket_errors": stats.errors, "closed_early": stats.closed,
    }
    for task in listeners:
        task.cancel()
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("out_dir")
    parser.add_argument("--sockets", type=int, default=10000)
    parser.add_argument("--group-size", type=int, default=50)
    parser.add_argument("--rate", type=float, default=1000)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--senders", type=int, default=32)
    parser.add_argument("--setup-only", action="store_true")
    args = parser.parse_args()
    lines_path = os.path.join(args.out_dir, "group-lines")
    if not args.setup_only and os.path.exists(lines_path):
        # The members and groups a --setup-only run registered (as ws-load, the Swift tool, does).
        groups = []
        for line in open(lines_path):
            fields = line.split()
            if len(fields) >= 2:
                groups.append((fields[0], [(None, token) for token in fields[1:]]))
        members = [member for _, chunk in groups for member in chunk]
    else:
        members, groups = setup(args.base, args.sockets, args.group_size, args.out_dir)
    if args.setup_only:
        return
    result = asyncio.run(run(args.base, groups, members, args.rate, args.seconds, args.senders))
    print("WS_JSON " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
