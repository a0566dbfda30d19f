"""Settings shared by every environment.

Values that differ between machines come from the environment (django-environ);
the defaults here are the embedded ones: SQLite, an in-memory channel layer,
database search and tasks run in-process.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Our apps come first so their templates override the libraries'.
    "community",
    "ideas",
    "cms",
    "search",
    "realtime",
    "channels",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "voting",
    "django_tasks",
    # The API (django-ninja); "ninja" serves the docs page's packaged assets.
    "community.api",
    "ninja",
    "community.webhooks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "community.csp.SiteCSPMiddleware",
    "community.core.static_files.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the member's choice (cookie, set by the switcher), else Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

# A strict Content-Security-Policy on every response: the site runs no inline
# script (behaviour is in static files wired by data attributes). Only Wagtail's
# admin pages, which render a few inline scripts of their own, also allow
# inline scripts (community/csp.py). Styles cannot run code, and Wagtail's
# widgets set style attributes. 'self' covers the site's own websockets.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
WAGTAILADMIN_PATH = "/admin/"
# No avatars fetched from Gravatar in the admin: no third-party requests, and img-src stays 'self'.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor a call home for new releases: connect-src stays 'self' (upgrades are the deployer's).
WAGTAIL_ENABLE_UPDATE_CHECK = False

ROOT_URLCONF = "community.urls"
ASGI_APPLICATION = "community.asgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "community.context_processors.site",
                # Last: a page rendered for the shared cache gets a CSRF placeholder.
                "community.pagecache.csrf_placeholder",
            ],
            # Feature packages inside an app are not apps, so their tags are named here.
            "libraries": {
                "moderation_panels": "community.moderation.templatetags.moderation_panels",
                "listening": "ideas.listening.templatetags.listening",
            },
        },
    },
]

# --- Data -------------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False


def database_reliability(db: dict) -> dict:
    """Settings that keep a burst of requests queueing instead of failing.

    PostgreSQL: Django's psycopg connection pool, sized per worker process
    (`DB_POOL_MAX_SIZE`); a request waits up to `DB_POOL_TIMEOUT` seconds for
    a free connection. Django requires CONN_MAX_AGE=0 with the pool, and
    persistent connections are unsafe under ASGI anyway.
    SQLite (the embedded default): IMMEDIATE transactions take the write lock
    at BEGIN, so two writers queue on the busy timeout instead of one failing
    with "database is locked" when both try to upgrade a read lock.
    """
    options = db.setdefault("OPTIONS", {})
    if db["ENGINE"] == "django.db.backends.postgresql":
        db["CONN_MAX_AGE"] = 0
        # The pool checks a connection before lending it: after a database restart
        # its idle connections are dead, and without the check each would fail
        # one request with a 500 ("the connection is closed"). How it recovers
        # from a restart: community/core/db_pool.py.
        db["CONN_HEALTH_CHECKS"] = True
        if env.bool("DB_POOL", default=True):
            options["pool"] = {
                "min_size": env.int("DB_POOL_MIN_SIZE", default=2),
                "max_size": env.int("DB_POOL_MAX_SIZE", default=10),
                "timeout": env.float("DB_POOL_TIMEOUT", default=10.0),
            }
    elif db["ENGINE"] == "django.db.backends.sqlite3":
        db["CONN_MAX_AGE"] = 0
        options["transaction_mode"] = "IMMEDIATE"
        options["timeout"] = env.float("SQLITE_BUSY_TIMEOUT", default=20.0)
        options["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    return db


database_reliability(DATABASES["default"])


def with_replica(databases: dict) -> dict:
    """Add the read replica DATABASE_REPLICA_URL names, for the reads that ask for it
    (community/core/db_routing.py). A replica that does not answer costs a work item at
    most DB_REPLICA_TIMEOUT seconds before it reads the primary instead."""
    if url := env("DATABASE_REPLICA_URL", default=""):
        replica = database_reliability(env.db_url_config(url))
        timeout = env.float("DB_REPLICA_TIMEOUT", default=3.0)
        replica["OPTIONS"]["connect_timeout"] = max(1, int(timeout))
        if "pool" in replica["OPTIONS"]:
            replica["OPTIONS"]["pool"] = {**replica["OPTIONS"]["pool"], "timeout": timeout}
        replica["TEST"] = {"MIRROR": "default"}  # a test database has no replica
        databases["replica"] = replica
    return databases


with_replica(DATABASES)
DATABASE_ROUTERS = ["community.core.db_routing.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "community.User"

REDIS_URL = env("REDIS_URL", default="")
# One node's URL, or several separated by commas (the client fails over between them).
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
SEARCH_INDEX_PREFIX = env("SEARCH_INDEX_PREFIX", default="idealoop")

if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            # Pub/sub: one Redis message per worker process, which hands it to its
            # local sockets (realtime/layers.py). Delivery is at most once: the
            # stored events and the HTTP catch-up are the truth.
            "BACKEND": "realtime.layers.PubSubChannelLayer",
            "CONFIG": {
                # Pub/sub holds no blocking pop, so reads can time out quickly; a
                # connect gives up after 1 s. Publishing from a request is bounded
                # separately (realtime.api.PUBLISH_TIMEOUT).
                "hosts": [{"address": REDIS_URL, "socket_connect_timeout": 1, "socket_timeout": 5}],
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "community.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "idealoop",
            # Bounded calls and a breaker (community/cache.py); sessions live
            # in the database, so a Redis outage signs nobody out.
            "OPTIONS": {
                "socket_timeout": env.float("REDIS_CACHE_TIMEOUT", default=0.5),
                "socket_connect_timeout": env.float("REDIS_CACHE_TIMEOUT", default=0.5),
                "cooldown": env.float("REDIS_CACHE_COOLDOWN", default=10.0),
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work: the same django-tasks API everywhere. `make run` runs tasks
# in-process after commit; production and the tests use the database backend
# (django-tasks-db): the task row is written in the writer's transaction and
# `manage.py db_worker` processes run it. TASKS_BACKEND=database switches here.
TASKS_DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"
TASKS_BACKEND = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": TASKS_DATABASE_BACKEND,
}[env("TASKS_BACKEND", default="immediate")]
TASKS = {"default": {"BACKEND": TASKS_BACKEND}}
# A task that fails for a passing reason (SMTP or Elasticsearch down) runs again
# after TASK_RETRY_BASE_SECONDS * 2**attempt (capped), up to TASK_MAX_ATTEMPTS
# times; then it is kept as failed, for administrators (Django admin, /healthz).
TASK_MAX_ATTEMPTS = env.int("TASK_MAX_ATTEMPTS", default=8)
TASK_RETRY_BASE_SECONDS = env.float("TASK_RETRY_BASE_SECONDS", default=30.0)
TASK_RETRY_MAX_SECONDS = env.float("TASK_RETRY_MAX_SECONDS", default=3600.0)
# Outbox work (emails, plans) left waiting this long is queued again by the sweep.
OUTBOX_STALE_SECONDS = env.int("OUTBOX_STALE_SECONDS", default=300)

# Webhooks (community/webhooks): short timeouts on every delivery; retries after
# 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h (about a day), then the endpoint is
# switched off if it has not succeeded since. Loopback URLs only where allowed.
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=5.0)
WEBHOOK_CONNECT_TIMEOUT_SECONDS = env.float("WEBHOOK_CONNECT_TIMEOUT_SECONDS", default=3.0)
WEBHOOK_RETRY_DELAYS = [5, 300, 1800, 7200, 18000, 36000, 36000]
WEBHOOK_ALLOW_LOOPBACK = env.bool("WEBHOOK_ALLOW_LOOPBACK", default=False)
# Deliveries one task sends (queued per endpoint), over up to WEBHOOK_SEND_THREADS
# threads (one database connection each) sharing the endpoint's connection pool.
WEBHOOK_BATCH_SIZE = env.int("WEBHOOK_BATCH_SIZE", default=100)
WEBHOOK_SEND_THREADS = env.int("WEBHOOK_SEND_THREADS", default=4)

# --- Accounts ----------------------------------------------------------------

# Sessions live in the database (a Redis outage signs nobody out), read through a
# query compiled once per process.
SESSION_ENGINE = "community.core.sessions"
# Django's and allauth's, reading the signed-in member with their groups and bell.
AUTHENTICATION_BACKENDS = [
    "community.members.backends.PasswordBackend",
    "community.members.backends.AccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
# New members get a generated public handle, never their email's local part.
ACCOUNT_ADAPTER = "community.members.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "community.members.adapters.SocialAccountAdapter"
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Sign-up and password reset must not reveal whether an address is registered.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Idealoop] "

# --- Email -------------------------------------------------------------------
# SMTP when EMAIL_HOST is set (any provider), else the console.
EMAIL_HOST = env("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=15)
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Idealoop <no-reply@idealoop.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in emails are absolute: SITE_URL (below, with the Wagtail settings).
# Messages one task sends (split over EMAIL_SEND_CONNECTIONS connections, below).
EMAIL_BATCH_SIZE = env.int("EMAIL_BATCH_SIZE", default=200)
# A worker splits a batch over this many SMTP connections (one thread, and one
# database connection, each): most of an email's time is spent waiting on them.
EMAIL_SEND_CONNECTIONS = env.int("EMAIL_SEND_CONNECTIONS", default=4)
# Digests go out from this hour (UTC) on: daily ones every day, weekly ones on
# DIGEST_WEEKDAY (0 is Monday). `manage.py run_scheduler` queues them.
DIGEST_HOUR = env.int("DIGEST_HOUR", default=7)
DIGEST_WEEKDAY = env.int("DIGEST_WEEKDAY", default=0)
# How long an unsubscribe link in an email keeps working.
UNSUBSCRIBE_LINK_MAX_AGE_DAYS = env.int("UNSUBSCRIBE_LINK_MAX_AGE_DAYS", default=365)

# --- Internationalisation ----------------------------------------------------

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# The site's own text is translated into German (locale/de); Arabic is there to
# prove the right-to-left layout: its catalogue is empty, so Arabic pages show
# the English text (and Django's, allauth's and Wagtail's own Arabic) laid out
# right to left. The compiled catalogues (.mo) are committed: run
# `manage.py makemessages -l de -d django -d djangojs` and `compilemessages`
# after changing strings (tests/i18n checks both are up to date).
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("ar", "العربية"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Editors write the pages in one language; only the site's own text is translated.
WAGTAIL_CONTENT_LANGUAGES = [("en", "English")]

# --- Static and media --------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Whether Django itself serves uploads (development and tests only).
SERVE_MEDIA = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Wagtail -----------------------------------------------------------------

WAGTAIL_SITE_NAME = "Idealoop"
# The public base URL, without a trailing slash: links in emails, the Wagtail
# admin, and Django's Site record (which allauth names in its emails), kept in
# step by community.sites on migrate.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}


def wagtail_elasticsearch(url: str, index_prefix: str, timeout: float) -> dict:
    """Wagtail's search on Elasticsearch, degrading to the database when it fails."""
    return {
        "BACKEND": "search.wagtail_backend",
        "URLS": [node.strip() for node in url.split(",") if node.strip()],
        "INDEX": index_prefix + "_wagtail",
        "TIMEOUT": timeout,
        "OPTIONS": {"max_retries": 0, "retry_on_timeout": False},
        "INDEX_SETTINGS": {},
    }


WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]

# --- Logging -----------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "elastic_transport": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# --- Ideas -------------------------------------------------------------------

IDEA_EDIT_WINDOW_MINUTES = env.int("IDEA_EDIT_WINDOW_MINUTES", default=60)
COMMENT_EDIT_WINDOW_MINUTES = env.int("COMMENT_EDIT_WINDOW_MINUTES", default=15)
IDEAS_PER_PAGE = 20
# Anonymous visitors get the idea lists, idea pages, home and Wagtail pages, the
# roadmap and the listening report from one shared rendered copy
# (community/pagecache.py), dropped when what it shows changes; this lifetime is
# only a safety net. 0 switches the page cache off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)

# --- Abuse limits --------------------------------------------------------------
# Per member per rolling hour, as (established account, new account). Members
# with a staff role are exempt. Each is overridable, e.g. RATE_LIMIT_VOTE=300
# and RATE_LIMIT_VOTE_NEW=60.
NEW_ACCOUNT_DAYS = env.int("NEW_ACCOUNT_DAYS", default=7)
RATE_LIMITS = {
    kind: (env.int(f"RATE_LIMIT_{kind.upper()}", default=established),
           env.int(f"RATE_LIMIT_{kind.upper()}_NEW", default=new))
    for kind, (established, new) in {
        "idea": (10, 3), "comment": (60, 15), "vote": (200, 60), "flag": (30, 10),
    }.items()
}  # fmt: skip
# Spam check on ideas and comments: links allowed in one post (established,
# new), and how long the same text may not be posted again on another idea.
SPAM_MAX_LINKS = (env.int("SPAM_MAX_LINKS", default=5), env.int("SPAM_MAX_LINKS_NEW", default=2))
SPAM_REPEAT_HOURS = env.int("SPAM_REPEAT_HOURS", default=24)
# Shorter texts ("Me too", "+1") may honestly be said on many ideas.
SPAM_REPEAT_MIN_CHARS = env.int("SPAM_REPEAT_MIN_CHARS", default=30)

