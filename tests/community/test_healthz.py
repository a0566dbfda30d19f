import pytest

from tests.conftest import free_port


@pytest.mark.django_db
def test_healthz_reports_every_real_service_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ok"
    assert report["checks"]["database"] == {"status": "ok", "vendor": "postgresql"}
    assert report["checks"]["channel_layer"] == {
        "status": "ok",
        "backend": "PubSubChannelLayer",
    }
    assert report["checks"]["search"]["backend"] == "elasticsearch"
    assert report["checks"]["search"]["version"].startswith("8.")


@pytest.mark.django_db
def test_healthz_shows_search_degraded_when_elasticsearch_is_unreachable(client, settings, caplog):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{free_port()}"

    response = client.get("/healthz")

    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "degraded"
    assert report["checks"]["search"]["status"] == "degraded"
    assert report["checks"]["search"]["backend"] == "database"
    assert "Elasticsearch unreachable" in caplog.text


@pytest.mark.django_db
def test_healthz_with_embedded_defaults(client, settings):
    settings.ELASTICSEARCH_URL = ""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

    report = client.get("/healthz").json()

    assert report["status"] == "ok"
    assert report["checks"]["channel_layer"]["backend"] == "InMemoryChannelLayer"
    assert report["checks"]["search"]["backend"] == "database"


@pytest.mark.django_db
def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405
