#!/usr/bin/env python3
"""Prepares the group load on a running logbookd: one group of MEMBERS members (an owner
who created it, then MEMBERS - 1 joins) and EXTRA members outside it, for
group-join-leave.lua and group-members-page.lua. Writes into OUT_DIR:

    group        the group id
    join-leave   "group_id token" lines: the EXTRA members (they join and leave)
    pages        "group_id total_members" (one line)

    groups-setup.py BASE_URL MEMBERS EXTRA OUT_DIR

Registering is the slow part (a password hash each): start the server with
`--dev --password-hash-log-n 10 --group-member-limit 200000` for the setup of 100,000
members to take minutes, not hours. Exit status 3 when the group routes do not exist.
"""
import json
import os
import random
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor


def call(base, method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            raw = response.read()
            return response.status, (json.loads(raw) if raw else {})
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def register(base, tag, index):
    body = {"username": f"g{tag}_{index}", "password": f"Horse-{random.getrandbits(48):012x}",
            "display_name": f"Member {tag} {index}"}
    for _ in range(100):
        status, reply = call(base, "POST", "/v1/members", body)
        if status == 429:  # the password-hashing queue is full (8 waiting per client): wait and retry
            time.sleep(0.2)
            continue
        if status != 201:
            raise SystemExit(f"register answered {status}: {reply}")
        return reply["token"]
    raise SystemExit("register: the server stayed busy")


def main():
    base, members, extra, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    os.makedirs(out, exist_ok=True)
    tag = f"{random.getrandbits(32):08x}"
    owner = register(base, tag, "owner")
    status, group = call(base, "POST", "/v1/groups", {"name": f"Load group {tag}"}, owner)
    if status in (404, 405):
        print("group routes not available", file=sys.stderr)
        sys.exit(3)
    if status != 201:
        raise SystemExit(f"create group answered {status}: {group}")
    group_id = group["id"]

    def join_one(index):
        token = register(base, tag, index)
        status, reply = call(base, "PUT", f"/v1/groups/{group_id}/members/me", token=token)
        if status != 204:
            raise SystemExit(f"join answered {status}: {reply}")

    # At most 8 registrations of one client wait for the password hasher; 6 workers stay below.
    with ThreadPoolExecutor(max_workers=6) as pool:
        for done, _ in enumerate(pool.map(join_one, range(members - 1)), start=2):
            if done % 10000 == 0:
                print(f"  {done} members", file=sys.stderr)
        outside = list(pool.map(lambda index: register(base, tag, f"x{index}"), range(extra)))
    with open(os.path.join(out, "group"), "w") as file:
        file.write(group_id + "\n")
    with open(os.path.join(out, "join-leave"), "w") as file:
        file.write("".join(f"{group_id} {token}\n" for token in outside))
    status, page = call(base, "GET", f"/v1/groups/{group_id}/members?page=1&page_size=1")
    total = page.get("total_rows", 0) if isinstance(page, dict) else 0
    with open(os.path.join(out, "pages"), "w") as file:
        file.write(f"{group_id} {total}\n")
    print(f"group {group_id}: {total} members, {len(outside)} outside", file=sys.stderr)
    sys.exit(0 if total == members else 1)


main()