# --- Triage ------------------------------------------------------------------

# Every published idea should have a first staff answer within this time.
IDEA_RESPONSE_TARGET_HOURS = env.int("IDEA_RESPONSE_TARGET_HOURS", default=72)
# Triage merit: a day of waiting counts as much as this many net supporters.
TRIAGE_SUPPORTERS_PER_WAITING_DAY = env.float("TRIAGE_SUPPORTERS_PER_WAITING_DAY", default=2.0)
# Listening: the score (NPS of customers' 0–10 ratings) is shown from this many
# ratings in the period; the report is recomputed at most this often.
LISTENING_SCORE_MIN_RATINGS = env.int("LISTENING_SCORE_MIN_RATINGS", default=10)
LISTENING_REPORT_CACHE_SECONDS = env.int("LISTENING_REPORT_CACHE_SECONDS", default=300)
# Voting rings: at least RING_MIN_ACCOUNTS accounts younger than NEW_ACCOUNT_DAYS,
# signed up within RING_SIGNUP_HOURS of each other, voting the same way on one
# idea within RING_WINDOW_MINUTES, are a suspected ring until a moderator reviews.
RING_MIN_ACCOUNTS = env.int("RING_MIN_ACCOUNTS", default=5)
RING_WINDOW_MINUTES = env.int("RING_WINDOW_MINUTES", default=30)
RING_SIGNUP_HOURS = env.int("RING_SIGNUP_HOURS", default=48)
# An official response this similar (0–1, word-shingle overlap) to an earlier
# one by the writer or the team is flagged to the writer before it is posted.
NEAR_COPY_THRESHOLD = env.float("NEAR_COPY_THRESHOLD", default=0.5)
NEAR_COPY_LOOKBACK_DAYS = env.int("NEAR_COPY_LOOKBACK_DAYS", default=180)

