"""Tests run against the real services that `make test` starts.

DATABASE_URL, REDIS_URL and ELASTICSEARCH_URL come from the environment
(scripts/testenv.py sets them); a missing one is a clear error, not a silent
fallback to an embedded default.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, ELASTICSEARCH_URL, REDIS_URL

SECRET_KEY = "test-only-key"
# One test process plays many roles at once (the in-process live server's
# threads, browser sessions, threaded concurrency tests, task runs), so its pool
# is far larger than one web process needs; the test PostgreSQL allows it.
if "pool" in DATABASES["default"].get("OPTIONS", {}):
    DATABASES["default"]["OPTIONS"]["pool"]["max_size"] = 100
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql" or not (
    REDIS_URL and ELASTICSEARCH_URL
):
    raise ImproperlyConfigured(
        "Tests need DATABASE_URL (PostgreSQL), REDIS_URL and ELASTICSEARCH_URL. "
        "Run them with `make test`, which starts throwaway servers."
    )

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SEARCH_INDEX_PREFIX = "test"
# Background work on the real database queue; `worker` tests run real
# `manage.py db_worker` processes, others run queued tasks in-process.
TASKS = {"default": {"BACKEND": TASKS_DATABASE_BACKEND}}  # noqa: F405
# The SMTP server scripts/testenv.py starts, when there is one; else memory.
if EMAIL_HOST:  # noqa: F405
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASK_RETRY_BASE_SECONDS = 0.5
TASK_RETRY_MAX_SECONDS = 2.0
SITE_URL = "http://testserver"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
SEARCH_HUNSPELL = True
# The test servers share a busy machine; index creation and bulk loads there
# can exceed production's short timeout. Fault tests set their own.
SEARCH_TIMEOUT = 10.0
# Searches here take milliseconds; rebuilds in tests need not wait 10 s.
SEARCH_OLD_INDEX_GRACE_SECONDS = 0.5
SERVE_MEDIA = True
# The tests' webhook receivers listen on 127.0.0.1.
WEBHOOK_ALLOW_LOOPBACK = True
# allauth's test provider (no network): social sign-in tests go through the real flow.
INSTALLED_APPS.append("allauth.socialaccount.providers.dummy")  # noqa: F405
