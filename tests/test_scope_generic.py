"""Every URL pattern and API endpoint, walked with an in-scope and an out-of-scope user.

New pages are covered automatically: a URL whose arguments this test cannot
fill fails here until the mapping below learns its argument.
"""

from __future__ import annotations

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from dangjian.accounts.models import ApiToken
from dangjian.people.models import ImportJob
from dangjian.testing import make_member, make_tree, make_user

pytestmark = pytest.mark.django_db

SKIP_NAMESPACES = {"api"}  # walked separately below with tokens
SKIP_NAMES = {"set_language", "login", "logout", "favicon"}
# Endpoints for the security administrator only: neither secretary finds them.
ADMIN_ONLY_API = ("/role-assignments",)


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
        user=sec1, filename="a.csv", stored_path="/nonexistent", dry_run=True, status="failed"
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

    from dangjian.meetings.models import ContactPoint

    t, p1, p2, sec1, sec2, job1 = world
    point = ContactPoint.objects.filter(organization=t.branch1).first()
    return point or ContactPoint.objects.create(leader=p1, organization=t.branch1, since=date(2026, 1, 1))


def _compliance_object(world, param):
    """The heat map and organisation pages take an organisation; the rule pages (office only) a rule or setting."""
    from dangjian.compliance.models import ComplianceSetting, ObligationRule

    t, p1, p2, sec1, sec2, job1 = world
    objects = {
        "org_id": lambda: t.branch1,
        "rule_id": lambda: ObligationRule.objects.order_by("pk").first(),
        "setting_id": lambda: ComplianceSetting.objects.order_by("pk").first(),
    }
    if param not in objects:
        raise AssertionError(f"the scope test cannot fill {param} of compliance; teach it")
    return objects[param]()


def meeting_objects(world) -> dict[str, object]:
    """A meeting of branch1 with an attachment; its check-in URL gets a token that matches nothing (404)."""
    from datetime import timedelta

    from django.utils import timezone

    from dangjian.meetings.models import Attachment, Meeting

    t, p1, p2, sec1, sec2, job1 = world
    start = timezone.now()
    meeting = Meeting.objects.create(
        organization=t.branch1, kind="members_meeting", title="会", starts_at=start, ends_at=start + timedelta(hours=1)
    )
    attachment = Attachment.objects.create(
        meeting=meeting,
        file="meetings/none.pdf",
        name="a.pdf",
        size=1,
        content_type="application/pdf",
        uploaded_by=sec1,
    )
    return {"pk": meeting.pk, "attachment_pk": attachment.pk, "token": "no-meeting-has-this-token"}


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
            if conv.__class__.__name__ == "UUIDConverter":
                kwargs[param] = job1.pk
            elif ns == "orgs":
                kwargs[param] = t.branch1.pk
            elif ns == "people":
                kwargs[param] = p1.pk
            elif ns == "accounts":
                kwargs[param] = sec1.pk
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
                kwargs[param] = _compliance_object(world, param).pk
            else:
                kwargs[param] = _from_app(world, ns, name, param)
        full = f"{ns}:{name}" if ns else name
        out.append((full, reverse(full, kwargs=kwargs), bool(kwargs)))
    return out


def test_every_page_answers_404_or_hides_out_of_scope_objects(client, world):
    t, p1, p2, sec1, sec2, job1 = world
    urls = page_urls(world)
    assert len(urls) >= 20
    for name, url, has_object in urls:
        client.force_login(sec1)
        inside = client.get(url)
        assert inside.status_code in (200, 302, 404, 405), (name, inside.status_code)
        client.force_login(sec2)
        outside = client.get(url)
        if has_object:
            # branch1's objects are outside sec2's scope: not found, never shown
            assert outside.status_code in (404, 405), (name, url, outside.status_code)
        else:
            assert outside.status_code in (200, 302, 404, 405), (name, outside.status_code)
            if outside.status_code == 200 and outside.get("Content-Type", "").startswith("text/html"):
                assert "甲一" not in outside.content.decode(), name


def test_object_pages_open_for_the_in_scope_secretary(client, world):
    t, p1, p2, sec1, sec2, job1 = world
    client.force_login(sec1)
    for url in (
        reverse("orgs:detail", args=[t.branch1.pk]),
        reverse("people:detail", args=[p1.pk]),
        reverse("people:edit", args=[p1.pk]),
        reverse("people:move", args=[p1.pk]),
        reverse("people:import_job", args=[job1.pk]),
        reverse("compliance:org", args=[t.branch1.pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_anonymous_users_are_sent_to_login(client, world):
    for name, url, _ in page_urls(world):
        response = client.get(url)
        assert response.status_code in (302, 405), (name, response.status_code)
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"], name


def test_every_api_endpoint_respects_scope(client, world):
    from dangjian.api.urls import api

    t, p1, p2, sec1, sec2, job1 = world
    schema = api.get_openapi_schema()
    token1, token2 = ApiToken.issue(sec1), ApiToken.issue(sec2)
    checked = 0
    for path, ops in schema["paths"].items():
        if path.endswith("/auth/token"):
            continue
        for method in ops:
            url = path.replace("{org_id}", str(t.branch1.pk)).replace("{person_id}", str(p1.pk))
            membership_id = p1.memberships.get().pk
            url = url.replace("{membership_id}", str(membership_id)).replace("{assignment_id}", str(sec1.pk))
            assert "{" not in url, f"teach the scope test the parameter of {path}"
            body = {"name": "x", "id_number": "x", "to_branch_id": t.branch1.pk, "on": "2026-01-01", "reason": "x"}
            call = getattr(client, method)
            kwargs = {"content_type": "application/json", "data": body} if method in ("post", "patch") else {}
            anon = call(url, **kwargs)
            assert anon.status_code == 401, (path, method, anon.status_code)
            outside = call(url, HTTP_AUTHORIZATION=f"Bearer {token2}", **kwargs)
            inside = call(url, HTTP_AUTHORIZATION=f"Bearer {token1}", **kwargs)
            if any(part in path for part in ADMIN_ONLY_API):
                assert {outside.status_code, inside.status_code} <= {404, 422}, (path, method)
            elif "{" in path:
                assert outside.status_code == 404, (path, method, outside.status_code)
                assert inside.status_code in (200, 201, 422), (path, method, inside.status_code)
            else:
                assert outside.status_code in (200, 201, 422), (path, method, outside.status_code)
                assert "甲一" not in outside.content.decode()
            checked += 1
    assert checked >= 7


def test_unknown_uuid_job_is_404(client, world):
    t, p1, p2, sec1, sec2, job1 = world
    client.force_login(sec1)
    assert client.get(reverse("people:import_job", args=[uuid.uuid4()])).status_code == 404
