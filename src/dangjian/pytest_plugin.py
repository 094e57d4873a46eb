"""Loaded by pytest before anything else (``-p`` in pyproject.toml): settings every test run needs from the start,
and the ``personas`` fixture every app's tests share.

The health and audit keys must be in place before module-scoped fixtures load the demo, which encrypts checkups; a
function-scoped ``settings`` fixture would come too late, and the demo would create the developer's key file.
"""

from __future__ import annotations

import base64
import os

import pytest

TEST_HEALTH_KEY = base64.b64encode(bytes(range(32))).decode()
TEST_AUDIT_KEY = base64.b64encode(bytes(range(32, 64))).decode()

# Jobs run before the call that starts them returns (django-tasks' immediate backend); a test that needs a real
# worker starts one against the database backend itself. Set on import: pytest-django loads the settings before
# pytest_configure.
os.environ["DANGJIAN_TASKS_INLINE"] = "1"
# The shared cache in memory: in the database, its rows would outlive a transactional test's flush (the cache table
# is no model's) and a later test could read values computed for another one. One test uses the database's.
os.environ["DANGJIAN_SHARED_CACHE_LOCAL"] = "1"


def pytest_configure(config) -> None:
    os.environ["DANGJIAN_HEALTH_KEY"] = TEST_HEALTH_KEY
    os.environ["DANGJIAN_AUDIT_KEY"] = TEST_AUDIT_KEY


@pytest.fixture(autouse=True)
def empty_caches():
    """Each test starts with both caches empty (both in memory here): figures kept by an earlier test, whose rows
    were rolled back, must not answer for this one's."""
    from django.core.cache import caches

    for alias in ("default", "shared"):
        caches[alias].clear()
    yield


@pytest.fixture(autouse=True)
def fresh_assessment_rankings():
    """The assessment results keep rankings per process by cycle id and version; a rolled-back test database may
    give the next test's cycle the same id and version, so each test starts with none kept."""
    from dangjian.assessment import results

    results.forget()
    yield


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashing(django_test_environment):
    """Argon2 at its cheapest for the whole run (``dangjian.testing.hashers``), before any fixture makes accounts."""
    from django.conf import settings
    from django.test import override_settings

    hashers = ["dangjian.testing.hashers.QuickArgon2PasswordHasher", *settings.PASSWORD_HASHERS[1:]]
    with override_settings(PASSWORD_HASHERS=hashers):
        yield


@pytest.fixture
def personas(db):
    """The office, branch A's secretary, a member of branch A, branch B's secretary (``dangjian.testing.personas``)."""
    # Imported here: this plugin loads before Django is set up, and the personas module imports models.
    from dangjian.testing.personas import make_personas

    return make_personas()


@pytest.fixture(scope="session")
def institute_demo(django_db_setup, django_db_blocker):
    """The demo institute with every app's demo rows, built once for the whole run (a build takes 10–20 s), inside
    an outer transaction rolled back at the end. Each test still runs in its own savepoint, so what one test writes
    is gone before the next. The tests that ask for it run last (``pytest_collection_modifyitems``), so its rows
    never meet a test that expects an empty database."""
    from django.db import transaction

    from dangjian.demo.generator import generate
    from dangjian.demo.spec import FIXED_DATE

    with django_db_blocker.unblock(), transaction.atomic():
        _restore_seeded_rows()
        yield generate("institute", on=FIXED_DATE)
        transaction.set_rollback(True)


def _restore_seeded_rows() -> None:
    """Put back the rows the migrations seed (the rule store, care rules, study-hour rates) when a transactional test
    before the demo emptied the tables: the demo's care events find no care rule otherwise, and make no obligation.
    The content is the test database's as created, serialized because the transactional tests ask for it below."""
    from django.db import connection

    from dangjian.rules.models import RuleVersion

    contents = _SEEDED.get("default")
    if contents and not RuleVersion.objects.exists():
        from django.contrib.auth.models import Permission
        from django.contrib.contenttypes.models import ContentType

        # a flush without the kept content re-creates content types and permissions under new ids: the kept ones
        # come back with their own
        Permission.objects.all().delete()
        ContentType.objects.all().delete()
        ContentType.objects.clear_cache()
        connection.creation.deserialize_db_from_string(contents)
        ContentType.objects.clear_cache()


# The test database's first content, serialized by pytest-django when a transactional test asks for it. Kept here:
# the live server (browser tests) replaces the connection object that holds it.
_SEEDED: dict[str, str | None] = {}


@pytest.fixture(scope="session", autouse=True)
def _keep_seeded_rows(request):
    """Keeps the serialized first content as soon as the test database exists (before the live server starts)."""
    uses_db = any(item.get_closest_marker("django_db") for item in request.session.items)
    if uses_db:
        request.getfixturevalue("django_db_setup")
        from django.db import connections

        _SEEDED["default"] = getattr(connections["default"], "_test_serialized_contents", None)
    yield


def pytest_collection_modifyitems(session, config, items) -> None:
    # stable: every other test keeps its order, ahead of the ones that share the demo institute
    items.sort(key=lambda item: "institute_demo" in getattr(item, "fixturenames", ()))
    # A transactional test ends by emptying every table, the rows the migrations seed included (the rule store, care
    # rules, study-hour rates): the demo institute built after it would find them gone. With serialized rollback the
    # test database's first content is kept (and each such test starts from it), and its flush leaves the tables
    # empty instead of re-creating content types under new ids, so ``_restore_seeded_rows`` can put the rows back.
    # The browser tests are transactional through the live server fixture.
    for item in items:
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker is not None else {}
        fixtures = getattr(item, "fixturenames", ())
        transactional = kwargs.get("transaction") or "live_server" in fixtures or "transactional_db" in fixtures
        if transactional and "serialized_rollback" not in kwargs:
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(*(marker.args if marker else ()), **kwargs), append=False)
