#!/usr/bin/env python3
"""The soak: starts LOGBOOKD (`--dev --password-hash-log-n 10` on a fresh data directory)
and runs mixed load over every domain for DURATION seconds, sampling the server every
INTERVAL seconds, then judges whether it stayed healthy.

    soak.py LOGBOOKD [--duration 600] [--interval 10] [--out DIR] [--rate 40] [--workers 16]
                     [--sockets 16] [--retention 60] [--leak-sockets 0]

Load (asyncio; WebSockets from the `websockets` package, which tools/setup installs into
/opt/logbook-tools/fuzz): verification codes sent, read from the dev outbox and checked
(some with a wrong code first, some left to expire and checked after, expecting 410),
registrations (half deleted again), logins with a profile read and a logout, posts (some
deleted), likes and unlikes, comments, follows and unfollows, feed reads, group joins and
leaves and member pages, direct and group messages, conversation lists and syncs, admin
broadcasts, commands carrying Idempotency-Key headers (some retried with the same key,
expecting the first answer), and /v1/stream sockets connecting and dropping all the time
(some closed cleanly, some cut without a close frame). HTTP connections are reopened every
hundred requests. RATE is actions per second (an action is 1-4 requests); the setup
reuses register-members.py, groups-setup.py and feed-setup.py.

Each sample: VmRSS, RssAnon and RssFile from /proc/PID/status, open descriptors (entries
of /proc/PID/fd), per request kind the window's count, p50 and p99, the request rate,
5xx answers and dropped connections, and from /metrics the idempotency keys stored and
pruned, the codes the verification read model holds, the log's events and open sockets.
With a logbookd that has `--test-retention-seconds` (hidden, dev only), idempotency keys
and expired codes are kept RETENTION seconds instead of 25 h and a day, so pruning shows.

The judgement (the run's first 20% is warm-up; "middle" and "last" are its second and
last thirds):
  - rss:  the last third's mean VmRSS <= 1.10 x the middle third's mean;
  - fds:  the last third's mean descriptor count <= 1.10 x the middle third's mean + 5;
  - p99:  the last window's p99 (all HTTP requests) <= max(2 x the median window p99
          after warm-up, that median + 2 ms);
  - errors: no 5xx, no dropped connection (HTTP or WebSocket), the server still up at
          the end and exiting 0 on SIGTERM;
  - idempotency keys / codes pruned (when the server has the gauges and the short
          retention, and the run is long enough for the count to level off before the
          middle third): the last third's maximum <= 1.25 x the middle third's + 10, and
          some were pruned by the end.
Writes OUT/soak.csv (one row per window), OUT/soak-kinds.csv (per window and request
kind), OUT/soak.svg (RSS, descriptors and p99 over time), OUT/soak.json (the summary),
OUT/server.log; prints progress, then one line "SOAK_JSON {...}". Exit status 1 when a
judgement fails, 2 when the soak could not run.

--leak-sockets N adds a deliberately leaking client: N sockets a second that are opened
and never closed (the judgement must then fail on descriptors).
"""
import argparse
import asyncio
import csv
import importlib.util
import json
import math
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import deque

import websockets

HERE = os.path.dirname(os.path.abspath(__file__))
ADMIN_TOKEN = "soak-admin-token-0123456789"
CODE_TTLS = (60, 90)
PHONES = 300


