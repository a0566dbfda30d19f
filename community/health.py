"""Health of the parts the site depends on, for `/healthz` and readiness checks."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from community.core.tasks import queue_health
from realtime.health import channel_layer_health
from search.health import search_health

logger = logging.getLogger(__name__)

OK, DEGRADED, DOWN = "ok", "degraded", "down"


def database_health() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means the same thing to an operator
        logger.error("Database health check failed: %s", exc)
        return {"status": DOWN, "vendor": connection.vendor, "detail": str(exc)[:200]}
    return {"status": OK, "vendor": connection.vendor}


def cache_health() -> dict:
    backend = type(cache).__name__
    ping = getattr(cache, "ping", None)
    if ping is None:  # an in-process cache cannot be down
        return {"status": OK, "backend": backend}
    try:
        ping()
    except Exception as exc:
        return {
            "status": DOWN,
            "backend": backend,
            "detail": "Redis does not answer; pages are served without the cache.",
            "error": repr(exc)[:200],
        }
    return {"status": OK, "backend": backend}


def tasks_health() -> dict:
    """The background queue: oldest waiting task's age and failed tasks (kept for admins).

    Degraded when work has waited longer than OUTBOX_STALE_SECONDS (no worker
    running, or workers far behind) or the queue cannot be read.
    """
    try:
        report = queue_health()
    except Exception as exc:
        logger.error("Task queue health check failed: %s", exc)
        return {"status": DEGRADED, "detail": str(exc)[:200]}
    if report is None:
        return {"status": OK, "backend": "in-process"}
    late = report["oldest_waiting_seconds"] > settings.OUTBOX_STALE_SECONDS
    return {"status": DEGRADED if late else OK, "backend": "database", **report}


def site_health() -> dict:
    """The overall state is the worst of the parts; without a database we are down."""
    checks = {
        "database": database_health(),
        "cache": cache_health(),
        "channel_layer": channel_layer_health(),
        "search": search_health(),
        "tasks": tasks_health(),
    }
    states = {check["status"] for check in checks.values()}
    if checks["database"]["status"] == DOWN:
        overall = DOWN
    elif states == {OK}:
        overall = OK
    else:
        overall = DEGRADED
    return {"status": overall, "checks": checks}


@never_cache
@require_GET
def healthz(request):
    report = site_health()
    return JsonResponse(report, status=503 if report["status"] == DOWN else 200)
