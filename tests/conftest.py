import pytest


@pytest.fixture(autouse=True)
def _inline_tasks(settings):
    settings.TASKS_INLINE = True