def load_ws_load():
    """ws-load.py's helpers (`call`: JSON over urllib, retrying 429s; `percentile`)."""
    spec = importlib.util.spec_from_file_location("ws_load", os.path.join(HERE, "ws-load.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ws_load = load_ws_load()
call, percentile = ws_load.call, ws_load.percentile


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_status(pid):
    """VmRSS, RssAnon and RssFile in KiB, and the count of open descriptors."""
    figures = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "RssAnon", "RssFile"):
                figures[key] = int(value.split()[0])
    figures["fds"] = len(os.listdir(f"/proc/{pid}/fd"))
    return figures


def scrape(text):
    """Unlabeled series and the sum of labeled ones, by name."""
    values = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        name, _, rest = line.partition(" ")
        name = name.split("{", 1)[0]
        try:
            values[name] = values.get(name, 0.0) + float(rest.split()[0])
        except (ValueError, IndexError):
            continue
    return values


class Stats:
    """What the load saw in the current window (swapped out at each sample) and in all."""

    def __init__(self):
        self.window = {}
        self.totals = {"requests": 0, "5xx": 0, "dropped": 0, "unexpected": 0}
        self.unexpected = {}
        self.drops = []
        self.ws = {"connects": 0, "clean_closes": 0, "abrupt_drops": 0, "frames": 0, "leaked_open": 0}
        self.codes_sent = 0
        self.codes_expired_checked = 0
        self.idempotent_replays = 0

    def kind(self, kind):
        return self.window.setdefault(kind, {"latencies": [], "5xx": 0, "dropped": 0, "unexpected": 0})

    def record(self, kind, milliseconds, status, expected):
        entry = self.kind(kind)
        entry["latencies"].append(milliseconds)
        self.totals["requests"] += 1
        if status >= 500:
            entry["5xx"] += 1
            self.totals["5xx"] += 1
        elif expected and status not in expected:
            entry["unexpected"] += 1
            self.totals["unexpected"] += 1
            key = f"{kind} {status}"
            self.unexpected[key] = self.unexpected.get(key, 0) + 1

    def dropped(self, kind, reason):
        self.kind(kind)["dropped"] += 1
        self.totals["dropped"] += 1
        if len(self.drops) < 20:
            self.drops.append(f"{kind}: {reason}")

    def take_window(self):
        window, self.window = self.window, {}
        return window


class Http:
    """One keep-alive HTTP/1.1 connection over asyncio streams (the pattern of ws-load.py's
    http_sender), reopened every `reuse` requests so connections churn too."""

    def __init__(self, host, port, stats, reuse=100):
        self.host, self.port, self.stats, self.reuse = host, port, stats, reuse
        self.reader = self.writer = None
        self.used = 0

    async def close(self):
        if self.writer:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except Exception:
                pass
        self.reader = self.writer = None

    async def request(self, kind, method, path, body=None, token=None, key=None, expect=(200,)):
        if self.writer is None or self.used >= self.reuse:
            await self.close()
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            self.used = 0
        self.used += 1
        data = json.dumps(body).encode() if body is not None else b""
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Content-Length: {len(data)}"]
        if body is not None:
            head.append("Content-Type: application/json")
        if token:
            head.append(f"Authorization: Bearer {token}")
        if key:
            head.append(f"Idempotency-Key: {key}")
        started = time.perf_counter()
        try:
            self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + data)
            await self.writer.drain()
            status, raw = await asyncio.wait_for(self._response(), 30)
        except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, asyncio.LimitOverrunError, ValueError) as error:
            self.stats.dropped(kind, f"{method} {path.split('?')[0]}: {type(error).__name__} {error}")
            await self.close()
            return 0, None
        self.stats.record(kind, (time.perf_counter() - started) * 1000, status, expect)
        try:
            return status, (json.loads(raw) if raw else None)
        except ValueError:
            return status, None

    async def _response(self):
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                body += chunk[:-2]
        else:
            body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, body


class World:
    """The entities the load works on, made by the setup scripts and the soak itself."""

    def __init__(self, members, likes, posts, big_group, join_leave, chat):
        self.members = members          # [{"id", "username", "password", "token"}]
        self.likes = likes              # [(post_id, token)]
        self.posts = posts              # post ids to read and comment on
        self.big_group = big_group      # a group with many members, for member pages
        self.join_leave = join_leave    # tokens of members outside it, joining and leaving
        self.busy = set()               # join_leave tokens in use
        self.chat = chat                # a group every member belongs to, for group messages
        self.own_posts = deque()        # (post_id, token) written by the soak, deleted later
        self.expiring = deque()         # (key, monotonic time after its expiry) left unchecked
        self.own_comments = deque()     # (post_id, comment_id, token), deleted later
        # A pool of phones, one send at a time each (the server runs without the per-phone
        # limits): the destinations stay a bounded set, and a new send cancels the pending code.
        self.phones = [f"+861{3 + n % 7}{random.getrandbits(30) % 1_000_000_000:09d}" for n in range(PHONES)]
        self.busy_phones = set()
        self.counter = random.getrandbits(24) << 20
        self.tag = f"{random.getrandbits(32):08x}"

    def next(self):
        self.counter += 1
        return self.counter


