#!/usr/bin/env python3
"""Kill -9 rounds under message load: starts LOGBOOKD on a fresh data directory, registers
MEMBERS members, then ROUNDS times: starts the server, sends direct messages from SENDERS
threads for SECONDS, kills it with SIGKILL mid-load, restarts it and checks that

  - every acknowledged message (a 201) is in its conversation's history,
  - each conversation's seqs are 1..last with no gap and no duplicate,
  - each member's unread_count equals a recount from the history (messages after the
    member's own last message, since nobody marks conversations read here),
  - /v1/sync after a cursor taken before the kill gives exactly the member's messages
    that the full sync lists after that cursor's message.

    messaging-crash.py LOGBOOKD [--rounds 20] [--members 6] [--senders 8] [--seconds 1.5]

Exit status 1 and the first broken invariant when one breaks.
"""
import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request


def call(base, method, path, body=None, token=None, timeout=30):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
            return response.status, (json.loads(raw) if raw else {})
    except urllib.error.HTTPError as error:
        return error.code, {}
    except Exception:
        return 0, {}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(binary, data, port, log):
    process = subprocess.Popen(
        [binary, "--dev", "--data-dir", data, "--port", str(port), "--password-hash-log-n", "10"],
        stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        if call(base, "GET", "/healthz", timeout=1)[0] == 200:
            return process, base
        time.sleep(0.1)
    raise SystemExit("the server did not start")


def history(base, conversation, token):
    seqs, before = [], None
    while True:
        path = f"/v1/conversations/{conversation}/messages?limit=100" + (f"&before_seq={before}" if before else "")
        status, page = call(base, "GET", path, token=token)
        if status != 200:
            raise SystemExit(f"history answered {status}")
        seqs += page["items"]
        before = page.get("next_before_seq")
        if not before:
            return seqs


def sync_all(base, token, after=""):
    items, cursor = [], after
    while True:
        status, page = call(base, "GET", f"/v1/sync?limit=100&after={cursor}", token=token)
        if status != 200:
            raise SystemExit(f"sync answered {status}")
        items += page["items"]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return items, cursor


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--members", type=int, default=6)
    parser.add_argument("--senders", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=1.5)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="logbook-msgcrash.", dir="/var/tmp")
    data, port = os.path.join(work, "data"), free_port()
    log = open(os.path.join(work, "server.log"), "ab")
    process, base = start(args.binary, data, port, log)
    members = []
    for index in range(args.members):
        status, reply = call(base, "POST", "/v1/members", {
            "username": f"crash{index}_{random.getrandbits(20)}", "password": "correct-horse-7", "display_name": f"Crash {index} {random.getrandbits(20)}"})
        if status != 201:
            raise SystemExit(f"register answered {status}")
        members.append((reply["member"]["id"], reply["token"]))
    acked = {}  # message id -> conversation
    lock = threading.Lock()
    total_kills = 0
    try:
        for round_number in range(1, args.rounds + 1):
            if process is None:
                process, base = start(args.binary, data, port, log)
            cursor_token = members[0][1]
            before, cursor = sync_all(base, cursor_token)
            stop = threading.Event()

            def sender():
                while not stop.is_set():
                    a, b = random.sample(members, 2)
                    status, reply = call(base, "POST", "/v1/messages", {
                        "to_member_id": b[0], "body": {"type": "text", "content": f"r{round_number} {random.getrandbits(32)}"}}, token=a[1], timeout=5)
                    if status == 201:
                        with lock:
                            acked[reply["id"]] = reply["conversation_id"]

            threads = [threading.Thread(target=sender) for _ in range(args.senders)]
            for thread in threads:
                thread.start()
            time.sleep(args.seconds)
            process.send_signal(signal.SIGKILL)
            process.wait()
            total_kills += 1
            stop.set()
            for thread in threads:
                thread.join()
            process, base = start(args.binary, data, port, log)
            # Invariants.
            conversations = {}
            for member_id, token in members:
                status, listing = call(base, "GET", "/v1/conversations", token=token)
                for item in listing["items"]:
                    messages = history(base, item["conversation_id"], token)
                    seqs = sorted(m["seq"] for m in messages)
                    if seqs != list(range(1, len(seqs) + 1)):
                        raise SystemExit(f"round {round_number}: {item['conversation_id']} seqs not 1..n: {seqs[:10]}…")
                    if item["last_seq"] != len(seqs):
                        raise SystemExit(f"round {round_number}: last_seq {item['last_seq']} != {len(seqs)}")
                    own = [m["seq"] for m in messages if m["sender_id"] == member_id]
                    recount = len(seqs) - (max(own) if own else 0)
                    if item["unread_count"] != recount:
                        raise SystemExit(f"round {round_number}: unread {item['unread_count']} != recount {recount}")
                    conversations.setdefault(item["conversation_id"], set()).update(m["id"] for m in messages)
            present = set().union(*conversations.values()) if conversations else set()
            missing = [m for m in acked if m not in present]
            if missing:
                raise SystemExit(f"round {round_number}: {len(missing)} acknowledged messages missing, e.g. {missing[0]}")
            everything, _ = sync_all(base, cursor_token)
            resumed, _ = sync_all(base, cursor_token, cursor)
            expected = everything[len(before):]
            if [m["id"] for m in resumed] != [m["id"] for m in expected]:
                raise SystemExit(f"round {round_number}: resuming after the cursor gave {len(resumed)} messages, expected {len(expected)}")
            print(f"round {round_number}: {len(acked)} acknowledged, {len(present)} present in {len(conversations)} conversations, "
                  f"seqs gapless, unread recounted, resume exact ({len(resumed)} after the cursor)", flush=True)
    finally:
        if process is not None:
            process.kill()
            process.wait()
    print(f"CRASH_JSON {json.dumps({'rounds': total_kills, 'acknowledged': len(acked), 'lost': 0})}")


if __name__ == "__main__":
    main()
