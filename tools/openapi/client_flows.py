#!/usr/bin/env python3
"""Drives one flow per domain through a client generated from Logbook's /openapi.json.

Usage: client_flows.py BASE_URL CLIENT_PARENT_DIR
CLIENT_PARENT_DIR holds the package `openapi-python-client generate --meta none` wrote
(imported as `client`). Every call goes through the generated functions and models, so a
path, parameter, security scheme or response schema the document gets wrong fails here:
the generated parsers raise on a missing required field, and unexpected statuses raise.
"""
import sys
import time
import uuid

base_url, parent = sys.argv[1], sys.argv[2]
sys.path.insert(0, parent)

from client import AuthenticatedClient, Client  # noqa: E402
from client.api.groups import get_groups_by_id, get_members_me_groups, post_groups, put_groups_by_id_members_me  # noqa: E402
from client.api.members import get_members_me, patch_members_me, post_members, post_sessions  # noqa: E402
from client.api.operations import get_healthz, get_log_head  # noqa: E402
from client.api.verification import get_dev_outbox, get_verifications_by_key, post_verifications, post_verifications_by_key_check  # noqa: E402
from client.models import (  # noqa: E402
    CheckBody, CreateBody, Group, LoginBody, Me, PageBodyMyGroup, PatchBody, PatchBodyGender, RegisterBody, Registered,
    SendBody, SendBodyChannel, SentBody, Session,
)

anonymous = Client(base_url=base_url, raise_on_unexpected_status=True)


def expect(condition, what):
    if not condition:
        raise SystemExit(f"client flow failed: {what}")
    print(f"ok: {what}")


def verification_flow(phone):
    """Send a registration code, read it from the dev outbox, check it: an approved key."""
    sent = post_verifications.sync(
        client=anonymous, body=SendBody(channel=SendBodyChannel.SMS, to=phone, operation="register"),
        idempotency_key=str(uuid.uuid4()))
    expect(isinstance(sent, SentBody) and sent.status == "pending" and sent.to.endswith(phone[-4:]), "verification sent (destination masked)")
    codes = []
    for _ in range(50):  # delivery runs in the background: wait for it
        outbox = get_dev_outbox.sync(client=anonymous, to=phone)
        codes = [item.code for item in outbox.items if item.key == sent.key]
        if codes:
            break
        time.sleep(0.1)
    expect(len(codes) == 1, "the code is in the dev outbox")
    checked = post_verifications_by_key_check.sync(key=sent.key, client=anonymous, body=CheckBody(code=codes[0]))
    expect(checked is not None and checked.status == "approved", "the code checks")
    shown = get_verifications_by_key.sync_detailed(key=sent.key, client=anonymous)
    expect(shown.status_code == 200, "the verification reads back")
    return sent.key


def members_flow(phone, key):
    """Register with the approved key, log in, read and edit the profile."""
    username = "gen_" + uuid.uuid4().hex[:10]
    registered = post_members.sync(client=anonymous, body=RegisterBody(
        username=username, password="correct horse 42", display_name="Gen " + username[-6:], phone=phone, phone_verification_key=key))
    expect(isinstance(registered, Registered) and registered.member.username == username, "member registered")
    session = post_sessions.sync(client=anonymous, body=LoginBody(username=username, password="correct horse 42"))
    expect(isinstance(session, Session) and session.member_id == registered.member.id, "logged in")
    member = AuthenticatedClient(base_url=base_url, token=session.token, raise_on_unexpected_status=True)
    me = get_members_me.sync(client=member)
    expect(isinstance(me, Me) and me.phone == phone, "me reads back with the phone")
    patched = patch_members_me.sync(client=member, body=PatchBody(gender=PatchBodyGender.FEMALE))
    expect(patched is not None and patched.gender == "female", "profile patched")
    return member, registered.member.id


def groups_flow(owner, owner_id, other):
    """Create a group, read it, another member joins, both see it among their groups."""
    group = post_groups.sync(client=owner, body=CreateBody(name="Generated group", introduction="from the generated client"))
    expect(isinstance(group, Group) and group.owner_id == owner_id and group.member_count == 1, "group created")
    joined = put_groups_by_id_members_me.sync_detailed(id=group.id, client=other)
    expect(joined.status_code == 204, "another member joined")
    read = get_groups_by_id.sync(id=group.id, client=anonymous)
    expect(isinstance(read, Group) and read.member_count == 2, "the group counts two members")
    mine = get_members_me_groups.sync(client=other)
    expect(isinstance(mine, PageBodyMyGroup) and [g.id for g in mine.items] == [group.id], "the joiner lists it")


def operations_flow():
    expect(get_healthz.sync(client=anonymous) is not None, "healthz")
    head = get_log_head.sync(client=anonymous)
    expect(head is not None and head.size > 0, "the log head counts the events")


# Fresh numbers each run: a destination gets one code a minute.
first, second = (f"+86137{uuid.uuid4().int % 10**8:08d}" for _ in range(2))
owner, owner_id = members_flow(first, verification_flow(first))
other, _ = members_flow(second, verification_flow(second))
groups_flow(owner, owner_id, other)
operations_flow()
print("all client flows passed")