class Load:
    def __init__(self, world, stats, host, port, rng):
        self.world, self.stats, self.host, self.port, self.rng = world, stats, host, port, rng
        self.actions = [
            (self.code, 10), (self.login, 3), (self.register, 1), (self.post, 3), (self.like, 4),
            (self.comment, 2), (self.follow, 2), (self.feed_reads, 8), (self.join_leave, 3),
            (self.members_page, 3), (self.direct_message, 5), (self.group_message, 2),
            (self.conversations, 3), (self.broadcast, 0.2),
        ]
        self.weights = [weight for _, weight in self.actions]

    def key(self):
        return f"soak-{self.world.tag}-{self.world.next()}"

    def member(self):
        return self.rng.choice(self.world.members)

    async def code(self, http):
        w = self.world
        if w.expiring and w.expiring[0][1] <= time.monotonic():
            key, _ = w.expiring.popleft()
            await http.request("code_check_expired", "POST", f"/v1/verifications/{key}/check", {"code": "000000"},
                               expect=(410,))
            self.stats.codes_expired_checked += 1
        free = [phone for phone in w.phones if phone not in w.busy_phones]
        if not free:
            return
        phone = self.rng.choice(free)
        w.busy_phones.add(phone)
        try:
            await self.send_and_check(http, phone)
        finally:
            w.busy_phones.discard(phone)

    async def send_and_check(self, http, phone):
        w = self.world
        ttl = self.rng.choice(CODE_TTLS)
        use_key = self.rng.random() < 0.5
        body = {"channel": "sms", "to": phone, "operation": self.rng.choice(("register", "login")), "ttl_seconds": ttl}
        idem = self.key() if use_key else None
        status, sent = await http.request("code_send", "POST", "/v1/verifications", body, key=idem, expect=(201,))
        if status != 201 or not sent:
            return
        self.stats.codes_sent += 1
        if idem and self.rng.random() < 0.3:
            status, again = await http.request("idempotent_replay", "POST", "/v1/verifications", body, key=idem, expect=(201,))
            if status == 201 and again and again.get("key") != sent["key"]:
                self.stats.record("idempotent_replay", 0, 299, (201,))  # a replay that answered anew
            self.stats.idempotent_replays += 1
        fate = self.rng.random()
        if fate < 0.2:
            w.expiring.append((sent["key"], time.monotonic() + ttl + 2))
            return
        code = None
        for _ in range(100):  # the delivery worker puts it in the outbox just after the commit
            status, outbox = await http.request("outbox_read", "GET", f"/v1/dev/outbox?to={phone.replace('+', '%2B')}")
            items = [item for item in (outbox or {}).get("items", []) if item.get("key") == sent["key"]]
            if items:
                code = items[0]["code"]
                break
            await asyncio.sleep(0.02)
        if code is None:
            self.stats.record("outbox_read", 0, 299, (200,))  # never delivered: counted as unexpected
            return
        if fate < 0.3:
            wrong = f"{(int(code) + 1) % 1_000_000:06d}"
            await http.request("code_check", "POST", f"/v1/verifications/{sent['key']}/check", {"code": wrong}, expect=(422,))
        await http.request("code_check", "POST", f"/v1/verifications/{sent['key']}/check", {"code": code}, expect=(200,))

    async def login(self, http):
        m = self.member()
        status, session = await http.request("login", "POST", "/v1/sessions",
                                             {"username": m["username"], "password": m["password"]}, expect=(201,))
        if status != 201 or not session:
            return
        await http.request("me", "GET", "/v1/members/me", token=session["token"])
        await http.request("logout", "DELETE", "/v1/sessions/current", token=session["token"], expect=(204,))

    async def register(self, http):
        n = self.world.next()
        password = f"Horse-{self.rng.getrandbits(48):012x}"
        status, reply = await http.request("register", "POST", "/v1/members", {
            "username": f"s{self.world.tag}_{n}", "password": password, "display_name": f"Soak {self.world.tag} {n}"},
            key=self.key(), expect=(201,))
        if status == 201 and reply and self.rng.random() < 0.5:
            await http.request("delete_account", "DELETE", "/v1/members/me", {"password": password},
                               token=reply["token"], expect=(204,))

    async def post(self, http):
        w, m = self.world, self.member()
        body = {"type": "text", "content": f"soak {w.next()}: hello world 你好世界"}
        idem = self.key()
        status, feed = await http.request("post", "POST", "/v1/feeds", body, token=m["token"], key=idem, expect=(201,))
        if status != 201 or not feed:
            return
        if self.rng.random() < 0.3:
            status, again = await http.request("idempotent_replay", "POST", "/v1/feeds", body, token=m["token"], key=idem,
                                               expect=(201,))
            if status == 201 and again and again.get("id") != feed["id"]:
                self.stats.record("idempotent_replay", 0, 299, (201,))
            self.stats.idempotent_replays += 1
        w.own_posts.append((feed["id"], m["token"]))
        if len(w.own_posts) > 30:
            post, token = w.own_posts.popleft()
            await http.request("delete_post", "DELETE", f"/v1/feeds/{post}", token=token, key=self.key(), expect=(204,))

    async def like(self, http):
        post, token = self.rng.choice(self.world.likes)
        await http.request("like", "PUT", f"/v1/feeds/{post}/like", token=token, expect=(204,))
        await http.request("unlike", "DELETE", f"/v1/feeds/{post}/like", token=token, expect=(204,))

    async def comment(self, http):
        w, m = self.world, self.member()
        post = self.rng.choice(w.posts)
        status, comment = await http.request("comment", "POST", f"/v1/feeds/{post}/comments", {"content": f"soak {w.next()}"},
                                             token=m["token"], key=self.key(), expect=(201,))
        if status == 201 and comment:
            w.own_comments.append((post, comment["id"], m["token"]))
        if len(w.own_comments) > 30:
            post, comment, token = w.own_comments.popleft()
            await http.request("delete_comment", "DELETE", f"/v1/feeds/{post}/comments/{comment}", token=token,
                               expect=(204,))

    async def follow(self, http):
        a, b = self.rng.sample(self.world.members, 2)
        await http.request("follow", "PUT", f"/v1/members/{b['id']}/follow", token=a["token"], expect=(204,))
        await http.request("unfollow", "DELETE", f"/v1/members/{b['id']}/follow", token=a["token"], expect=(204,))

    async def feed_reads(self, http):
        post = self.rng.choice(self.world.posts)
        choice = self.rng.random()
        if choice < 0.4:
            await http.request("feed_get", "GET", f"/v1/feeds/{post}")
        elif choice < 0.6:
            await http.request("feed_following", "GET", "/v1/feeds/following?limit=20", token=self.member()["token"])
        elif choice < 0.75:
            await http.request("feed_recommended", "GET", "/v1/feeds/recommended?limit=10")
        elif choice < 0.9:
            await http.request("feed_comments", "GET", f"/v1/feeds/{post}/comments?limit=20")
        else:
            await http.request("feed_search", "GET", "/v1/feeds?q=hello&limit=20")

    async def join_leave(self, http):
        w = self.world
        free = [token for token in w.join_leave if token not in w.busy]
        if not free:
            return
        token = self.rng.choice(free)
        w.busy.add(token)
        try:
            await http.request("group_join", "PUT", f"/v1/groups/{w.big_group}/members/me", token=token, expect=(204,))
            await http.request("group_leave", "DELETE", f"/v1/groups/{w.big_group}/members/me", token=token,
                               key=self.key(), expect=(204,))
        finally:
            w.busy.discard(token)

    async def members_page(self, http):
        await http.request("group_members_page", "GET",
                           f"/v1/groups/{self.world.big_group}/members?page={self.rng.randint(1, 3)}&page_size=20")

    async def direct_message(self, http):
        a, b = self.rng.sample(self.world.members, 2)
        await http.request("message_direct", "POST", "/v1/messages", {
            "to_member_id": b["id"], "body": {"type": "text", "content": f"soak {self.world.next()}"}},
            token=a["token"], key=self.key(), expect=(201,))

    async def group_message(self, http):
        await http.request("message_group", "POST", "/v1/messages", {
            "to_group_id": self.world.chat, "body": {"type": "face", "symbol": "smile"}},
            token=self.member()["token"], key=self.key(), expect=(201,))

    async def conversations(self, http):
        m = self.member()
        await http.request("conversations", "GET", "/v1/conversations", token=m["token"])
        await http.request("sync", "GET", "/v1/sync?limit=50", token=m["token"])

    async def broadcast(self, http):
        await http.request("admin_broadcast", "POST", "/v1/admin/broadcast", {"content": "soak broadcast"},
                           token=ADMIN_TOKEN, expect=(202,))

    async def worker(self, pace, stop):
        http = Http(self.host, self.port, self.stats, reuse=self.rng.randint(60, 140))
        while not stop.is_set():
            await pace.get()
            if stop.is_set():
                break
            action = self.rng.choices(self.actions, weights=self.weights)[0][0]
            try:
                await action(http)
            except (KeyError, TypeError, IndexError) as error:  # an answer without the field it must have
                self.stats.record(action.__name__, 0, 299, (200,))
                self.stats.unexpected[f"{action.__name__} {type(error).__name__}"] = 1
        await http.close()

    async def socket_loop(self, stop):
        """One /v1/stream client after another: connects, reads frames for 1-8 s, then closes
        (seven in ten with a close frame, the rest cut without one) and resumes by cursor."""
        cursor = None
        while not stop.is_set():
            m = self.member()
            url = f"ws://{self.host}:{self.port}/v1/stream?token={m['token']}" + (f"&after={cursor}" if cursor else "")
            started = time.perf_counter()
            try:
                socket_ = await websockets.connect(url, open_timeout=30, ping_interval=None, max_size=1 << 22)
            except Exception as error:
                self.stats.dropped("ws_connect", f"{type(error).__name__} {error}")
                await asyncio.sleep(0.5)
                continue
            self.stats.record("ws_connect", (time.perf_counter() - started) * 1000, 101, None)
            self.stats.ws["connects"] += 1
            until = time.monotonic() + self.rng.uniform(1, 8)
            try:
                while not stop.is_set():
                    left = until - time.monotonic()
                    if left <= 0:
                        break
                    try:
                        raw = await asyncio.wait_for(socket_.recv(), left)
                    except asyncio.TimeoutError:
                        break
                    self.stats.ws["frames"] += 1
                    frame = json.loads(raw)
                    if frame.get("cursor"):
                        cursor = frame["cursor"]
            except websockets.ConnectionClosed as closed:
                self.stats.dropped("ws_stream", f"closed by the server: {closed}")
                continue
            if self.rng.random() < 0.7:
                await socket_.close()
                self.stats.ws["clean_closes"] += 1
            else:
                socket_.transport.abort()
                self.stats.ws["abrupt_drops"] += 1

    async def leak(self, per_second, stop, held):
        """The deliberately leaking client: sockets opened and never closed."""
        while not stop.is_set():
            m = self.member()
            try:
                held.append(await websockets.connect(f"ws://{self.host}:{self.port}/v1/stream?token={m['token']}",
                                                     open_timeout=30, ping_interval=None))
                self.stats.ws["leaked_open"] = len(held)
            except Exception as error:
                self.stats.dropped("ws_leak", f"{type(error).__name__} {error}")
            await asyncio.sleep(1 / per_second)


