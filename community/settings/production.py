"""Production: every value comes from the environment, with no secret defaults.

A missing required variable stops start-up with a message naming it.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import database_reliability, env, wagtail_elasticsearch, with_replica

REQUIRED = ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL"]
missing = [name for name in REQUIRED if not env.str(name, default="")]
if missing:
    raise ImproperlyConfigured("Missing required environment variable(s): " + ", ".join(missing))

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
# The same bar as Django's deploy check (security.W009), but refusing to start.
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak: it must be at least 50 characters, with at least 5 "
        "different ones, and not Django's 'django-insecure' placeholder. Make one with "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
DATABASES = with_replica({"default": database_reliability(env.db("DATABASE_URL"))})

# TLS is terminated at the load balancer, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# The balancer's health check asks the workers over plain HTTP without the header
# (docs/haproxy.cfg); a redirect there would mark every worker down.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Email: SMTP from the environment (see base.py); TLS on unless told otherwise.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Idealoop <no-reply@example.com>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work on the database queue, run by `manage.py db_worker` processes.
TASKS = {"default": {"BACKEND": TASKS_DATABASE_BACKEND}}  # noqa: F405


WAGTAILSEARCH_BACKENDS = {
    "default": wagtail_elasticsearch(
        env("ELASTICSEARCH_URL"),
        env("SEARCH_INDEX_PREFIX", default="idealoop"),
        SEARCH_TIMEOUT,  # noqa: F405
    )
}
