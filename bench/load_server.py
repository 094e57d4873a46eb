"""Load check of the embedded default: the server ``make run`` starts, on its SQLite database, under a crowd.

200 phones check in to one meeting within 60 s while 50 users page the member list at once. The targets
(issue "security and reliability hardening"): 0 errors, check-in p95 ≤ 1 s, list p95 ≤ 2 s.

The scenario: an institute-wide 党课 in the auditorium with 200 members due (their attendance rows are laid
down directly, as a committee-level lecture has no branch roster), each member on a phone already signed in
(a session created for their account — signing in is measured apart, 20 real logins). Each phone arrives at
a random moment of the 60 s, opens the check-in page from the QR code and presses 签到 (GET, then POST with the
CSRF token of the page). At the same time 50 office users each read 10 random pages of the member list
(2,000 people, whole tree), all starting together, each reading a page for about --think seconds (default 2: 1 to
3 s) before asking for the next; --think 0 asks back to back, which measures the server's throughput instead.
The load generator runs on the same two cores as the server, so the figures are a little pessimistic.
Afterwards the database must show all 200 members present.

It builds the demo in a temporary DANGJIAN_VAR with the commands of ``make run`` and starts the server with
``make run``'s own serve command (read from the Makefile), so it measures what a user of the embedded mode gets:

    .venv/bin/python bench/load_server.py [--phones 200] [--listers 50] [--seconds 60]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shlex
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from common import stats

ROOT = Path(__file__).resolve().parent.parent
DJ = ROOT / ".venv" / "bin" / "dangjian"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def serve_command(port: int) -> list[str]:
    """The last line of ``make run``'s recipe, with the port filled in."""
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    workers = re.search(r"^WORKERS \?= (\d+)", makefile, re.M)
    line = [ln.strip() for ln in recipe.splitlines() if ln.startswith("\t")][-1]
    line = line.replace("$(DJ)", str(DJ)).replace("$(HOST)", "127.0.0.1").replace("$(PORT)", str(port))
    line = line.replace("$(VENV)", str(ROOT / ".venv")).replace("$(WORKERS)", workers.group(1) if workers else "")
    return shlex.split(line)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_demo(env: dict[str, str]) -> None:
    subprocess.run([str(DJ), "migrate", "--noinput"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(
        [str(DJ), "demo", "--scale", "institute", "--if-empty"], env=env, check=True, stdout=subprocess.DEVNULL
    )


def lay_scenario(phones: int, listers: int) -> tuple[str, list[str], list[str], int]:
    """In this process, on the same database file: the meeting, its 200 attendees with accounts and sessions,
    and 50 office sessions. Returns (check-in token, phone session keys, lister session keys, meeting id)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    django.setup()
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from dangjian.accounts.models import User
    from dangjian.meetings.models import Attendance, Meeting
    from dangjian.orgs.models import Organization
    from dangjian.people.models import Membership

    def session_for(user) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]  # the one that signs accounts in
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return store.session_key

    root = Organization.objects.get(depth=1)
    now = timezone.now()
    meeting = Meeting.objects.create(
        organization=root, kind="lecture", title="全所党课（负载测试）", starts_at=now, ends_at=now + timedelta(hours=2)
    )
    person_ids = list(
        Membership.objects.filter(ended_on__isnull=True).order_by("person_id").values_list("person_id", flat=True)
    )[:phones]
    phone_sessions = []
    for i, pk in enumerate(person_ids):
        Attendance.objects.create(meeting=meeting, person_id=pk, voting=True)
        user = User.objects.filter(person_id=pk).first()
        if user is None:
            user = User.objects.create_user(username=f"bench_phone_{i:03d}", password=None, person_id=pk)
        phone_sessions.append(session_for(user))
    office = User.objects.get(username="office")
    lister_sessions = [session_for(office) for _ in range(listers)]
    return meeting.checkin_token, phone_sessions, lister_sessions, meeting.pk


def check_in(base: str, token: str, session_key: str, delay: float, out: list, errors: list) -> None:
    time.sleep(delay)
    s = requests.Session()
    s.cookies.set("sessionid", session_key)
    url = f"{base}/meetings/checkin/{token}/"
    t0 = time.perf_counter()
    try:
        page = s.get(url, timeout=30)
        match = CSRF.search(page.text)
        if page.status_code != 200 or not match:
            errors.append(f"check-in page {page.status_code}")
            return
        done = s.post(url, data={"csrfmiddlewaretoken": match.group(1)}, headers={"Referer": url}, timeout=30)
        if done.status_code != 200 or "签到成功" not in done.text:
            errors.append(f"check-in post {done.status_code}")
            return
    except requests.RequestException as exc:
        errors.append(f"check-in {type(exc).__name__}")
        return
    out.append((time.perf_counter() - t0) * 1000)


def page_list(base: str, session_key: str, pages: int, last_page: int, think: float, out: list, errors: list) -> None:
    s = requests.Session()
    s.cookies.set("sessionid", session_key)
    rng = random.Random(session_key)
    for n in range(pages):
        if n and think:
            time.sleep(rng.uniform(0.5 * think, 1.5 * think))  # a person reads a page before the next
        url = f"{base}/people/?page={random.randint(1, last_page)}"
        t0 = time.perf_counter()
        try:
            r = s.get(url, timeout=30)
        except requests.RequestException as exc:
            errors.append(f"list {type(exc).__name__}")
            continue
        if r.status_code != 200 or "/accounts/login/" in r.url:
            errors.append(f"list {r.status_code}")
            continue
        out.append((time.perf_counter() - t0) * 1000)


def real_logins(base: str, count: int) -> list[float]:
    samples = []
    for _ in range(count):
        s = requests.Session()
        page = s.get(f"{base}/accounts/login/", timeout=30)
        token = CSRF.search(page.text).group(1)
        t0 = time.perf_counter()
        r = s.post(
            f"{base}/accounts/login/",
            data={"csrfmiddlewaretoken": token, "username": "member", "password": "Demo@2026"},
            headers={"Referer": f"{base}/accounts/login/"},
            timeout=30,
        )
        samples.append((time.perf_counter() - t0) * 1000)
        if "/accounts/login/" in r.url:
            raise SystemExit("demo member could not sign in")
    return samples


def report(wall: float, checkins: list, listing: list, errors: list) -> None:
    print(f"wall time {wall:.1f} s; errors {len(errors)}" + (f": {sorted(set(errors))}" if errors else ""))
    for label, samples, target in (("check-in (GET+POST)", checkins, 1000), ("member list page", listing, 2000)):
        if samples:
            median, p95 = stats(samples)
            print(f"{label}: n={len(samples)} median {median:.0f} ms, p95 {p95:.0f} ms (target p95 ≤ {target} ms)")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--listers", type=int, default=50)
    parser.add_argument("--pages", type=int, default=10, help="member-list pages each lister reads")
    parser.add_argument("--seconds", type=float, default=60.0, help="the phones arrive within this window")
    parser.add_argument(
        "--think",
        type=float,
        default=2.0,
        help="mean seconds a lister reads a page before the next (uniform over half to one and a half times it); "
        "0 = back to back, a stress test rather than people",
    )
    args = parser.parse_args()

    var = tempfile.mkdtemp(prefix="dangjian-load-")
    env = {**os.environ, "DANGJIAN_VAR": var}
    env.pop("DATABASE_URL", None)
    os.environ.update({"DANGJIAN_VAR": var})
    os.environ.pop("DATABASE_URL", None)
    print(f"building the demo institute in {var} …", flush=True)
    build_demo(env)
    token, phone_sessions, lister_sessions, meeting_id = lay_scenario(args.phones, args.listers)

    port = free_port()
    command = serve_command(port)
    print("serving with:", " ".join(command[1:] if command[0] == str(DJ) else command), flush=True)
    log = open(Path(var) / "server.log", "w+")  # noqa: SIM115 — read back after the server stops
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                requests.get(f"{base}/accounts/login/", timeout=2)
                break
            except requests.RequestException:
                time.sleep(0.5)
        first = requests.Session()
        first.cookies.set("sessionid", lister_sessions[0])
        html = first.get(f"{base}/people/", timeout=30).text
        last_page = max([int(n) for n in re.findall(r"page=(\d+)", html)] or [1])

        # A server in use is warm: every worker has rendered the pages once (templates compiled, URLs resolved).
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda _: first.get(f"{base}/people/", timeout=30), range(48)))
        checkins: list[float] = []
        listing: list[float] = []
        errors: list[str] = []
        rng = random.Random(2026)
        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.phones + args.listers) as pool:
            for key in phone_sessions:
                pool.submit(check_in, base, token, key, rng.uniform(0, args.seconds), checkins, errors)
            for key in lister_sessions:
                pool.submit(page_list, base, key, args.pages, last_page, args.think, listing, errors)
        wall = time.perf_counter() - t0
        report(wall, checkins, listing, errors)
        logins = real_logins(base, 20)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.seek(0)
        server_err = log.read()

    from dangjian.meetings.models import Attendance

    present = Attendance.objects.filter(meeting_id=meeting_id, checked_in_at__isnull=False).count()
    median, p95 = stats(logins)
    print(f"login (argon2, sequential): n={len(logins)} median {median:.0f} ms, p95 {p95:.0f} ms")
    print(f"present in the database: {present} of {len(phone_sessions)}")
    tracebacks = server_err.count("Traceback")
    print(f"server tracebacks: {tracebacks}; server log: {log.name}")
    ok = not errors and present == len(phone_sessions) and tracebacks == 0
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