# --- Social sign-in ----------------------------------------------------------
# A provider switches on when its client id and secret are in the environment,
# e.g. SOCIAL_GITHUB_CLIENT_ID and SOCIAL_GITHUB_SECRET. No keys live here.

SOCIAL_PROVIDERS = ["google", "github", "facebook", "twitter_oauth2"]
SOCIALACCOUNT_PROVIDERS = {}
for _provider in SOCIAL_PROVIDERS:
    _client_id = env(f"SOCIAL_{_provider.upper()}_CLIENT_ID", default="")
    _secret = env(f"SOCIAL_{_provider.upper()}_SECRET", default="")
    if _client_id and _secret:
        INSTALLED_APPS.append(f"allauth.socialaccount.providers.{_provider}")
        SOCIALACCOUNT_PROVIDERS[_provider] = {
            "APPS": [{"client_id": _client_id, "secret": _secret, "key": ""}],
            "EMAIL_AUTHENTICATION": False,
        }
# Addresses from providers are trusted only as far as the provider verifies them.
SOCIALACCOUNT_EMAIL_VERIFICATION = "mandatory"

# --- Search ------------------------------------------------------------------

# English stemming through the core hunspell filter; the nodes need Debian's
# en_US dictionary in config/hunspell/en_US (the test servers have it).
SEARCH_HUNSPELL = env.bool("SEARCH_HUNSPELL", default=False)
# Copies of each shard on other nodes: 0 on one node, 1 or more on a cluster, so
# searches keep answering while a node is down.
SEARCH_INDEX_REPLICAS = env.int("SEARCH_INDEX_REPLICAS", default=0)
SEARCH_QUERY_MAX_LENGTH = 200
# Every Elasticsearch request gives up after this many seconds; after
# SEARCH_BREAKER_FAILURES failures in a row search stops asking for
# SEARCH_BREAKER_COOLDOWN seconds and answers from the database (search/breaker.py).
SEARCH_TIMEOUT = env.float("SEARCH_TIMEOUT", default=2.0)
# After a rebuild swaps the alias, the old index lives this long before it is
# deleted: a search that resolved the alias just before the swap still finishes
# there (deleting it at once answered that search with a 503).
SEARCH_OLD_INDEX_GRACE_SECONDS = env.float("SEARCH_OLD_INDEX_GRACE_SECONDS", default=SEARCH_TIMEOUT)
SEARCH_BREAKER_FAILURES = env.int("SEARCH_BREAKER_FAILURES", default=3)
SEARCH_BREAKER_COOLDOWN = env.float("SEARCH_BREAKER_COOLDOWN", default=30.0)
SEARCH_RESULTS_PER_PAGE = 20

# --- API ---------------------------------------------------------------------
# Requests per token (or signed-in member, or address) per window, as
# (count, seconds); writes have their own, stricter limit.
API_RATE_LIMITS = {
    "read": (env.int("API_RATE_LIMIT_READ", default=600), 60),
    "write": (env.int("API_RATE_LIMIT_WRITE", default=60), 60),
}