def run_script(name, *args):
    completed = subprocess.run([sys.executable, os.path.join(HERE, name), *map(str, args)],
                               capture_output=True, text=True, timeout=600)
    if completed.returncode != 0:
        raise SystemExit(f"soak: {name} failed ({completed.returncode}): {completed.stderr.strip()[-500:]}")
    return completed.stderr.strip()


def setup(base, work, members_count):
    """Members (register-members.py), a big group with members outside it (groups-setup.py),
    posts and likers (feed-setup.py), and a chat group every member joins."""
    run_script("register-members.py", base, members_count, os.path.join(work, "members"))
    members = []
    for line in open(os.path.join(work, "members")):
        username, password, token = line.split()
        status, me = call(base, "GET", "/v1/members/me", token=token)
        if status != 200:
            raise SystemExit(f"soak: /v1/members/me answered {status}")
        members.append({"id": me["id"], "username": username, "password": password, "token": token})
    groups_dir = os.path.join(work, "groups")
    run_script("groups-setup.py", base, 40, 16, groups_dir)
    big_group = open(os.path.join(groups_dir, "group")).read().strip()
    join_leave = [line.split()[1] for line in open(os.path.join(groups_dir, "join-leave")) if line.strip()]
    feed_dir = os.path.join(work, "feeds")
    os.makedirs(feed_dir, exist_ok=True)
    run_script("feed-setup.py", base, feed_dir, 20, 16)
    posts = [line.strip() for line in open(os.path.join(feed_dir, "posts")) if line.strip()]
    likes = [tuple(line.split()) for line in open(os.path.join(feed_dir, "likes")) if line.strip()]
    status, chat = call(base, "POST", "/v1/groups", {"name": f"Soak chat {random.getrandbits(24):06x}"}, members[0]["token"])
    if status != 201:
        raise SystemExit(f"soak: creating the chat group answered {status}")
    for m in members[1:]:
        status, _ = call(base, "PUT", f"/v1/groups/{chat['id']}/members/me", None, m["token"])
        if status != 204:
            raise SystemExit(f"soak: joining the chat group answered {status}")
    return World(members, likes, posts, big_group, join_leave, chat["id"])


