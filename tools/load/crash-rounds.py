#!/usr/bin/env python3
"""Kill -9 rounds under HTTP load across every domain (issue 16, item 3).

Starts LOGBOOKD (--dev --password-hash-log-n 10, an admin token) on a fresh data directory,
registers CLIENTS members and an owner of three groups, then ROUNDS times: CLIENTS threads,
one per member, send verification codes, register members, post, like and unlike, comment,
follow and unfollow, join and leave groups, send direct and group messages and mark
conversations read for about SECONDS; the server is killed with SIGKILL at a random moment
of that window, restarted, and then, with no load running:

  - the log after the restart extends the log seen after the round before (an RFC 6962
    consistency proof from the old head to the new one, checked here);
  - every acknowledged command (a 2xx) is in the log: code keys, member ids, posts,
    comments, messages (each at the seq its 201 gave); for likes, follows and group
    memberships, the state the thread's last answered command left is the log's state;
  - every count the server answers equals a recount from the log: each post's like_count
    and comment_count and each member's liked_by_me (every post, as every client), each
    group's member_count and member list, each member's followers, each conversation's
    last_seq and each member's unread_count (messages after their own last message or
    read mark);
  - this round's commands are readable: codes by key, members by id, comment lists,
    conversation histories (seqs 1..last, no gap, no duplicate, the log's message ids);
  - /v1/sync after a cursor taken before the kill gives exactly what the full sync lists
    after it;
  - `logbook verify DATA_DIR` passes (run beside the server: read-only, no data-directory lock);
  - the live read models equal a rebuild from the log: GET /v1/admin/read-models reads
    every model's position and digest at one moment, then `logbook replay DATA_DIR
    --until POSITION` must print the same digests.

    crash-rounds.py LOGBOOKD [--logbook BIN] [--rounds 20] [--clients 6] [--seconds 1.0]
    crash-rounds.py LOGBOOKD --rounds 100          # by hand
    crash-rounds.py LOGBOOKD --negative-control KIND   # must fail: see --help

Exit status 1 with the first broken invariant; CRASH_JSON {...} with the figures at the end.
"""
import argparse
import hashlib
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict

ADMIN_TOKEN = "crash-rounds-" + os.urandom(12).hex()
DOMAINS = ["codes", "members", "posts", "likes", "comments", "follows", "groups", "direct messages", "group messages", "read marks"]


class Broken(Exception):
    pass


class Client:
    """One keep-alive connection; any failure to get an answer is status 0 (unknown outcome)."""

    def __init__(self, port, token=None):
        self.port, self.token, self.connection = port, token, None

    def call(self, method, path, body=None, token=None, timeout=10):
        headers = {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        token = self.token if token is None else token
        if token:
            headers["Authorization"] = f"Bearer {token}"
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            raw = response.read()
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            try:
                return response.status, (json.loads(raw) if raw else {})
            except ValueError:
                return response.status, {}
        except Exception:
            self.close()
            return 0, {}

    def close(self):
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:
                pass
            self.connection = None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary, data, port, log_path, extra):
        self.binary, self.data, self.port, self.extra = binary, data, port, extra
        self.log = open(log_path, "ab")
        self.process = None

    def start(self):
        environment = dict(os.environ, LOGBOOK_ADMIN_TOKEN=ADMIN_TOKEN)
        self.process = subprocess.Popen(
            [self.binary, "--dev", "--data-dir", self.data, "--port", str(self.port), "--password-hash-log-n", "10"] + self.extra,
            stdout=self.log, stderr=self.log, env=environment)
        probe = Client(self.port)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise Broken(f"the server exited with status {self.process.returncode} while starting (see its log)")
            if probe.call("GET", "/readyz", timeout=2)[0] == 200:
                return
            probe.close()
            time.sleep(0.05)
        raise Broken("the server was not ready within 120 s")

    def kill(self):
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
            self.process = None


# --- The log, folded -------------------------------------------------------------------------

