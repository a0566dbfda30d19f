"""Production settings come from the environment and refuse to start without it."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "community.settings.production",
    "ALLOWED_HOSTS": "ideas.example.com",
    "DATABASE_URL": "postgres://idealoop@db.internal:5432/idealoop",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "ELASTICSEARCH_URL": "http://search.internal:9200",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.endswith("_URL") and k != "SECRET_KEY"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_the_required_environment():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=PRODUCTION_ENV | {"SECRET_KEY": secrets.token_urlsafe(50)},
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_start_up_fails_naming_a_missing_secret_key():
    result = manage("check", env=PRODUCTION_ENV)

    assert result.returncode != 0
    assert "Missing required environment variable(s): SECRET_KEY" in result.stderr


def test_start_up_names_every_missing_variable():
    result = manage("check", env={"DJANGO_SETTINGS_MODULE": "community.settings.production"})

    assert result.returncode != 0
    assert "SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL, ELASTICSEARCH_URL" in result.stderr


def test_production_uses_the_connection_pool_sized_from_the_environment():
    script = (
        "import json; from django.conf import settings; "
        "db = settings.DATABASES['default']; "
        "print(json.dumps({'age': db['CONN_MAX_AGE'], 'pool': db['OPTIONS']['pool']}))"
    )
    result = manage(
        "shell",
        "-c",
        script,
        env=PRODUCTION_ENV | {"SECRET_KEY": secrets.token_urlsafe(50), "DB_POOL_MAX_SIZE": "7"},
    )

    assert result.returncode == 0, result.stderr
    settings = json.loads(result.stdout.strip().splitlines()[-1])
    assert settings["age"] == 0
    assert settings["pool"]["max_size"] == 7


@pytest.mark.parametrize(
    "weak_key",
    [
        "short-but-random-Qx81",
        "django-insecure-" + secrets.token_urlsafe(50),
        "abcd" * 20,
    ],
    ids=["short", "django-insecure", "few-distinct-characters"],
)
def test_production_refuses_a_weak_secret_key(weak_key):
    result = manage("check", env=PRODUCTION_ENV | {"SECRET_KEY": weak_key})

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is too weak" in result.stderr


@pytest.mark.django_db
def test_the_site_record_is_named_after_site_url_not_example_com(settings):
    from django.contrib.sites.models import Site
    from django.core import mail
    from django.test import Client

    from community.sites import site_record_sync

    # Set on migrate: the test database was migrated with the test settings.
    assert Site.objects.get_current().domain not in ("example.com", "")

    settings.SITE_URL = "https://ideas.example.test"
    site_record_sync()
    Site.objects.clear_cache()
    site = Site.objects.get_current()
    assert (site.domain, site.name) == ("ideas.example.test", "Idealoop")

    # The verification email names it.
    Client().post(
        "/accounts/signup/",
        {"email": "new.member@example.org", "password1": "a-long-passphrase-9",
         "password2": "a-long-passphrase-9", "display_name": "New Member"},
    )  # fmt: skip
    assert mail.outbox, "no verification email was sent"
    assert "example.com" not in mail.outbox[-1].subject + mail.outbox[-1].body
    assert "ideas.example.test" in mail.outbox[-1].subject + mail.outbox[-1].body


@pytest.mark.django_db
def test_production_answers_the_balancers_plain_http_health_check_and_redirects_pages():
    import http.client
    from urllib.parse import urlsplit

    from community.core import bench

    env = {
        "DJANGO_SETTINGS_MODULE": "community.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "ideas.example.com,127.0.0.1",  # serve() waits on 127.0.0.1
    }
    with bench.serve("gunicorn", workers=1, env=env) as served:
        url = urlsplit(served.url)

        def get(path: str):
            # As docs/haproxy.cfg checks a worker: plain HTTP, no X-Forwarded-Proto.
            conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
            conn.request("GET", path, headers={"Host": "ideas.example.com"})
            response = conn.getresponse()
            response.read()
            conn.close()
            return response

        assert get("/healthz").status == 200
        page = get("/ideas/")
        assert page.status == 301
        assert page.getheader("Location") == "https://ideas.example.com/ideas/"
