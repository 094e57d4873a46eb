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


def pytest_configure(config) -> None:
    os.environ["DANGJIAN_HEALTH_KEY"] = TEST_HEALTH_KEY
    os.environ["DANGJIAN_AUDIT_KEY"] = TEST_AUDIT_KEY


@pytest.fixture
def personas(db):
    """The office, branch A's secretary, a member of branch A, branch B's secretary (``dangjian.testing.personas``)."""
    # Imported here: this plugin loads before Django is set up, and the personas module imports models.
    from dangjian.testing.personas import make_personas

    return make_personas()