class LogState:
    """What the log holds, folded from /v1/admin/events (kept across rounds, read incrementally)."""

    def __init__(self):
        self.size = 0
        self.root = None
        self.codes = set()
        self.members = set()
        self.posts = {}  # id -> author
        self.deleted_posts = set()
        self.likes = defaultdict(set)  # feed -> members
        self.comments = defaultdict(set)  # feed -> comment ids
        self.comment_feed = {}
        self.followers = defaultdict(set)  # followee -> followers
        self.group_members = defaultdict(set)
        self.messages = {}  # id -> (conversation, seq)
        self.message_position = {}  # id -> log position
        self.conversation_messages = defaultdict(list)  # conversation -> [(seq, id, sender)]
        self.marks = defaultdict(int)  # (member, conversation) -> highest read mark or own seq
        self.direct_participants = defaultdict(set)  # member -> direct conversations
        self.tenures = defaultdict(list)  # (member, group conversation) -> [[joined, left or None]]
        self.deleted_groups = {}  # group -> position of its deletion

    def fold(self, event):
        kind, payload, stream = event["type"], event["payload"], event["stream"]
        stream_id = stream.split("-", 1)[1] if "-" in stream else stream
        if kind == "verification.code-issued.v1":
            self.codes.add(payload["key"])
        elif kind.startswith("member.registered."):
            self.members.add(stream_id)
        elif kind == "feed.post-created.v1":
            self.posts[stream_id] = payload["author_id"]
        elif kind == "feed.post-deleted.v1":
            self.deleted_posts.add(stream_id)
        elif kind == "feed.liked.v1":
            self.likes[payload["feed_id"]].add(stream_id)
        elif kind == "feed.unliked.v1":
            self.likes[payload["feed_id"]].discard(stream_id)
        elif kind == "feed.comment-added.v1":
            self.comments[payload["feed_id"]].add(stream_id)
            self.comment_feed[stream_id] = payload["feed_id"]
        elif kind == "feed.comment-removed.v1":
            feed = self.comment_feed.get(stream_id)
            if feed:
                self.comments[feed].discard(stream_id)
        elif kind == "feed.followed.v1":
            self.followers[payload["member_id"]].add(stream_id)
        elif kind == "feed.unfollowed.v1":
            self.followers[payload["member_id"]].discard(stream_id)
        elif kind == "group.created.v1":
            self.group_members[stream_id] = {payload["owner_id"]}
            self.joined(payload["owner_id"], stream_id, event["position"])
        elif kind == "group.member-joined.v1":
            if stream_id not in self.deleted_groups and payload["member_id"] not in self.group_members[stream_id]:
                self.joined(payload["member_id"], stream_id, event["position"])
            self.group_members[stream_id].add(payload["member_id"])
        elif kind == "group.member-left.v1":
            stretches = self.tenures[(payload["member_id"], "g." + stream_id)]
            if stream_id not in self.deleted_groups and stretches and stretches[-1][1] is None:
                stretches[-1][1] = event["position"]
            self.group_members[stream_id].discard(payload["member_id"])
        elif kind == "group.deleted.v1":
            self.group_members.pop(stream_id, None)
            if stream_id not in self.deleted_groups:
                self.deleted_groups[stream_id] = event["position"]
        elif kind == "message.sent.v1":
            seq, sender = event["version"], payload["sender_id"]
            if payload["message_id"] in self.messages:
                raise Broken(f"message {payload['message_id']} twice in the log")
            self.messages[payload["message_id"]] = (stream_id, seq)
            self.message_position[payload["message_id"]] = event["position"]
            self.conversation_messages[stream_id].append((seq, payload["message_id"], sender))
            self.marks[(sender, stream_id)] = max(self.marks[(sender, stream_id)], seq)
            if payload["to_member_id"]:
                self.direct_participants[sender].add(stream_id)
                self.direct_participants[payload["to_member_id"]].add(stream_id)
        elif kind == "message.conversation-read.v1":
            key = (stream_id, payload["conversation_id"])
            self.marks[key] = max(self.marks[key], payload["up_to_seq"])

    def joined(self, member, group, position):
        """A tenure opens; joining reads the group's conversation up to its last seq."""
        conversation = "g." + group
        self.tenures[(member, conversation)].append([position, None])
        key = (member, conversation)
        self.marks[key] = max(self.marks[key], len(self.conversation_messages[conversation]))

    def synced(self, member):
        """The ids /v1/sync owes `member`, in log order: their direct conversations' messages
        and each group's while they were in it (after the join, before the leave or deletion)."""
        owed = []
        for message, (conversation, _) in self.messages.items():
            position = self.message_position[message]
            if conversation in self.direct_participants[member]:
                owed.append((position, message))
            elif conversation.startswith("g."):
                end = self.deleted_groups.get(conversation[2:], float("inf"))
                for joined, left in self.tenures.get((member, conversation), []):
                    if joined < position < min(left if left is not None else float("inf"), end):
                        owed.append((position, message))
                        break
        return [message for _, message in sorted(owed)]

    def read(self, admin):
        """Folds the events after the last one read; returns how many were new."""
        new = 0
        while True:
            status, page = admin.call("GET", f"/v1/admin/events?after={self.size}&limit=1000", timeout=60)
            if status != 200:
                raise Broken(f"/v1/admin/events answered {status}")
            for event in page["items"]:
                if event["position"] != self.size + 1:
                    raise Broken(f"event at position {event['position']} after {self.size}")
                self.fold(event)
                self.size += 1
                new += 1
            if not page["items"]:
                return new


