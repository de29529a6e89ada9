#!/usr/bin/env python3
"""Conversation history pages of a long conversation, on a logbookd it starts:

    messages-history.py LOGBOOKD [--messages 20000] [--reads 200]

One member writes MESSAGES direct text messages to another (one keep-alive connection), then
reads the conversation's oldest page (GET /v1/conversations/{id}/messages?before_seq=51&limit=50)
and its newest page (limit=50) READS times each and prints p50 and p99 of each: an old page
should cost what a new one does (a page is read at its messages' positions, not by walking
the conversation back from its newest message). Exit 1 when a page is not 50 messages.
"""
import argparse
import http.client
import json
import os
import sys
import time
from importlib import import_module

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
scale = import_module("feeds-scale")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("logbookd")
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--reads", type=int, default=200)
    args = parser.parse_args()
    server, base, work = scale.start_server(args.logbookd, "logbook-messages-history.")
    try:
        connection = http.client.HTTPConnection(base.removeprefix("http://"))

        def call(method, path, body=None, token=None):
            headers = {"Content-Type": "application/json"}
            if token:
                headers["Authorization"] = "Bearer " + token
            connection.request(method, path, json.dumps(body) if body is not None else None, headers)
            response = connection.getresponse()
            text = response.read()
            return response.status, (json.loads(text) if text else None)

        members = []
        for name in ("writer", "reader"):
            status, reply = call("POST", "/v1/members", {"username": f"history_{name}", "password": "Horse-battery-9",
                                                         "display_name": f"History {name}"})
            if status != 201:
                raise SystemExit(f"register answered {status}: {reply}")
            members.append(reply)
        writer, reader = members[0]["token"], members[1]["member"]["id"]
        started, conversation = time.monotonic(), None
        for index in range(args.messages):
            status, sent = call("POST", "/v1/messages", {"to_member_id": reader, "body": {"type": "text", "content": f"m {index}"}}, writer)
            if status != 201:
                raise SystemExit(f"send answered {status}: {sent}")
            conversation = sent["conversation_id"]
        print(f"messages-history: {args.messages:,} messages written in {time.monotonic() - started:.0f} s", flush=True)

        def timed(query):
            times = []
            for _ in range(args.reads):
                began = time.perf_counter()
                status, page = call("GET", f"/v1/conversations/{conversation}/messages?{query}", token=writer)
                times.append((time.perf_counter() - began) * 1000)
                if status != 200 or len(page["items"]) != 50:
                    print(f"messages-history: {query} answered {status} with {len(page.get('items', [])) if page else 0} items")
                    sys.exit(1)
            times.sort()
            return times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.99))]

        oldest, newest = timed("before_seq=51&limit=50"), timed("limit=50")
        print(f"messages-history: {args.messages:,} messages, pages of 50: oldest p50 {oldest[0]:.2f} ms p99 {oldest[1]:.2f} ms;"
              f" newest p50 {newest[0]:.2f} ms p99 {newest[1]:.2f} ms")
    finally:
        scale.stop_server(server, work)


if __name__ == "__main__":
    main()