def supports_test_retention(binary):
    """Whether this logbookd has the hidden --test-retention-seconds (older builds do not)."""
    completed = subprocess.run([binary, "--dev", "--test-retention-seconds", "60", "--print-config"],
                               capture_output=True, text=True, timeout=60,
                               env={k: v for k, v in os.environ.items() if not k.startswith("LOGBOOK_")})
    return completed.returncode == 0


def start_server(binary, work, port, retention):
    arguments = [binary, "--dev", "--password-hash-log-n", "10", "--data-dir", os.path.join(work, "data"),
                 "--port", str(port), "--code-resend-interval", "0", "--code-hourly-limit", "1000000"]
    if retention:
        arguments += ["--test-retention-seconds", str(retention)]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LOGBOOK_")}
    environment["LOGBOOK_ADMIN_TOKEN"] = ADMIN_TOKEN
    log = open(os.path.join(work, "server.log"), "ab")
    process = subprocess.Popen(arguments, stdout=log, stderr=log, env=environment)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        if process.poll() is not None:
            raise SystemExit(f"soak: logbookd exited with {process.returncode} at start (see {work}/server.log)")
        try:
            if call(base, "GET", "/healthz")[0] == 200:
                return process, base
        except OSError:
            pass
        time.sleep(0.1)
    process.kill()
    raise SystemExit("soak: logbookd did not answer /healthz within a minute")


def window_row(t, proc, metrics, window, seconds, stats):
    latencies = [ms for entry in window.values() for ms in entry["latencies"] if ms > 0]
    count = sum(len(entry["latencies"]) for entry in window.values())
    return {
        "t": round(t, 1),
        "rss_kib": proc.get("VmRSS"), "rss_anon_kib": proc.get("RssAnon"), "rss_file_kib": proc.get("RssFile"),
        "fds": proc.get("fds"),
        "requests": count, "rate": round(count / seconds, 1) if seconds else 0,
        "p50_ms": round(percentile(latencies, 50), 2), "p99_ms": round(percentile(latencies, 99), 2),
        "errors_5xx": sum(entry["5xx"] for entry in window.values()),
        "dropped": sum(entry["dropped"] for entry in window.values()),
        "unexpected": sum(entry["unexpected"] for entry in window.values()),
        "idempotency_keys_stored": metrics.get("logbook_idempotency_keys_stored"),
        "idempotency_keys_pruned_total": metrics.get("logbook_idempotency_keys_pruned_total"),
        "codes_stored": metrics.get("logbook_verification_codes_stored"),
        "codes_sent_total": stats.codes_sent,
        "log_events": metrics.get("logbook_log_events"),
        "stream_sockets": metrics.get("logbook_stream_sockets"),
        "ws_connects_total": stats.ws["connects"],
    }