# RFC 6962 / RFC 9162 section 2.1.4.2: checks that the tree of `first` leaves is a prefix of the tree of `second`.
def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def consistent(first, second, first_root, second_root, proof):
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return True
    if first > second or not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:  # a power of two: the old root is the first node
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root


# --- The load ---------------------------------------------------------------------------------

class Acked:
    """Acknowledged commands, shared by the client threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.codes, self.members, self.posts, self.comments, self.messages = {}, {}, {}, {}, {}
        self.counts = defaultdict(int)
        self.sent = defaultdict(int)
        self.round = defaultdict(set)  # kind -> ids acknowledged in the current round

    def add(self, kind, key=None, value=None, table=None):
        with self.lock:
            self.counts[kind] += 1
            if table is not None:
                table[key] = value
                self.round[kind].add(key)


class Tally:
    """Counts the answers to one action's requests by status (0: none, the kill)."""

    def __init__(self, worker, action):
        self.worker, self.acked, self.action = worker, worker.run.acked, action

    def call(self, *args, **kwargs):
        status, reply = self.worker.client.call(*args, **kwargs)
        with self.acked.lock:
            self.acked.sent[f"{self.action} {status}"] += 1
        if status == 0:
            self.worker.unanswered = True
        return status, reply


class Worker:
    """A client thread acting as one member, so the state its likes, follows and joins leave
    is known from its own answers: the last answered command decides it; a command whose
    answer was lost to the kill leaves it unknown until a later one is answered."""

    def __init__(self, index, member_id, token, run):
        self.index, self.member_id, self.run = index, member_id, run
        self.client = Client(run.port, token)
        self.likes, self.follows, self.joined = {}, {}, {}
        self.last_seq = {}  # conversation -> the highest seq this member was answered
        self.unanswered = False  # a request went unanswered: the server is down until the next round
        self.n = 0

    def outcome(self, table, key, status, value, ok=(204,)):
        if status in ok:
            table[key] = value
            return True
        if status == 0 or status >= 500:
            table[key] = None
        return False

    def step(self, round_number):
        run, acked = self.run, self.run.acked
        self.n += 1
        tag = f"r{round_number}x{self.index}x{self.n}x{run.nonce}"
        action = random.choices(
            ["code", "register", "post", "like", "comment", "follow", "join", "direct", "group", "read"],
            weights=[2, 1, 2, 4, 3, 2, 2, 4, 3, 1])[0]
        client = Tally(self, action)
        if action == "code":
            status, reply = client.call("POST", "/v1/verifications", {"channel": "email", "to": f"{tag}@example.com", "operation": "register"})
            if status == 201:
                acked.add("codes", reply["key"], True, acked.codes)
        elif action == "register":
            status, reply = client.call("POST", "/v1/members", {"username": tag, "password": "correct-horse-7", "display_name": tag}, token="")
            if status == 201:
                acked.add("members", reply["member"]["id"], True, acked.members)
        elif action == "post":
            status, reply = client.call("POST", "/v1/feeds", {"type": "text", "content": f"post {tag}", "resources": []})
            if status == 201:
                acked.add("posts", reply["id"], self.member_id, acked.posts)
        elif action == "like":
            feed = run.random_post()
            if feed:
                liked = self.likes.get(feed)
                if liked is None:
                    liked = random.random() < 0.5
                method = "DELETE" if liked else "PUT"
                status, _ = client.call(method, f"/v1/feeds/{feed}/like")
                if self.outcome(self.likes, feed, status, not liked):
                    acked.add("likes")
        elif action == "comment":
            feed = run.random_post()
            if feed:
                status, reply = client.call("POST", f"/v1/feeds/{feed}/comments", {"content": f"comment {tag}"})
                if status == 201:
                    acked.add("comments", reply["id"], feed, acked.comments)
        elif action == "follow":
            target = random.choice([w.member_id for w in run.workers if w is not self])
            following = self.follows.get(target)
            if following is None:
                following = random.random() < 0.5
            status, _ = client.call("DELETE" if following else "PUT", f"/v1/members/{target}/follow")
            if self.outcome(self.follows, target, status, not following):
                acked.add("follows")
        elif action == "join":
            group = random.choice(run.groups)
            joined = self.joined.get(group)
            if joined is None:
                joined = random.random() < 0.5
            if joined:
                status, _ = client.call("DELETE", f"/v1/groups/{group}/members/{self.member_id}")
            else:
                status, _ = client.call("PUT", f"/v1/groups/{group}/members/me")
            if self.outcome(self.joined, group, status, not joined):
                acked.add("groups")
        elif action in ("direct", "group"):
            if action == "direct":
                target = {"to_member_id": random.choice([w.member_id for w in run.workers if w is not self])}
            else:
                member_of = [g for g in run.groups if self.joined.get(g)]
                target = {"to_group_id": random.choice(member_of or run.groups)}
            status, reply = client.call("POST", "/v1/messages", dict(target, body={"type": "text", "content": f"message {tag}"}))
            if status == 201:
                acked.add(f"{action} messages", reply["id"], (reply["conversation_id"], reply["seq"]), acked.messages)
                self.last_seq[reply["conversation_id"]] = max(self.last_seq.get(reply["conversation_id"], 0), reply["seq"])
        elif action == "read" and self.last_seq:
            conversation = random.choice(list(self.last_seq))
            status, _ = client.call("PUT", f"/v1/conversations/{conversation}/read", {"up_to_seq": self.last_seq[conversation]})
            if status == 204:
                acked.add("read marks")


