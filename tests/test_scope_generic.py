"""Every URL pattern and API endpoint, walked with an in-scope and an out-of-scope user.

New pages are covered automatically: a URL whose arguments this test cannot
fill fails here until the mapping below learns its argument. New scoped models
too: the test reads every model's scope declaration (``scoped_by``) and fails
for a model that no page it walks reads.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import connection, reset_queries, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from dangjian.accounts.models import ApiToken
from dangjian.accounts.scope import scoped_models
from dangjian.people.models import ImportJob
from dangjian.testing import login_with_second_factor, make_member, make_tree, make_user

pytestmark = pytest.mark.django_db

SKIP_NAMESPACES = {"api"}  # walked separately below with tokens
SKIP_NAMES = {"set_language", "login", "logout", "favicon"}
# Endpoints for the security administrator only: neither secretary finds them.
ADMIN_ONLY_API = ("/role-assignments", "/users")


def walk(resolver=None, prefix="", ns=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            new_ns = p.namespace or ns
            yield from walk(p, prefix + str(p.pattern), new_ns)
        elif isinstance(p, URLPattern):
            yield ns, p.name, prefix + str(p.pattern), p


@pytest.fixture
def world():
    t = make_tree()
    p1 = make_member(t.branch1, "甲一", department=t.dept1)
    p2 = make_member(t.branch2, "乙二", department=t.dept2)
    sec1 = make_user("sec1", "secretary", t.branch1, person=p1)
    sec2 = make_user("sec2", "secretary", t.branch2, person=p2)
    job1 = ImportJob.objects.create(
        user=sec1, filename="a.csv", stored_name="nonexistent", dry_run=True, status="failed"
    )
    return t, p1, p2, sec1, sec2, job1


def _appraisal(world):
    from dangjian.appraisal.models import Appraisal
    from dangjian.appraisal.services import open_appraisal

    t, p1, p2, sec1, sec2, job1 = world
    return Appraisal.objects.filter(organization=t.branch1).first() or open_appraisal(sec1, t.branch1.pk, 2026)


def _development(world):
    from datetime import date

    from dangjian.core import context
    from dangjian.development.models import Development
    from dangjian.development.services import open_case
    from dangjian.testing import make_person

    t, p1, p2, sec1, sec2, job1 = world
    dev = Development.objects.filter(branch=t.branch1).first()
    if dev is None:
        with context.acting(sec1):
            dev = open_case(sec1, make_person("申请丁", department=t.dept1).pk, t.branch1.pk, date(2026, 1, 5))
    return dev


def _contact_point(world):
    from datetime import date

    from dangjian.talks.models import ContactPoint

    t, p1, p2, sec1, sec2, job1 = world
    point = ContactPoint.objects.filter(organization=t.branch1).first()
    return point or ContactPoint.objects.create(leader=p1, organization=t.branch1, since=date(2026, 1, 1))


def _compliance_object(world, param):
    """The heat map and organisation pages take an organisation; the rule pages (office only) an obligation's code,
    an old obligation id (redirected) or a setting."""
    from dangjian.rules.models import RuleVersion

    t, p1, p2, sec1, sec2, job1 = world
    moved = "compliance.obligationrule:"
    objects = {
        "org_id": lambda: t.branch1.pk,
        "code": lambda: "branch.lecture",  # a local rule: the office may edit it
        "rule_id": lambda: int(
            RuleVersion.objects.filter(origin__startswith=moved).order_by("pk").first().origin[len(moved) :]
        ),
        "setting_id": lambda: RuleVersion.objects.filter(key__startswith="compliance.").order_by("pk").first().pk,
    }
    if param not in objects:
        raise AssertionError(f"the scope test cannot fill {param} of compliance; teach it")
    return objects[param]()


def meeting_objects(world) -> dict[str, object]:
    """A meeting of branch1 with a real attachment file, and its check-in token."""
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from dangjian.meetings.models import Attachment, Meeting

    t, p1, p2, sec1, sec2, job1 = world
    start = timezone.now()
    meeting = Meeting.objects.create(
        organization=t.branch1,
        kind="members_meeting",
        title="甲一所在支部党员大会",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    attachment = Attachment(meeting=meeting, name="a.pdf", size=8, content_type="application/pdf", uploaded_by=sec1)
    attachment.file.save("a.pdf", ContentFile(b"%PDF-1.4"), save=False)
    attachment.save()
    return {"pk": meeting.pk, "attachment_pk": attachment.pk, "token": meeting.checkin_token}


def _from_app(world, ns: str, name: str, param: str):
    """Apps added later teach this test in their own ``tests/scope_fixture.py``:
    ``object_for(world, name, param)`` returns the value for ``param`` of URL ``name``,
    an object of branch1 (inside sec1's scope, outside sec2's)."""
    import importlib

    try:
        module = importlib.import_module(f"dangjian.{ns}.tests.scope_fixture")
    except ModuleNotFoundError:
        raise AssertionError(f"the scope test cannot fill {param} of {ns}:{name}; teach it") from None
    return module.object_for(world, name, param)


def _account_object(world, name: str) -> int:
    """Accounts, grants and lock-outs belong to no organisation: their administrators open them, nobody else."""
    from axes.models import AccessAttempt

    t, p1, p2, sec1, sec2, job1 = world
    if name == "assignment_revoke":
        return sec1.assignments.order_by("pk").first().pk
    if name == "otp_reset":  # an enrolment to reset: sec1's, as when every role must give a second factor
        from dangjian.accounts import second_factor
        from dangjian.testing import TOTP_SECRET

        second_factor.authenticator_of(sec1) or second_factor.enrol_fixed(sec1, TOTP_SECRET)
        return sec1.pk
    if name == "token_revoke":  # a token is its owner's alone
        from dangjian.accounts import tokens

        return tokens.issue(sec1)[1].pk
    if name == "provision_confirm":  # opening member accounts is a business action over an organisation's subtree
        return t.branch1.pk
    if name == "unlock":
        attempt = AccessAttempt.objects.first() or AccessAttempt.objects.create(
            username="someone_locked", ip_address="10.0.0.1", failures_since_start=5, get_data="", post_data=""
        )
        return attempt.pk
    return sec1.pk


def page_urls(world):
    t, p1, p2, sec1, sec2, job1 = world
    out = []
    meetings = None
    for ns, name, route, pattern in walk():
        if ns in SKIP_NAMESPACES or name in SKIP_NAMES or route.startswith("static"):
            continue
        params = list(pattern.pattern.converters)
        kwargs = {}
        for param in params:
            conv = pattern.pattern.converters[param]
            if conv.__class__.__name__ == "UUIDConverter" and ns == "people":
                kwargs[param] = job1.pk
            elif ns == "orgs":
                kwargs[param] = t.branch1.pk
            elif ns == "people":
                kwargs[param] = p1.pk
            elif ns == "accounts":
                kwargs[param] = _account_object(world, name)
            elif ns == "meetings" and param in ("pk", "attachment_pk", "token"):
                meetings = meetings or meeting_objects(world)
                kwargs[param] = meetings[param]
            elif ns == "appraisal":
                kwargs[param] = _appraisal(world).pk
            elif ns == "development":
                kwargs[param] = _development(world).pk
            elif ns == "life":
                kwargs[param] = _contact_point(world).pk
            elif ns == "compliance":
                kwargs[param] = _compliance_object(world, param)
            else:
                kwargs[param] = _from_app(world, ns, name, param)
        full = f"{ns}:{name}" if ns else name
        out.append((full, reverse(full, kwargs=kwargs), bool(kwargs)))
    return out


# Pages only the committee office opens (the rule tables, an override of a development check): inside is the office
# on the root, outside the office of branch2 alone.
OFFICE_ONLY = {
    "compliance:rule_edit",
    "compliance:rule_toggle",
    "compliance:obligation_edit",
    "compliance:obligation_toggle",
    "compliance:setting_edit",
    "care:rule_edit",
    "development:override",
    "facts:org",
    "rules:edit",
    # indicator systems bind the whole tree (assessment/tests/scope_fixture.py)
    "assessment:detail",
    "assessment:export",
    "assessment:publish",
    "assessment:new_version",
    "assessment:retire",
    # the committee office reviews a branch's 一支部一特色, never its own secretary (assessment/tests/brand_scope.py)
    "assessment:brand_review",
    # 述职评议: the office of the committee's subtree (assessment/tests/report_scope_fixture.py)
    "assessment:report_meeting",
    "assessment:report_meeting_act",
    "assessment:report_tally",
    "assessment:report_edit",
    "assessment:report_results",
    "assessment:report_rectify",
    "assessment:report_ballot_docx",
    "assessment:report_results_xlsx",
    "assessment:report_file",
    # the ranking of a cycle and the office's actions on it (a unit's own result, cycle_unit, is its secretary's)
    "assessment:cycle",
    "assessment:cycle_export",
    "assessment:cycle_recompute",
    "assessment:occurrence_add",
    "assessment:occurrence_withdraw",
    # 三张清单: the office accepts, reopens, withdraws, seeds (assessment/tests/rectification_scope.py)
    "assessment:rectification_accept",
    "assessment:rectification_reopen",
    "assessment:rectification_withdraw",
    "assessment:rectification_seed",
    # 抓两头促中间 over a signed cycle: titles, 约谈, star ratings (assessment/tests/two_ends_scope.py)
    "assessment:two_ends",
    "assessment:title_grant",
    "assessment:star_rate",
    "assessment:interview_add",
    "assessment:title_withdraw",
    # 软弱涣散 整顿 is set and lifted by the committee office, never the unit's own secretary
    "orgs:rectifying_start",
    # the committee's business lines and key tasks (integration/tests/business_scope.py)
    "integration:line_edit",
    "integration:stage_create",
    "integration:stage_edit",
    "integration:project_edit",
    "integration:project_delete",
    # the committee approves, rejects and withdraws model posts (integration/tests/posts_scope.py) and forms,
    # edits, presents the flag to and disbands taskforces (integration/tests/team_scope.py)
    "integration:post_approve",
    "integration:post_reject",
    "integration:post_withdraw",
    "integration:taskforce_edit",
    "integration:taskforce_flag",
    "integration:taskforce_disband",
    # 书记储备 and 青马班 are the committee office's (talent/tests/scope_fixture.py)
    "talent:reserve_record_add",
    "talent:reserve_move",
    "talent:class_enroll",
    "talent:class_session_add",
    "talent:class_graduate",
    "talent:class_student_withdraw",
    "orgs:rectifying_lift",
    # (a unit's report, assessment:cycle_unit_docx, is its secretary's like cycle_unit: not office-only)
    # 自评: the office's overview of a cycle and its return of a submission (assessment/tests/self_scope.py)
    "assessment:self_overview",
    "assessment:self_return",
    # 审核评分: the office names reviewers and settles (assessment/tests/review_scope.py); the reviewer's own pages
    # (review_queue, review_unit, review_evidence_file) are sec1's as a named reviewer
    "assessment:review_reviewers",
    "assessment:review_reviewer_remove",
    "assessment:review_disputes",
    # a cycle's course, band adjustments and answering objections (assessment/tests/lifecycle_scope.py; raising
    # and reading objections, objection_new and objection_list, are the unit's secretary's)
    "assessment:cycle_advance",
    "assessment:cycle_adjust",
    "assessment:cycle_adjustment_withdraw",
    "assessment:objection_answer",
    # 请示报告: the office over the addressee receives and answers what the organisations below send
    # (submissions/tests/scope_fixture.py)
    "submissions:receive",
    "submissions:answer",
}
# Administrator pages: their objects are accounts, opened by the administrator whose power they are (三权分立);
# the outside user is a secretary.
ADMIN_PAGES = {
    "accounts:user_toggle": "sysadmin",
    "accounts:user_password": "sysadmin",
    "accounts:user_person": "sysadmin",
    "accounts:user_unlink": "sysadmin",
    "accounts:assignment_revoke": "secadmin",
    "accounts:unlock": "secadmin",
    "accounts:otp_reset": "secadmin",
}

# Decided by the level above branch1 (a dues relief is approved by the next level, not by the branch asking).
NEXT_LEVEL = {"dues:relief_decide"}
# Shared configuration that belongs to no organisation (a hospital's column mapping): every health officer may use
# it; a user without the health permission (the office of branch2) is told it does not exist.
SHARED_CONFIG = {"health:mapping_edit"}
# The check-in link is a capability printed as a QR code on the meeting's screen: someone not on the list who
# scans it gets a refusal that names nothing of the meeting, not a 404 (a phone user needs to know why).
REFUSED_ON_THE_PAGE = {"meetings:checkin": "您不在本次会议的应到名单中"}
ADMIN_ACCOUNTS = {f"{role}_x" for role in ADMIN_PAGES.values()}


@pytest.fixture
def crew(world, settings, tmp_path):
    """Who opens what. The inside user is sec1 with a health officer's role on branch1 as well, so every business
    page of branch1's objects is theirs to open; the outside user is sec2 with the same roles on branch2.
    Files behind object URLs (attachments, evidence) exist, so a download is a real 200."""
    from dangjian.accounts.models import RoleAssignment

    t, p1, p2, sec1, sec2, job1 = world
    settings.MEDIA_ROOT = tmp_path
    RoleAssignment.objects.create(user=sec1, role="health_officer", organization=t.branch1)
    RoleAssignment.objects.create(user=sec2, role="health_officer", organization=t.branch2)
    office_root = make_user("office_root", "office", t.root)
    office_b2 = make_user("office_b2", "office", t.branch2)
    sec_general = make_user("sec_general", "secretary", t.general)
    admins = {role: make_user(f"{role}_x", role) for role in ("sysadmin", "secadmin")}
    return {
        "sec1": sec1,
        "sec2": sec2,
        "office_root": office_root,
        "office_b2": office_b2,
        "sec_general": sec_general,
        **admins,
    }


def personas(name: str, crew) -> tuple:
    if name in OFFICE_ONLY:
        return crew["office_root"], crew["office_b2"]
    if name in SHARED_CONFIG:
        return crew["sec1"], crew["office_b2"]
    if name in NEXT_LEVEL:
        return crew["sec_general"], crew["sec2"]
    if name in ADMIN_PAGES:
        return crew[ADMIN_PAGES[name]], crew["sec2"]
    return crew["sec1"], crew["sec2"]


def _answer(client, user, method: str, url: str):
    """One request as ``user``; a POST runs in a savepoint rolled back afterwards, so it changes nothing the next
    URL relies on. The test client re-raises any exception a view lets escape, so a 500 fails the test."""
    if user.username in ADMIN_ACCOUNTS:
        login_with_second_factor(client, user)
    else:
        client.force_login(user)
    if method == "get":
        return client.get(url)
    with transaction.atomic():
        response = client.post(url, {})
        transaction.set_rollback(True)
    return response


def test_every_object_page_opens_inside_the_scope_and_is_404_outside(client, world, crew):
    """GET and POST on every URL that names an object: the in-scope user is never told "not found" (an object
    page that answers 404 to everyone proves nothing about scope), the out-of-scope user always is."""
    checked = 0
    for name, url, has_object in page_urls(world):
        if not has_object:
            continue
        inside_user, outside_user = personas(name, crew)
        for method in ("get", "post"):
            outside = _answer(client, outside_user, method, url)
            inside = _answer(client, inside_user, method, url)
            if inside.status_code == 405:  # this URL takes no such method: it must not for anyone
                assert outside.status_code == 405, (name, method, outside.status_code)
                continue
            if name in REFUSED_ON_THE_PAGE:
                assert outside.status_code == 200, (name, method, outside.status_code)
                assert REFUSED_ON_THE_PAGE[name] in outside.content.decode(), (name, method)
                assert "甲一" not in outside.content.decode(), (name, method)
            else:
                assert outside.status_code == 404, (name, method, url, outside.status_code)
            assert inside.status_code in (200, 302), (name, method, url, inside.status_code)
            if inside.status_code == 302:
                assert "/accounts/login/" not in inside["Location"], (name, method)
                assert "/second-factor/enrol/" not in inside["Location"], (name, method)
            checked += 1
    assert checked >= 100


def test_list_pages_hide_out_of_scope_objects(client, world, crew):
    """URLs without an object: both users get an answer (GET and an empty POST, never a server error), and the
    outside user's pages never show branch1's member."""
    for name, url, has_object in page_urls(world):
        if has_object:
            continue
        for method in ("get", "post"):
            for user in (crew["sec1"], crew["sec2"]):
                response = _answer(client, user, method, url)
                assert response.status_code in (200, 302, 400, 404, 405), (name, method, response.status_code)
            if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
                assert "甲一" not in response.content.decode(), (name, method)


# The table a statement reads or writes itself: a subquery's table carries an alias (U0, V0…), the main one none.
MAIN_TABLE = re.compile(r'(?:FROM|UPDATE|INTO)\s+"(\w+)"(?!\s+[A-Z]\d)')
# Scoped models that no page reads on their own, and why; a model here still declares its scope for the API.
READ_ONLY_THROUGH = {
    "talks.StudyRecord": "summed per person on the study-hours page, for people the user sees",
}


def test_every_scoped_model_is_read_by_a_page_this_test_walks(client, world, crew):
    """The declarations drive the walk's coverage: each model that declares its scope must be the main table of a
    query made by a page above, opened by its in-scope user (an object page whose outside user gets 404, or a list
    page that hides branch1's member). A new scoped model that no walked page reads fails here: give it a page and
    teach the walk its URL argument (or an app's ``tests/scope_fixture.py``)."""
    read: set[str] = set()
    for name, url, has_object in page_urls(world):
        inside_user = personas(name, crew)[0] if has_object else crew["sec1"]
        for method in ("get", "post"):
            # The query log keeps the last 9,000 queries: once full, a capture sees nothing. Start each one empty.
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                _answer(client, inside_user, method, url)
            read.update(t for q in queries.captured_queries for t in MAIN_TABLE.findall(q["sql"]))
    declared = {m._meta.label: m._meta.db_table for m in scoped_models()}
    assert len(declared) >= 25
    assert set(READ_ONLY_THROUGH) <= set(declared)
    unread = sorted(label for label, table in declared.items() if table not in read and label not in READ_ONLY_THROUGH)
    assert not unread, f"scoped models no page of the scope test reads: {unread}"


def test_anonymous_users_are_sent_to_login(client, world):
    for name, url, _ in page_urls(world):
        response = client.get(url)
        assert response.status_code in (302, 405), (name, response.status_code)
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"], name


# Fields the domain endpoints require, so that a write reaches its scope check (404) rather than stopping at the
# schema (422) for the outside user.
API_BODY = {"entries": [], "step": 1, "done_on": "2026-01-01", "what_done": "x", "method": "phone", "minutes": "x"}
API_BODY |= {"visited_on": "2026-01-02", "summary": "x"}
# ... and those of the record writes, by the end of their path (a field another endpoint also reads stays out of
# API_BODY: an outside user's write to a list must not name branch1's organisation).
API_BODY_BY_PATH = {
    "/contacts": {"person_id": "p1", "role": "sponsor"},
    "/reviews": {"reviewed_on": "2026-01-01", "summary": "x"},
    "/extensions": {"months": 6, "decided_on": "2026-01-01"},
    "/overrides": {"step_code": "x"},
    "/departure": {"leaves_unit_on": "2026-01-01"},
    "/supports": {"given_on": "2026-01-01", "kind": "cash", "given_by": "x"},
    "/hardship/{entry_id}/close": {"closed_on": "2026-01-01"},
    "/matters/{matter_id}": {"organization_id": "branch1", "owner_id": "p1", "title": "x", "year": 2026},
    "/milestones": {"title": "x", "planned_on": "2026-01-01"},
    "/confirm": {"meeting_id": 1},
    "/self-review": {"text": "x"},
    "/versions": {"value": "3", "effective_from": "2026-01-01"},
}
# Endpoints only the committee office uses (an override of a development check, rule edits): inside is the office
# on the root, outside the office of branch2 alone, as for the pages in OFFICE_ONLY.
OFFICE_ONLY_API = ("/overrides", "/rules")


def _api_objects(world, url: str) -> str:
    """The domain routers' object ids: objects of branch1, made as for the pages."""
    from dangjian.dues.models import DuesAccount

    def dues_account():
        _from_app(world, "dues", "payment_void", "pk")  # the first payment opens the account
        return DuesAccount.objects.get(person=world[1]).pk

    objects = {
        "/meetings/{meeting_id}": lambda: meeting_objects(world)["pk"],
        "/appraisals/{appraisal_id}": lambda: _appraisal(world).pk,
        "/development/cases/{case_id}": lambda: _development(world).pk,
        "/lost-contacts/{case_id}": lambda: _from_app(world, "transfers", "lost_detail", "pk"),
        "/transfers/{transfer_id}": lambda: _from_app(world, "transfers", "detail", "pk"),
        "/care/events/{event_id}": lambda: _from_app(world, "care", "event", "pk"),
        "/care/obligations/{obligation_id}": lambda: _from_app(world, "care", "obligation", "pk"),
        "/dues/accounts/{account_id}": dues_account,
        "/dues/payments/{payment_id}": lambda: _from_app(world, "dues", "payment_void", "pk"),
        "/contact-points/{point_id}": lambda: _contact_point(world).pk,
        "/care/hardship/{entry_id}": lambda: _from_app(world, "care", "hardship_entry", "pk"),
        "/care/matters/{matter_id}": lambda: _from_app(world, "care", "matter", "pk"),
        "/care/milestones/{milestone_id}": lambda: _from_app(world, "care", "milestone_done", "pk"),
        "/care/rules/{rule_id}": lambda: _from_app(world, "care", "rule_edit", "pk"),
        "/rules/{key}": lambda: _from_app(world, "rules", "edit", "key"),
        "/assessment/cycles/{cycle_id}": lambda: _from_app(world, "assessment", "cycle", "pk"),
    }
    for part, make in objects.items():
        if part in url:
            url = url.replace(part, part.split("{")[0] + str(make()))
    return url


def test_every_api_endpoint_respects_scope(client, world):
    from dangjian.api.urls import api

    t, p1, p2, sec1, sec2, job1 = world
    schema = api.get_openapi_schema()
    token1, token2 = ApiToken.issue(sec1), ApiToken.issue(sec2)
    office_tokens = (
        ApiToken.issue(make_user("office_root", "office", t.root)),
        ApiToken.issue(make_user("office_b2", "office", t.branch2)),
    )
    named = {"p1": p1.pk, "branch1": t.branch1.pk}
    checked = 0
    for path, ops in schema["paths"].items():
        if path.endswith(("/auth/token", "/auth/revoke")):  # revoke ends the token it presents: tested on its own
            continue
        for method in ops:
            url = path.replace("{org_id}", str(t.branch1.pk)).replace("{person_id}", str(p1.pk))
            membership_id = p1.memberships.get().pk
            url = url.replace("{membership_id}", str(membership_id)).replace("{assignment_id}", str(sec1.pk))
            url = url.replace("{user_id}", str(sec1.pk))
            url = _api_objects(world, url)
            assert "{" not in url, f"teach the scope test the parameter of {path}"
            body = {"name": "x", "id_number": "x", "to_branch_id": t.branch1.pk, "on": "2026-01-01", "reason": "x"}
            body.update(API_BODY)
            for end, extra in API_BODY_BY_PATH.items():
                if path.endswith(end):
                    body.update({k: named.get(v, v) if isinstance(v, str) else v for k, v in extra.items()})
            call = getattr(client, method)
            kwargs = {"content_type": "application/json", "data": body} if method in ("post", "patch", "put") else {}
            anon = call(url, **kwargs)
            assert anon.status_code == 401, (path, method, anon.status_code)
            inside_token, outside_token = (
                office_tokens if any(part in path for part in OFFICE_ONLY_API) else (token1, token2)
            )
            outside = call(url, HTTP_AUTHORIZATION=f"Bearer {outside_token}", **kwargs)
            inside = call(url, HTTP_AUTHORIZATION=f"Bearer {inside_token}", **kwargs)
            if any(part in path for part in ADMIN_ONLY_API):
                assert {outside.status_code, inside.status_code} <= {404, 422}, (path, method)
            elif "{" in path:
                assert outside.status_code == 404, (path, method, outside.status_code)
                assert inside.status_code in (200, 201, 204, 422), (path, method, inside.status_code)
            else:
                assert outside.status_code in (200, 201, 422), (path, method, outside.status_code)
                assert "甲一" not in outside.content.decode()
            checked += 1
    assert checked >= 7


def test_unknown_uuid_job_is_404(client, world):
    t, p1, p2, sec1, sec2, job1 = world
    client.force_login(sec1)
    assert client.get(reverse("people:import_job", args=[uuid.uuid4()])).status_code == 404
