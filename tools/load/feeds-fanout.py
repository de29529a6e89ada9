#!/usr/bin/env python3
"""A post by an author with many followers, in every follower's timeline (issue 12's
"10,000 followers within 1 s p99"), on a logbookd it starts:

    feeds-fanout.py LOGBOOKD [--followers 10000] [--posts 50] [--sample 200] [--out DIR]

Registers FOLLOWERS members who follow one author, then the author writes POSTS posts one
after another. For each post: the time from sending POST /v1/feeds to its 201, then a
sample of followers read GET /v1/feeds/following?limit=1 at once; a follower that does not
see the post yet polls until it does. A post's time to visible is the 201's time plus the
slowest sampled follower's wait after it. Prints p50/p99/max and writes DIR/feeds-fanout.json.
Exit 1 when a sampled follower never sees a post within 10 s.
"""
import argparse
import os
import random
import sys
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from importlib import import_module  # noqa: E402

scale = import_module("feeds-scale")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("logbookd")
    parser.add_argument("--followers", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=50)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    call = scale.call
    server, base, work = scale.start_server(args.logbookd, "logbook-feeds-fanout.")
    try:
        def register(index):
            body = {"username": f"fan_{index}", "password": "Horse-battery-9", "display_name": f"Fan {index}"}
            for _ in range(100):
                status, reply = call(base, "POST", "/v1/members", body)
                if status != 429:  # the bounded hashing queue is full: wait and retry
                    break
                time.sleep(0.2)
            if status != 201:
                raise SystemExit(f"register answered {status}: {reply}")
            return reply["member"]["id"], reply["token"]

        started = time.monotonic()
        author_id, author = register("author")
        with ThreadPoolExecutor(max_workers=16) as pool:
            followers = list(pool.map(register, range(args.followers)))

            def follow(member):
                status, reply = call(base, "PUT", f"/v1/members/{author_id}/follow", token=member[1])
                if status != 204:
                    raise SystemExit(f"follow answered {status}: {reply}")
            list(pool.map(follow, followers))
        print(f"feeds-fanout: {args.followers:,} followers registered and following in {time.monotonic() - started:.0f} s", flush=True)

        answered, visible, waits = [], [], []
        with ThreadPoolExecutor(max_workers=16) as pool:
            for index in range(args.posts):
                sent = time.monotonic()
                status, post = call(base, "POST", "/v1/feeds", {"type": "text", "content": f"news number {index}"}, author)
                created = time.monotonic()
                if status != 201:
                    raise SystemExit(f"post answered {status}: {post}")

                def sees(member):
                    """0 when the first read after the 201 sees the post, else the wait until one does."""
                    deadline, reads = created + 10, 0
                    while True:
                        status, page = call(base, "GET", "/v1/feeds/following?limit=1", token=member[1])
                        reads += 1
                        if status == 200 and page["items"] and page["items"][0]["id"] == post["id"]:
                            return 0.0 if reads == 1 else time.monotonic() - created
                        if time.monotonic() > deadline:
                            return None
                        time.sleep(0.005)
                found = list(pool.map(sees, random.sample(followers, min(args.sample, len(followers)))))
                if any(wait is None for wait in found):
                    print(f"feeds-fanout: a follower did not see post {index} within 10 s", flush=True)
                    return 1
                answered.append((created - sent) * 1000)
                waits.append(max(found) * 1000)
                visible.append(answered[-1] + waits[-1])
        figures = {
            "followers": args.followers, "posts": args.posts, "sampled_followers_per_post": args.sample,
            "post_201_ms": {"p50": percentile(answered, 50), "p99": percentile(answered, 99), "max": max(answered)},
            "visible_ms": {"p50": percentile(visible, 50), "p99": percentile(visible, 99), "max": max(visible)},
            "posts_seen_at_the_first_read": sum(1 for wait in waits if wait == 0.0),
        }
        print(f"  POST /v1/feeds by the author: 201 after p50 {figures['post_201_ms']['p50']:.1f} ms, p99 {figures['post_201_ms']['p99']:.1f} ms, "
              f"max {figures['post_201_ms']['max']:.1f} ms", flush=True)
        print(f"  in every sampled follower's timeline: p50 {figures['visible_ms']['p50']:.1f} ms, p99 {figures['visible_ms']['p99']:.1f} ms, "
              f"max {figures['visible_ms']['max']:.1f} ms; {figures['posts_seen_at_the_first_read']} of {args.posts} posts seen by every "
              "sampled follower's first read after the 201", flush=True)
        scale.write_json(args.out, "feeds-fanout.json", figures)
        return 0
    finally:
        scale.stop_server(server, work)


if __name__ == "__main__":
    sys.exit(main())
