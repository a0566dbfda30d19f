"""A Redis cache that degrades instead of failing when Redis is unreachable.

The cache holds nothing that cannot be recomputed (list counts, search
suggestions, sign-in rate-limit windows), so while Redis is down or hung,
reads miss and writes are dropped, with a warning, and pages keep being
served. Every call is bounded by short socket timeouts with no retries, and
after a failure a breaker skips Redis for a cooldown, so a page that asks
the cache several times pays the timeout once, not once per call.
"""

import logging
import threading
import time
from functools import wraps

from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

OUTAGE = (RedisConnectionError, RedisTimeoutError, OSError)

# Seconds; the cache is on the request path, so it must give up fast.
SOCKET_TIMEOUT = 0.5
COOLDOWN = 10.0

# Breaker state per Redis location, shared by every thread's cache instance.
_open_until: dict[str, float] = {}
_lock = threading.Lock()


def breaker_reset() -> None:
    with _lock:
        _open_until.clear()


def _tolerant(method, fallback):
    def fallback_value(args, kwargs):
        return fallback(*args, **kwargs) if callable(fallback) else fallback

    @wraps(method)
    def wrapper(self, *args, **kwargs):
        if self.unavailable():
            return fallback_value(args, kwargs)
        try:
            return method(self, *args, **kwargs)
        except OUTAGE as exc:
            self.trip(exc)
            return fallback_value(args, kwargs)

    return wrapper


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        options.setdefault("socket_timeout", SOCKET_TIMEOUT)
        options.setdefault("socket_connect_timeout", SOCKET_TIMEOUT)
        # redis-py retries three times by default: four timeouts per call.
        options.setdefault("retry", Retry(NoBackoff(), 0))
        self.cooldown = float(options.pop("cooldown", COOLDOWN))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._breaker_key = str(server)

    def unavailable(self) -> bool:
        """True while the breaker is open after a recent failure."""
        until = _open_until.get(self._breaker_key)
        return until is not None and time.monotonic() < until

    def trip(self, exc: Exception) -> None:
        with _lock:
            _open_until[self._breaker_key] = time.monotonic() + self.cooldown
        logger.warning(
            "Cache unavailable (%s); carrying on without it for %.0f s", exc, self.cooldown
        )

    def ping(self) -> None:
        """Raise if Redis does not answer now (for the health check; ignores the breaker)."""
        try:
            self._cache.get_client(write=True).ping()
        except OUTAGE as exc:
            self.trip(exc)
            raise

    get = _tolerant(RedisCache.get, lambda key, default=None, version=None: default)
    get_many = _tolerant(RedisCache.get_many, {})
    has_key = _tolerant(RedisCache.has_key, False)
    set = _tolerant(RedisCache.set, None)
    set_many = _tolerant(RedisCache.set_many, [])
    add = _tolerant(RedisCache.add, False)
    touch = _tolerant(RedisCache.touch, False)
    delete = _tolerant(RedisCache.delete, False)
    delete_many = _tolerant(RedisCache.delete_many, None)
    clear = _tolerant(RedisCache.clear, None)
