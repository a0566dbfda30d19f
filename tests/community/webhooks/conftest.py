import pytest


@pytest.fixture(autouse=True)
def _tasks_in_process(settings):
    """Deliveries run in-process right after commit, as `make run` runs tasks.

    These tests are about what is delivered, signed, retried and refused; real
    worker processes are proven by tests/community/notifications/test_email_worker.py.
    """
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
