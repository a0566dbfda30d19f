"""Shared fixtures: the real services' versions, a live ASGI server, and Chromium."""

import socket
import threading
import time
import urllib.request
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

pytest_plugins = ["tests.page_fixtures", "tests.worker_fixtures"]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def pytest_report_header(config):
    """Name the servers the suite talks to, so a run shows it used the real ones."""
    import psycopg

    from search.client import server_version

    db = settings.DATABASES["default"]
    # A direct connection: Django's is blocked outside tests, and the test
    # database does not exist yet; the server's version is what we report.
    with psycopg.connect(
        host=db["HOST"],
        port=db["PORT"],
        user=db["USER"],
        password=db["PASSWORD"],
        dbname=db["NAME"],
    ) as conn:
        version = conn.execute("SELECT version()").fetchone()[0].split(" on ")[0]
    lines = [f"database: {version} ({db['HOST']}:{db['PORT']})"]
    info = redis.Redis.from_url(settings.REDIS_URL).info("server")
    lines.append(f"redis: Redis {info['redis_version']} ({settings.REDIS_URL})")
    lines.append(f"search: Elasticsearch {server_version()} ({settings.ELASTICSEARCH_URL})")
    return lines


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty (Redis) cache: no counts left by another."""
    from django.core.cache import cache

    from community.cache import HeldHere
    from community.cache import breaker_reset as cache_breaker_reset
    from realtime.api import breaker_reset as realtime_breaker_reset
    from search.breaker import breaker as search_breaker

    # A fault test leaves its breakers open; the next test starts with them closed.
    cache_breaker_reset()
    realtime_breaker_reset()
    search_breaker.reset()
    cache.clear()
    HeldHere.forget_everywhere()  # nor what a process held from another test
    yield
    cache_breaker_reset()
    realtime_breaker_reset()
    search_breaker.reset()


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: a request in German leaves German
    active in the test's thread (LocaleMiddleware activates, nothing deactivates)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """A new channel layer per test. The Redis layer binds its receiving to the
    event loop that first received, and each async test (and each live server)
    runs its own loop; in production one process has one loop."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def live_server_url(transactional_db):
    """The full ASGI app (HTTP and websockets) served by uvicorn on a free port.

    It runs in a thread of the test process so it shares the test database;
    `transactional_db` makes the test's writes visible to it.
    """
    import uvicorn

    from community.asgi import application

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            application,
            host="127.0.0.1",
            port=port,
            lifespan="off",
            log_level="warning",
            ws_max_size=65536,  # as `make run` and docs/deploy.md serve it
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    yield url
    server.should_exit = True
    thread.join(timeout=10)
    # Sync views ran in asgiref's single worker thread, which still holds its
    # database connection; close it there so the test database can be flushed.
    from asgiref.sync import SyncToAsync
    from django.db import connections

    SyncToAsync.single_thread_executor.submit(connections.close_all).result(timeout=10)


@pytest.fixture
def browser(monkeypatch):
    """Chromium for one test.

    Playwright's sync API keeps an event loop running in this thread while it
    is open. Django would then refuse the test's own ORM calls as "async
    unsafe" (they are not: nothing else runs on that loop), and asyncio tests
    after it could not start their own loop, so it lives for one test only.
    """
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def browser_as(browser, live_server_url):
    """A new browser window signed in as `user` (through a real session cookie)."""
    from django.conf import settings
    from django.test import Client

    contexts = []

    def open_as(user):
        client = Client()
        client.force_login(user)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server_url,
                }
            ]
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under test-artifacts/ for a person to look at."""
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture(scope="session", autouse=True)
def _end_stray_connections(django_db_setup, django_db_blocker):
    """After the last test, end connections that server threads left open.

    Otherwise PostgreSQL refuses to drop the test database while they linger.
    """
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
