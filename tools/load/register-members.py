#!/usr/bin/env python3
"""Registers COUNT members on a running logbookd and writes "username password token"
lines for login.lua and me.lua. Exit status 3 when POST /v1/members does not exist yet
(404/405), so the caller reports the member routes as skipped.

    register-members.py BASE_URL COUNT OUT_FILE
"""
import json
import random
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor


def register(base, tag, index):
    username = f"m{tag}_{index}"
    password = f"Horse-{random.getrandbits(48):012x}"
    body = json.dumps({"username": username, "password": password, "display_name": f"Member {tag} {index}"})
    request = urllib.request.Request(f"{base}/v1/members", data=body.encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            token = json.load(response)["token"]
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")
    return 201, f"{username} {password} {token}"


def main():
    base, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    tag = f"{random.getrandbits(32):08x}"
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda index: register(base, tag, index), range(count)))
    if any(status in (404, 405) for status, _ in results):
        print("route not available", file=sys.stderr)
        sys.exit(3)
    lines = [line for status, line in results if status == 201]
    for status, message in results:
        if status != 201:
            print(f"register answered {status}: {message}", file=sys.stderr)
            break
    with open(out, "w") as file:
        file.write("".join(line + "\n" for line in lines))
    print(f"registered {len(lines)} of {count} members", file=sys.stderr)
    sys.exit(0 if lines else 1)


main()