class Run:
    def __init__(self, args):
        self.args = args
        self.nonce = os.urandom(3).hex()
        self.work = tempfile.mkdtemp(prefix="logbook-crash.", dir="/var/tmp")
        self.data = os.path.join(self.work, "data")
        self.port = free_port()
        self.server = Server(args.binary, self.data, self.port, os.path.join(self.work, "server.log"), args.server_flag)
        self.acked = Acked()
        self.log = LogState()
        self.admin = Client(self.port, ADMIN_TOKEN)
        self.workers, self.groups = [], []

    def reconnect(self):
        """Drops the keep-alive connections to the killed server."""
        self.admin.close()
        for worker in self.workers:
            worker.client.close()

    def random_post(self):
        with self.acked.lock:
            known = list(self.acked.posts)
        return random.choice(known) if known else None

    def setup(self):
        self.server.start()
        anonymous = Client(self.port)
        owner = None
        for index in range(self.args.clients + 1):
            name = f"crash{index}x{self.nonce}"
            status, reply = anonymous.call("POST", "/v1/members", {"username": name, "password": "correct-horse-7", "display_name": name})
            if status != 201:
                raise Broken(f"setup: register answered {status}")
            if index == self.args.clients:
                owner = Client(self.port, reply["token"])
                self.owner_id = reply["member"]["id"]
            else:
                self.workers.append(Worker(index, reply["member"]["id"], reply["token"], self))
        for index in range(3):
            status, reply = owner.call("POST", "/v1/groups", {"name": f"Crash group {index} {self.nonce}"})
            if status != 201:
                raise Broken(f"setup: create group answered {status}")
            self.groups.append(reply["id"])
        for worker in self.workers:
            for group in self.groups:
                worker.joined[group] = False
        status, reply = owner.call("POST", "/v1/feeds", {"type": "text", "content": "the first post", "resources": []})
        if status != 201:
            raise Broken(f"setup: post answered {status}")
        self.acked.posts[reply["id"]] = self.owner_id

    # --- checks ---

    def settle(self):
        """Reads the log to its head and keeps the head's root (events may still trickle in: deliveries)."""
        for _ in range(100):
            self.log.read(self.admin)
            status, head = self.admin.call("GET", "/v1/log/head")
            if status != 200:
                raise Broken(f"/v1/log/head answered {status}")
            if head["size"] == self.log.size:
                self.log.root = bytes.fromhex(head["root"])
                return
        raise Broken("the log kept moving with no load")

    def check(self, round_number, sync_before, negative):
        acked, log, admin = self.acked, self.log, self.admin
        status, head = admin.call("GET", "/v1/log/head")
        if status != 200:
            raise Broken(f"/v1/log/head answered {status}")
        status, proof = admin.call("GET", f"/v1/log/proofs/consistency?from={log.size}&to={head['size']}")
        old_root = hashlib.sha256(log.root).digest() if negative == "root" else log.root
        if status != 200 or proof["second_root"] != head["root"] or not consistent(
                log.size, head["size"], old_root, bytes.fromhex(head["root"]), [bytes.fromhex(h) for h in proof["proof"]]):
            raise Broken(f"the log after the restart does not extend the log of the round before (size {log.size} -> {head['size']})")
        self.settle()

        with acked.lock:
            codes, members, posts = dict(acked.codes), dict(acked.members), dict(acked.posts)
            comments, messages = dict(acked.comments), dict(acked.messages)
            this_round = {kind: set(ids) for kind, ids in acked.round.items()}
            acked.round.clear()
        if negative == "ack":  # an acknowledged message the log does not hold
            messages["01NOTINTHELOG000000000000X"] = next(iter(messages.values()), ("d.x.y", 1))

        def missing(name, ids, present):
            gone = [i for i in ids if i not in present]
            if gone:
                raise Broken(f"{len(gone)} acknowledged {name} not in the log, e.g. {gone[0]}")

        missing("codes", codes, log.codes)
        missing("members", members, log.members)
        missing("posts", posts, log.posts)
        missing("comments", comments, log.comment_feed)
        missing("messages", messages, log.messages)
        for message, (conversation, seq) in messages.items():
            if log.messages[message] != (conversation, seq):
                raise Broken(f"message {message} acknowledged as {conversation} seq {seq}, the log has {log.messages[message]}")
        for worker in self.workers:
            for feed, liked in worker.likes.items():
                if liked is not None and (worker.member_id in log.likes[feed]) != liked:
                    raise Broken(f"{worker.member_id}'s answered {'like' if liked else 'unlike'} of {feed} is not the log's state")
            for target, following in worker.follows.items():
                if following is not None and (worker.member_id in log.followers[target]) != following:
                    raise Broken(f"{worker.member_id}'s answered {'follow' if following else 'unfollow'} of {target} is not the log's state")
            for group, joined in worker.joined.items():
                if joined is not None and (worker.member_id in log.group_members[group]) != joined:
                    raise Broken(f"{worker.member_id}'s answered {'join' if joined else 'leave'} of {group} is not the log's state")

        # This round's commands, read back.
        anonymous = self.workers[0].client
        for key in this_round.get("codes", ()):
            status, reply = anonymous.call("GET", f"/v1/verifications/{key}")
            if status != 200 or reply.get("key") != key:
                raise Broken(f"code {key} acknowledged, GET answered {status}")
        for member in this_round.get("members", ()):
            status, reply = anonymous.call("GET", f"/v1/members/{member}")
            if status != 200 or reply.get("id") != member:
                raise Broken(f"member {member} acknowledged, GET answered {status}")
        for feed in {comments[c] for c in this_round.get("comments", ())}:
            listed, cursor = set(), ""
            while True:
                status, page = anonymous.call("GET", f"/v1/feeds/{feed}/comments?limit=100" + (f"&cursor={cursor}" if cursor else ""))
                if status != 200:
                    raise Broken(f"comments of {feed} answered {status}")
                listed |= {c["id"] for c in page["items"]}
                cursor = page.get("next_cursor")
                if not cursor:
                    break
            if listed != log.comments[feed]:
                raise Broken(f"the comments of {feed} are not the log's: {len(listed)} listed, {len(log.comments[feed])} in the log")

        # Counts against a recount from the log: every post, as every client.
        live_posts = {p for p in log.posts if p not in log.deleted_posts}
        for worker in self.workers:
            seen, cursor = {}, ""
            while True:
                status, page = worker.client.call("GET", "/v1/feeds?limit=100" + (f"&cursor={cursor}" if cursor else ""))
                if status != 200:
                    raise Broken(f"/v1/feeds answered {status}")
                for item in page["items"]:
                    seen[item["id"]] = item
                cursor = page.get("next_cursor")
                if not cursor:
                    break
            if set(seen) != live_posts:
                raise Broken(f"/v1/feeds lists {len(seen)} posts, the log holds {len(live_posts)}")
            for feed, item in seen.items():
                likes = len(log.likes[feed]) + (1 if negative == "count" and feed == next(iter(seen)) else 0)
                if item["like_count"] != likes:
                    raise Broken(f"{feed}: like_count {item['like_count']}, the log holds {likes} likes")
                if item["comment_count"] != len(log.comments[feed]):
                    raise Broken(f"{feed}: comment_count {item['comment_count']}, the log holds {len(log.comments[feed])} comments")
                if item["liked_by_me"] != (worker.member_id in log.likes[feed]):
                    raise Broken(f"{feed}: liked_by_me {item['liked_by_me']} for {worker.member_id}, not the log's")
        for worker in self.workers:
            status, page = anonymous.call("GET", f"/v1/members/{worker.member_id}/followers?page=1&page_size=100")
            if status != 200 or {m["id"] for m in page["items"]} != log.followers[worker.member_id] \
                    or page["total_rows"] != len(log.followers[worker.member_id]):
                raise Broken(f"the followers of {worker.member_id} are not the log's ({status})")
        for group in self.groups:
            status, reply = anonymous.call("GET", f"/v1/groups/{group}")
            if status != 200 or reply["member_count"] != len(log.group_members[group]):
                raise Broken(f"group {group}: member_count {reply.get('member_count')}, the log holds {len(log.group_members[group])}")
            status, page = anonymous.call("GET", f"/v1/groups/{group}/members?page=1&page_size=100")
            if status != 200 or {m["id"] for m in page["items"]} != log.group_members[group]:
                raise Broken(f"the members of group {group} are not the log's ({status})")

        # Conversations: seqs gapless in the log; last_seq and unread against a recount; histories.
        for conversation, entries in log.conversation_messages.items():
            if [seq for seq, _, _ in entries] != list(range(1, len(entries) + 1)):
                raise Broken(f"{conversation}: seqs in the log are not 1..{len(entries)}")
        touched = {messages[m][0] for kind in ("direct messages", "group messages") for m in this_round.get(kind, ())}
        for worker in self.workers:
            listed, cursor = {}, ""
            while True:  # every page (cursor-paged, 100 a page)
                status, listing = worker.client.call("GET", "/v1/conversations?limit=100" + (f"&cursor={cursor}" if cursor else ""))
                if status != 200:
                    raise Broken(f"/v1/conversations answered {status}")
                for item in listing["items"]:
                    if item["conversation_id"] in listed:
                        raise Broken(f"{item['conversation_id']} listed twice in one crawl of {worker.member_id}'s conversations")
                    listed[item["conversation_id"]] = item
                cursor = listing["next_cursor"]
                if cursor is None:
                    break
            if not log.direct_participants[worker.member_id] <= set(listed):
                raise Broken(f"{worker.member_id}'s direct conversations are not all listed")
            for conversation, item in listed.items():
                last = len(log.conversation_messages[conversation])
                if item["last_seq"] != last:
                    raise Broken(f"{conversation}: last_seq {item['last_seq']}, the log holds {last} messages")
                unread = max(0, last - log.marks[(worker.member_id, conversation)])
                if item["unread_count"] != unread:
                    raise Broken(f"{conversation}: unread_count {item['unread_count']} for {worker.member_id}, a recount gives {unread}")
                if conversation in touched:
                    touched.discard(conversation)
                    history, before = [], None
                    while True:
                        path = f"/v1/conversations/{conversation}/messages?limit=100" + (f"&before_seq={before}" if before else "")
                        status, page = worker.client.call("GET", path)
                        if status != 200:
                            raise Broken(f"history of {conversation} answered {status}")
                        history += page["items"]
                        before = page.get("next_before_seq")
                        if not before:
                            break
                    if sorted(m["seq"] for m in history) != list(range(1, last + 1)):
                        raise Broken(f"{conversation}: history seqs are not 1..{last}")
                    if {m["id"] for m in history} != {i for _, i, _ in log.conversation_messages[conversation]}:
                        raise Broken(f"{conversation}: the history's messages are not the log's")

        # A full sync against a recount from the log (direct messages, and each group's while
        # the member was in it), then resuming after a cursor taken before the kill (the cursor
        # stands for the log position of the last message synced).
        everything_before, cursor = sync_before
        after = log.message_position[everything_before[-1]["id"]] if everything_before else 0
        everything, _ = sync_all(self.workers[0].client)
        owed = log.synced(self.workers[0].member_id)
        if [m["id"] for m in everything] != owed:
            raise Broken(f"/v1/sync lists {len(everything)} messages, a recount from the log owes {len(owed)}")
        resumed, _ = sync_all(self.workers[0].client, cursor)
        expected = [m["id"] for m in everything if log.message_position[m["id"]] > after]
        if [m["id"] for m in resumed] != expected:
            raise Broken(f"resuming /v1/sync after the cursor gave {len(resumed)} messages, the full sync lists {len(expected)} after it")

        # The read models against a rebuild from the log, at one position.
        self.timing("checks")
        status, reading = admin.call("GET", "/v1/admin/read-models", timeout=60)
        if status != 200:
            raise Broken(f"/v1/admin/read-models answered {status}")
        position = reading["position"]
        live = {item["name"]: (item["position"], item["digest"]) for item in reading["items"]}
        if negative == "digest":
            name = next(iter(live))
            live[name] = (live[name][0], "0" * 64)
        verify = subprocess.run([self.args.logbook, "verify", self.data], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if verify.returncode != 0:
            raise Broken(f"logbook verify failed: {verify.stdout.strip()[-2000:]}")
        self.timing("verify")
        replay = subprocess.run(
            [self.args.logbook, "replay", self.data, "--until", str(position)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        if replay.returncode != 0:
            raise Broken(f"logbook replay failed: {replay.stdout.strip()[-2000:]}")
        rebuilt = {}
        for line in replay.stdout.splitlines():
            match = re.match(r"^(\S+): through position (\d+), digest ([0-9a-f]{64})$", line)
            if match:
                rebuilt[match.group(1)] = (int(match.group(2)), match.group(3))
        self.timing("replay")
        if not live or rebuilt != live:
            differ = sorted(name for name in set(live) | set(rebuilt) if live.get(name) != rebuilt.get(name))
            raise Broken(f"read models differ from a rebuild to position {position}: {differ} "
                         f"(live {[live.get(n) for n in differ]}, rebuilt {[rebuilt.get(n) for n in differ]})")
        return position, len(live)


def sync_all(client, after=""):
    items, cursor = [], after
    while True:
        status, page = client.call("GET", f"/v1/sync?limit=100&after={cursor}")
        if status != 200:
            raise Broken(f"/v1/sync answered {status}")
        items += page["items"]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return items, cursor


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary", help="logbookd")
    parser.add_argument("--logbook", help="the logbook audit binary (default: beside LOGBOOKD)")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--clients", type=int, default=6, help="client threads, one member each")
    parser.add_argument("--seconds", type=float, default=1.0, help="the load window; the kill comes at a random moment of it")
    parser.add_argument("--seed", type=int, help="seed the random choices")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory (it is kept anyway on a failure)")
    parser.add_argument("--server-flag", action="append", default=[], help="an extra logbookd flag (repeatable)")
    parser.add_argument(
        "--negative-control", choices=["ack", "count", "digest", "root"],
        help="corrupt the checker's input in round 1 (an acknowledged message the log lacks, a like count off by one, "
             "a live digest, the root of the log seen before the kill): the run must fail")
    args = parser.parse_args()
    args.logbook = args.logbook or os.path.join(os.path.dirname(args.binary), "logbook")
    if args.seed is not None:
        random.seed(args.seed)
    run = Run(args)
    started = time.monotonic()
    durations = []
    phases = defaultdict(float)
    mark = [time.monotonic()]

    def timing(phase):
        now = time.monotonic()
        phases[phase] += now - mark[0]
        mark[0] = now
    run.timing = timing
    failure = None
    try:
        run.setup()
        run.settle()
        for round_number in range(1, args.rounds + 1):
            round_started = mark[0] = time.monotonic()
            if run.server.process is None:
                run.server.start()
            before, cursor = sync_all(run.workers[0].client)
            stop = threading.Event()

            def load(worker):
                worker.unanswered = False
                while not stop.is_set() and not worker.unanswered:
                    worker.step(round_number)

            threads = [threading.Thread(target=load, args=(w,)) for w in run.workers]
            for thread in threads:
                thread.start()
            time.sleep(random.uniform(0.25, 1.0) * args.seconds)
            run.server.kill()
            stop.set()
            for thread in threads:
                thread.join()
            timing("load")
            run.server.start()
            run.reconnect()
            timing("restart")
            position, models = run.check(round_number, (before, cursor), args.negative_control if round_number == 1 else None)
            durations.append(time.monotonic() - round_started)
            print(f"round {round_number}: killed, restarted; {sum(run.acked.counts.values())} commands acknowledged so far, "
                  f"every one in the log; counts recounted; {models} read models equal a rebuild to position {position}; "
                  f"verify ok ({durations[-1]:.1f} s)", flush=True)
    except Broken as broken:
        failure = str(broken)
    finally:
        run.server.kill()
        for worker in run.workers:
            worker.client.close()
    total = time.monotonic() - started
    figures = {
        "rounds": len(durations), "acknowledged": dict(run.acked.counts), "answers": dict(sorted(run.acked.sent.items())),
        "events": run.log.size, "seconds": round(total, 1),
        "seconds_per_round": round(sum(durations) / len(durations), 2) if durations else None,
        "slowest_round": round(max(durations), 2) if durations else None,
        "seconds_by_phase": {phase: round(value, 1) for phase, value in phases.items()}, "lost": 0 if failure is None else None,
    }
    if failure is not None:
        print(f"crash-rounds: round {len(durations) + 1}: {failure}", file=sys.stderr)
        print(f"crash-rounds: data directory and server log kept in {run.work}", file=sys.stderr)
        print(f"CRASH_JSON {json.dumps(figures)}")
        sys.exit(1)
    if not args.keep:
        shutil.rmtree(run.work, ignore_errors=True)
    print(f"CRASH_JSON {json.dumps(figures)}")


if __name__ == "__main__":
    main()
