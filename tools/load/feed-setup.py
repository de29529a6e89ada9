#!/usr/bin/env python3
"""Prepares the feed load on a running logbookd and writes the wrk line files to OUT_DIR:

    feed-setup.py BASE_URL OUT_DIR [AUTHORS] [LIKERS]

- AUTHORS (1000) members each write 2 posts; one reader follows all of them
  (`following`: its token on two lines, one per wrk thread, for feed-following.lua);
- LIKERS (256) members, each paired with one post to like (`likes`: "post_id token" for
  feed-like.lua), all on one hot post by default;
- `posts`: every post id, for feed-get.lua.

Registration hashes passwords: start the server with --password-hash-log-n 10 (or wait).
Exit status 3 when POST /v1/feeds does not exist.
"""
import json
import random
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor


def call(base, method, path, body=None, token=None, timeout=120):
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if data is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read()
            return response.status, (json.loads(text) if text else {})
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def register(base, tag, index):
    name = f"f{tag}_{index}"
    status, reply = call(base, "POST", "/v1/members",
                         {"username": name, "password": f"Horse-{random.getrandbits(48):012x}", "display_name": f"Feeder {tag} {index}"})
    if status != 201:
        raise SystemExit(f"register answered {status}: {reply}")
    return reply["member"]["id"], reply["token"]


def main():
    base, out = sys.argv[1], sys.argv[2]
    authors = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    likers = int(sys.argv[4]) if len(sys.argv) > 4 else 256
    tag = f"{random.getrandbits(24):06x}"
    with ThreadPoolExecutor(max_workers=8) as pool:
        members = list(pool.map(lambda index: register(base, tag, index), range(authors + likers + 1)))
        reader, writers, fans = members[0], members[1:authors + 1], members[authors + 1:]
        status, _ = call(base, "POST", "/v1/feeds", {"type": "text", "content": "probe"}, reader[1])
        if status in (404, 405):
            print("route not available", file=sys.stderr)
            sys.exit(3)

        def write(member):
            ids = []
            for n in range(2):
                status, reply = call(base, "POST", "/v1/feeds",
                                     {"type": "text", "content": f"post {n} by {member[0]}: hello world 你好世界"}, member[1])
                if status != 201:
                    raise SystemExit(f"post answered {status}: {reply}")
                ids.append(reply["id"])
            return ids

        posts = [post for ids in pool.map(write, writers) for post in ids]
        # One member's follows all append to its feedsocial- stream, which the server runs one
        # at a time anyway: sent in order, as one client would.
        for member in writers:
            status = call(base, "PUT", f"/v1/members/{member[0]}/follow", token=reader[1])[0]
            if status != 204:
                raise SystemExit(f"follow answered {status}")
    hot = posts[0]
    with open(f"{out}/following", "w") as file:
        # One line per wrk thread (lines.lua deals lines out by thread; a thread without
        # one would send the placeholder token and count 401s).
        file.write((reader[1] + "\n") * 2)
    with open(f"{out}/likes", "w") as file:
        file.write("".join(f"{hot} {token}\n" for _, token in fans))
    with open(f"{out}/posts", "w") as file:
        file.write("".join(post + "\n" for post in posts))
    print(f"{len(writers)} authors, {len(posts)} posts, 1 reader following {len(writers)}, {len(fans)} likers", file=sys.stderr)


if __name__ == "__main__":
    main()