async def sample_metrics(host, port):
    try:
        http = Http(host, port, Stats())
        http.reader, http.writer = await asyncio.open_connection(host, port)
        http.writer.write(f"GET /metrics HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        await http.writer.drain()
        status, body = await asyncio.wait_for(http._response(), 30)
        await http.close()
        return scrape(body.decode()) if status == 200 else {}
    except Exception:
        return {}


async def soak(args, world, process, host, port):
    stats = Stats()
    rng = random.Random(args.seed)
    load = Load(world, stats, host, port, rng)
    stop = asyncio.Event()
    pace = asyncio.Queue(maxsize=args.workers)
    rows, kinds = [], []
    started = time.monotonic()

    async def pacer():
        tick = 1 / args.rate
        next_at = time.monotonic()
        while not stop.is_set():
            next_at += tick
            delay = next_at - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            elif delay < -1:
                next_at = time.monotonic()  # behind by more than a second: do not make it up in a burst
            try:
                pace.put_nowait(True)
            except asyncio.QueueFull:
                pass  # every worker busy: the server (or this client) is slower than RATE; skip the slot

    def log_row(row):
        print(f"  t={row['t']:>6.0f}s  rss {row['rss_kib'] / 1024:7.1f} MiB  fds {row['fds']:>4}  "
              f"{row['rate']:>6.1f} req/s  p50 {row['p50_ms']:6.2f}  p99 {row['p99_ms']:7.2f} ms  "
              f"5xx {row['errors_5xx']}  dropped {row['dropped']}  keys {row['idempotency_keys_stored']}  "
              f"codes {row['codes_stored']}  sockets {row['stream_sockets']}", flush=True)

    rows.append(window_row(0, proc_status(process.pid), await sample_metrics(host, port), {}, 0, stats))
    log_row(rows[0])
    tasks = [asyncio.create_task(pacer())]
    tasks += [asyncio.create_task(load.worker(pace, stop)) for _ in range(args.workers)]
    tasks += [asyncio.create_task(load.socket_loop(stop)) for _ in range(args.sockets)]
    held = []
    if args.leak_sockets:
        tasks.append(asyncio.create_task(load.leak(args.leak_sockets, stop, held)))
    last = started
    for index in range(1, int(args.duration // args.interval) + 1):
        await asyncio.sleep(max(0, started + index * args.interval - time.monotonic()))
        if process.poll() is not None:
            stats.dropped("server", f"logbookd exited with {process.returncode} during the run")
            break
        now = time.monotonic()
        window = stats.take_window()
        row = window_row(now - started, proc_status(process.pid), await sample_metrics(host, port), window, now - last, stats)
        last = now
        rows.append(row)
        log_row(row)
        for kind, entry in sorted(window.items()):
            values = [ms for ms in entry["latencies"] if ms > 0]
            kinds.append({"t": row["t"], "kind": kind, "count": len(entry["latencies"]),
                          "p50_ms": round(percentile(values, 50), 2), "p99_ms": round(percentile(values, 99), 2),
                          "errors_5xx": entry["5xx"], "dropped": entry["dropped"], "unexpected": entry["unexpected"]})
    stop.set()
    for _ in range(args.workers):
        try:
            pace.put_nowait(True)
        except asyncio.QueueFull:
            break
    await asyncio.wait(tasks, timeout=10)  # actions in flight finish; sockets are cut at once
    for task in tasks:
        task.cancel()
    for socket_ in held:
        socket_.transport.abort()
    return stats, rows, kinds


def mean(values):
    values = [v for v in values if v is not None]
    return statistics.fmean(values) if values else None


def judge(args, rows, stats, exit_status, retention):
    duration = rows[-1]["t"] if rows else 0
    warm = 0.2 * duration
    middle = [r for r in rows if duration / 3 <= r["t"] < 2 * duration / 3]
    last = [r for r in rows if r["t"] >= 2 * duration / 3]
    after = [r for r in rows if r["t"] > warm]
    results = []

    def verdict(name, rule, measured, passed):
        results.append({"name": name, "rule": rule, "measured": measured, "passed": passed})

    if middle and last:
        m, l = mean(r["rss_kib"] for r in middle), mean(r["rss_kib"] for r in last)
        verdict("rss flat", "last third's mean VmRSS <= 1.10 x the middle third's",
                f"{l / 1024:.1f} MiB vs {m / 1024:.1f} MiB ({l / m:.3f} x)", l <= 1.10 * m)
        m, l = mean(r["fds"] for r in middle), mean(r["fds"] for r in last)
        verdict("fds flat", "last third's mean descriptors <= 1.10 x the middle third's + 5",
                f"{l:.1f} vs {m:.1f}", l <= 1.10 * m + 5)
    else:
        verdict("rss flat", "needs three windows or more", None, False)
        verdict("fds flat", "needs three windows or more", None, False)
    p99s = [r["p99_ms"] for r in after if r["requests"]]
    if p99s:
        median = statistics.median(p99s)
        bound = max(2 * median, median + 2)
        verdict("p99 steady", "last window's p99 <= max(2 x the median window p99 after warm-up, median + 2 ms)",
                f"{p99s[-1]:.2f} ms vs median {median:.2f} ms (bound {bound:.2f} ms)", p99s[-1] <= bound)
    verdict("no 5xx", "no answer >= 500", stats.totals["5xx"], stats.totals["5xx"] == 0)
    verdict("no dropped connection", "no HTTP or WebSocket connection lost, no server exit",
            stats.totals["dropped"], stats.totals["dropped"] == 0)
    verdict("clean exit", "logbookd exits 0 on SIGTERM", exit_status, exit_status == 0)

    def bounded(name, column, settle, pruned):
        has = [r for r in rows if r.get(column) is not None]
        if not has or not retention:
            verdict(name, "not judged: this logbookd has no gauge or no --test-retention-seconds", None, None)
            return
        if duration / 3 < settle:
            verdict(name, f"not judged: the run is too short for the count to level off ({settle:.0f} s)", None, None)
            return
        m = max(r[column] for r in middle)
        l = max(r[column] for r in last)
        ok = l <= 1.25 * m + 10 and pruned > 0
        verdict(name, "last third's maximum <= 1.25 x the middle third's + 10, and some pruned",
                f"max {l:.0f} vs {m:.0f}, {pruned:.0f} pruned", ok)

    end = rows[-1] if rows else {}
    bounded("idempotency keys pruned", "idempotency_keys_stored", (retention or 0) + min(60, retention or 60) + 5,
            end.get("idempotency_keys_pruned_total") or 0)
    codes_pruned = (end.get("codes_sent_total") or 0) - (end.get("codes_stored") or 0)
    bounded("expired codes pruned", "codes_stored", max(CODE_TTLS) + (retention or 0) + 5, codes_pruned)
    return results


def nice_top(value):
    """The smallest 1, 2, 2.5 or 5 times a power of ten, times 4, at or above `value`."""
    step = value / 4
    power = 10 ** math.floor(math.log10(step))
    return 4 * power * next(m for m in (1, 2, 2.5, 5, 10) if m * power >= step)


def svg_chart(rows, warm, path, title):
    """RSS, descriptors and p99 over time: three panels of polylines, hand-written SVG."""
    width, panel, left, right, top = 900, 170, 70, 20, 40
    series = [("VmRSS (MiB); dashed: its anonymous part (RssAnon)", [r["rss_kib"] / 1024 if r["rss_kib"] else None for r in rows],
               "#1f77b4", [r["rss_anon_kib"] / 1024 if r["rss_anon_kib"] else None for r in rows]),
              ("open descriptors", [r["fds"] for r in rows], "#2ca02c", None),
              ("p99 latency, all requests (ms)", [r["p99_ms"] if r["requests"] else None for r in rows], "#d62728", None)]
    times = [r["t"] for r in rows]
    t_max = max(times) or 1
    height = top + len(series) * (panel + 40) + 20
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="DejaVu Sans, sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="15">{title}</text>']
    plot_w = width - left - right
    for index, (label, values, color, dashed) in enumerate(series):
        y0 = top + index * (panel + 40)
        present = [v for v in values if v is not None]
        v_max = nice_top(max(present) * 1.05 if present and max(present) > 0 else 1)
        out.append(f'<rect x="{left}" y="{y0}" width="{plot_w * warm / t_max:.1f}" height="{panel}" fill="#eeeeee"/>')
        out.append(f'<rect x="{left}" y="{y0}" width="{plot_w}" height="{panel}" fill="none" stroke="#888"/>')
        out.append(f'<text x="{left + 6}" y="{y0 + 15}" fill="{color}">{label}</text>')
        for tick in range(5):
            value = v_max * tick / 4
            y = y0 + panel - panel * tick / 4
            out.append(f'<line x1="{left - 4}" y1="{y:.1f}" x2="{left}" y2="{y:.1f}" stroke="#888"/>')
            out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{value:g}</text>')
            t = t_max * tick / 4
            x = left + plot_w * tick / 4
            out.append(f'<text x="{x:.1f}" y="{y0 + panel + 15}" text-anchor="middle">{t:.0f} s</text>')
        points = " ".join(f"{left + plot_w * t / t_max:.1f},{y0 + panel - panel * v / v_max:.1f}"
                          for t, v in zip(times, values) if v is not None)
        out.append(f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="2"/>')
        if dashed:
            points = " ".join(f"{left + plot_w * t / t_max:.1f},{y0 + panel - panel * v / v_max:.1f}"
                              for t, v in zip(times, dashed) if v is not None)
            out.append(f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="1.5" stroke-dasharray="6,4"/>')
    out.append(f'<text x="{left}" y="{height - 6}" fill="#666">grey: warm-up (first 20% of the run, not judged)</text>')
    out.append("</svg>")
    with open(path, "w") as file:
        file.write("\n".join(out) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary")
    parser.add_argument("--duration", type=float, default=600)
    parser.add_argument("--interval", type=float, default=10)
    parser.add_argument("--out", default="soak-results")
    parser.add_argument("--rate", type=float, default=40, help="actions per second (1-4 requests each)")
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--sockets", type=int, default=16)
    parser.add_argument("--members", type=int, default=24)
    parser.add_argument("--retention", type=int, default=60,
                        help="--test-retention-seconds for logbookd (0: the server's own retention)")
    parser.add_argument("--leak-sockets", type=float, default=0, help="a leaking client: sockets a second never closed")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the server is stopped and the scratch removed
    binary = os.path.realpath(args.binary)
    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="logbook-soak.", dir="/var/tmp")
    retention = args.retention if args.retention and supports_test_retention(binary) else 0
    if args.retention and not retention:
        print("soak: this logbookd has no --test-retention-seconds: pruning is not judged", flush=True)
    port = free_port()
    process = None
    try:
        process, base = start_server(binary, work, port, retention)
        set_up = time.monotonic()
        world = setup(base, work, args.members)
        print(f"soak: {binary} pid {process.pid}, set up in {time.monotonic() - set_up:.1f} s "
              f"({len(world.members)} members, {len(world.posts)} posts, a group of 40, a chat of {len(world.members)}); "
              f"{args.duration:.0f} s at {args.rate:g} actions/s, {args.workers} workers, {args.sockets} sockets"
              + (f", leaking {args.leak_sockets:g} sockets/s" if args.leak_sockets else ""), flush=True)
        stats, rows, kinds = asyncio.run(soak(args, world, process, "127.0.0.1", port))
        alive = process.poll() is None
        exit_status = None
        if alive:
            process.send_signal(signal.SIGTERM)
            try:
                exit_status = process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                exit_status = "did not stop within 60 s"
        else:
            exit_status = process.returncode
        results = judge(args, rows, stats, exit_status, retention)
        passed = all(r["passed"] is not False for r in results)
        duration = rows[-1]["t"]
        after = [r for r in rows if r["t"] > 0.2 * duration]
        summary = {
            "binary": binary, "duration_s": round(duration, 1), "interval_s": args.interval, "rate_actions": args.rate,
            "workers": args.workers, "sockets": args.sockets, "leak_sockets": args.leak_sockets,
            "test_retention_s": retention or None,
            "requests": stats.totals["requests"],
            "requests_per_second": round(stats.totals["requests"] / duration, 1) if duration else 0,
            "rss_mib": {"start": round(rows[0]["rss_kib"] / 1024, 1), "end": round(rows[-1]["rss_kib"] / 1024, 1),
                        "max": round(max(r["rss_kib"] for r in rows) / 1024, 1)},
            "rss_anon_mib": {"start": round(rows[0]["rss_anon_kib"] / 1024, 1), "end": round(rows[-1]["rss_anon_kib"] / 1024, 1)},
            "fds": {"start": rows[0]["fds"], "end": rows[-1]["fds"], "max": max(r["fds"] for r in rows)},
            "p99_ms_windows": [r["p99_ms"] for r in rows[1:]],
            "p50_ms_median": round(statistics.median([r["p50_ms"] for r in after if r["requests"]] or [0]), 2),
            "idempotency_keys": {"stored_end": rows[-1]["idempotency_keys_stored"],
                                 "stored_max": max((r["idempotency_keys_stored"] or 0) for r in rows),
                                 "pruned_total": rows[-1]["idempotency_keys_pruned_total"],
                                 "replays_sent": stats.idempotent_replays},
            "codes": {"sent": stats.codes_sent, "stored_end": rows[-1]["codes_stored"],
                      "stored_max": max((r["codes_stored"] or 0) for r in rows),
                      "checked_after_expiry": stats.codes_expired_checked},
            "log_events_end": rows[-1]["log_events"],
            "errors": {"5xx": stats.totals["5xx"], "dropped": stats.totals["dropped"], "drops": stats.drops,
                       "unexpected": stats.totals["unexpected"], "unexpected_by_kind": stats.unexpected},
            "websocket": stats.ws,
            "judgements": results, "passed": passed,
        }
        with open(os.path.join(args.out, "soak.csv"), "w", newline="") as file:
            writer = csv.DictWriter(file, fieldnames=list(rows[0].keys()))
            writer.writeheader()
            writer.writerows(rows)
        with open(os.path.join(args.out, "soak-kinds.csv"), "w", newline="") as file:
            writer = csv.DictWriter(file, fieldnames=["t", "kind", "count", "p50_ms", "p99_ms", "errors_5xx", "dropped", "unexpected"])
            writer.writeheader()
            writer.writerows(kinds)
        svg_chart(rows, 0.2 * duration, os.path.join(args.out, "soak.svg"),
                  f"Soak: {duration:.0f} s of mixed load, {summary['requests_per_second']:.0f} requests/s"
                  + (f", leaking {args.leak_sockets:g} sockets/s" if args.leak_sockets else ""))
        with open(os.path.join(args.out, "soak.json"), "w") as file:
            json.dump(summary, file, indent=2)
            file.write("\n")
        shutil.copy(os.path.join(work, "server.log"), os.path.join(args.out, "server.log"))
        for r in results:
            mark = {True: "pass", False: "FAIL", None: "skip"}[r["passed"]]
            print(f"  {mark:4} {r['name']}: {r['measured']}  [{r['rule']}]", flush=True)
        print("SOAK_JSON " + json.dumps(summary), flush=True)
        sys.exit(0 if passed else 1)
    finally:
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
