"""Fuzzes a running dev logbookd through its own /openapi.json (run by tools/fuzz).

Validates the document (openapi-spec-validator), registers a member for a token, then runs
schemathesis twice within the time budget: every route but the admin ones with the member's
token, and the admin routes with the admin token. Fails on any 5xx, any response that breaks
its declared schema, an invalid document, or a server that died. Works whatever the document
declares (parameters, security schemes, constraints or none of them).
"""
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

from openapi_spec_validator import validate

base = sys.argv[1]
seconds = int(sys.argv[2])
server_pid = int(sys.argv[3])
admin_token = os.environ["LOGBOOK_FUZZ_ADMIN_TOKEN"]
schemathesis = os.path.join(os.path.dirname(sys.executable), "schemathesis")
# Long-lived answers (server-sent events, WebSocket upgrades) never end: not for a fuzzer.
streaming = r"(/stream|/events/stream|/ws|/socket|/subscribe)"


def request(method, path, body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=10) as response:
        return json.loads(response.read() or b"{}")


def alive():
    try:
        os.kill(server_pid, 0)
    except OSError:
        return False
    return True


document = request("GET", "/openapi.json")
validate(document)
print(f"fuzz: /openapi.json is a valid OpenAPI {document.get('openapi')} document, {len(document.get('paths', {}))} paths")

member = request("POST", "/v1/members", {"username": "fuzzer", "password": "fuzz-password-1234", "display_name": "Fuzzer"})
member_token = member["token"]

common = [
    schemathesis, "run", base + "/openapi.json",
    "--checks", "not_a_server_error,response_schema_conformance",
    "--phases", "examples,coverage,fuzzing",
    "--workers", "2", "--request-timeout", "15", "--suppress-health-check", "all",
    "--exclude-path-regex", streaming, "--no-color",
]
admin_seconds = max(10, seconds // 4)
self_seconds = max(10, seconds // 6)
# The caller's own session and account last: logging out or deleting itself ends the token.
own = r"^/v1/(sessions/current|members/me)$"
runs = [
    ("member", member_token, ["--exclude-path-regex", r"^/v1/admin/|" + own], max(10, seconds - admin_seconds - self_seconds)),
    ("admin", admin_token, ["--include-path-regex", r"^/v1/admin/"], admin_seconds),
    ("member's own account", member_token, ["--include-path-regex", own], self_seconds),
]
def only_fuzzer_faults(output):
    """True when a run that exited non-zero found nothing about the server: no failed check,
    and every error a `Runtime Error` raised inside schemathesis or Hypothesis themselves
    (seen here: "AST constructor recursion depth mismatch" from Python's ast module under
    Hypothesis' lambda printing).
    Network errors, timeouts and anything naming the server still fail the run."""
    summary = output.split("= SUMMARY =", 1)[-1]
    if "Failures:" in summary:
        return False
    errors = re.search(r"Errors:\n((?:[ \t]+\S.*\n)+)", summary)
    if not errors:
        return False
    kinds = re.findall(r"^\s+\S+\s+(.+?): \d+$", errors.group(1), re.M)
    if not kinds or any(kind != "Runtime Error" for kind in kinds):
        return False
    details = output.split("= ERRORS =", 1)[-1].split("= WARNINGS =", 1)[0].split("= SUMMARY =", 1)[0]
    frames = re.findall(r'File "([^"]+)"', details)
    # The fuzzer's packages and the Python library under them (ast, for one), nothing else.
    internal = r"site-packages/(hypothesis|schemathesis)/|^/usr/lib/python3[.0-9]*/"
    return bool(frames) and all(re.search(internal, frame) for frame in frames)


failed = []
for name, token, selection, budget in runs:
    pattern = selection[1] if selection[0] == "--include-path-regex" else None
    if pattern and not any(re.search(pattern, path) for path in document.get("paths", {})):
        print(f"fuzz: no route in the document for the {name} run; skipped")
        continue
    started = time.monotonic()
    print(f"fuzz: {name}, {budget} s", flush=True)
    result = subprocess.run(
        common + selection + ["--max-time", str(budget), "-H", f"Authorization: Bearer {token}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=budget + 120,
    )
    lines = result.stdout.splitlines()
    # A failed run prints everything (schemathesis lists each failure with its reproduction).
    print("\n".join(lines if result.returncode != 0 else lines[-40:]))
    print(f"fuzz: {name} run exited {result.returncode} after {time.monotonic() - started:.0f} s", flush=True)
    if result.returncode != 0 and only_fuzzer_faults(result.stdout):
        print(f"fuzz: {name}: the only errors are the fuzzer's own (above), no check failed: not counted", flush=True)
    elif result.returncode != 0:
        failed.append(name)
    if not alive():
        failed.append(f"{name}: logbookd died")
        break

if not alive() and "logbookd died" not in " ".join(failed):
    failed.append("logbookd died")
if failed:
    print(f"fuzz: FAILED ({', '.join(failed)})")
    sys.exit(1)
print("fuzz: no 5xx, every response within its schema, logbookd alive")
