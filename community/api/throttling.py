"""Per-token (or per-member, or per-address) request limits, stricter for writes.

A fixed window counted with the cache's atomic increment, so the limit holds
across processes (Redis in tests and production). If the cache is down the
request is let through: the services' own abuse limits still hold.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from ninja.throttling import BaseThrottle

logger = logging.getLogger(__name__)

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def caller_key(request) -> str:
    token = getattr(request, "api_token", None)
    if token is not None:
        return f"t{token.pk}"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    return "a" + (request.META.get("REMOTE_ADDR") or "unknown")


class ApiRateThrottle(BaseThrottle):
    def __init__(self):
        self._local = threading.local()

    def allow_request(self, request) -> bool:
        kind = "read" if request.method in SAFE_METHODS else "write"
        limit, period = settings.API_RATE_LIMITS[kind]
        now = time.time()
        window = int(now // period)
        self._local.wait = period - (now % period)
        key = f"api:rate:{caller_key(request)}:{kind}:{window}"
        try:
            cache.add(key, 0, timeout=period + 5)
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=period + 5)
            count = 1
        except Exception:  # noqa: BLE001 (a cache outage must not stop the API)
            logger.warning("API rate limit not counted: the cache is unavailable")
            return True
        return count <= limit

    def wait(self) -> float:
        return getattr(self._local, "wait", 1.0)
