"""Search health: Elasticsearch when configured, otherwise the database fallback."""

import logging

from search.breaker import breaker
from search.client import is_configured, server_version

logger = logging.getLogger(__name__)


def search_health() -> dict:
    if not is_configured():
        return {
            "status": "ok",
            "backend": "database",
            "detail": "Elasticsearch is not configured; search runs on the database.",
        }
    if breaker.is_open():
        return {
            "status": "degraded",
            "backend": "database",
            "detail": "Elasticsearch failed repeatedly; search answers from the database "
            "until it answers again.",
        }
    try:
        version = server_version()
    except Exception as exc:
        breaker.failed(exc)
        logger.warning("Elasticsearch unreachable, search falls back to the database: %s", exc)
        return {
            "status": "degraded",
            "backend": "database",
            "detail": "Elasticsearch is unreachable; search falls back to the database.",
        }
    breaker.succeeded()
    return {"status": "ok", "backend": "elasticsearch", "version": version}
