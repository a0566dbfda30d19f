"""A Redis cache that degrades instead of failing when Redis is unreachable.

The cache holds nothing that cannot be recomputed (list counts, search
suggestions, sign-in rate-limit windows), so while Redis is down or hung,
reads miss and writes are dropped, with a warning, and pages keep being
served. Every call is bounded by short socket timeouts with no retries, and
after a failure a breaker skips Redis for a cooldown, so a page that asks
the cache several times pays the timeout once, not once per call.
"""

import logging
import secrets
import threading
import time
import weakref
from functools import wraps

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
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


# One connection pool and client per Redis server (and timeouts) in this process.
_clients: dict[tuple, object] = {}
_clients_lock = threading.Lock()


class _SharedClient(RedisCacheClient):
    """Django makes a cache object per thread, and under ASGI per request, each with its
    own connection pool: every request opened a new connection to Redis (connect,
    health check, client name) and built a new redis.Redis for every call. Profiled,
    that was most of a cached page's cost. Here the process keeps one pool and one
    client per server; redis.Redis is thread-safe (each command borrows a connection)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._settings = tuple(
            sorted(
                (name, value)
                for name, value in self._pool_options.items()
                if isinstance(value, (str, int, float, bool, type(None)))
            )
        )

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        found = (self._servers[index], self._settings)
        client = _clients.get(found)
        if client is None:
            with _clients_lock:
                client = _clients.get(found)
                if client is None:
                    pool = self._pool_class.from_url(self._servers[index], **self._pool_options)
                    client = _clients[found] = self._client(connection_pool=pool)
        return client


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
        self._class = _SharedClient
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


# --- Generations: drop a family of cached entries at once -----------------------------


def generation(name: str) -> str:
    """The current generation of a family of cached entries, for their keys."""
    from django.core.cache import cache

    return str(cache.get(f"generation:{name}", 0))


def generation_next(name: str) -> None:
    """Start a new generation: entries keyed with the old one are not read again."""
    from django.core.cache import cache

    cache.set(f"generation:{name}", secrets.token_hex(4), None)


def generations(names: list[str]) -> list[str]:
    """`generation` of each family, in one round trip."""
    from django.core.cache import cache

    found = cache.get_many([f"generation:{name}" for name in names])
    return [str(found.get(f"generation:{name}", 0)) for name in names]


def generations_with(names: list[str], key: str) -> tuple[list[str], object]:
    """`generations(names)` and the entry at `key` (None if absent), in one round trip."""
    from django.core.cache import cache

    wanted = [f"generation:{name}" for name in names]
    found = cache.get_many([*wanted, key])
    return [str(found.get(name, 0)) for name in wanted], found.get(key)


def generations_next(names, *, seconds: int | None = None) -> None:
    """`generation_next` for each family in one round trip; a generation kept `seconds`
    must outlive every entry keyed with it (forgotten, it reads as "0" again)."""
    from django.core.cache import cache

    cache.set_many({f"generation:{name}": secrets.token_hex(4) for name in names}, seconds)


# --- Held in this process --------------------------------------------------------------


class HeldHere:
    """A value this process keeps for `seconds` after reading it, in front of the shared
    cache: for what is asked for often and may be a moment old (the community settings,
    asked per row in loops; the listening figures, whose unpickling costs more than
    the page). Another process sees a change once its own copy is that old.
    """

    _every: "weakref.WeakSet[HeldHere]" = weakref.WeakSet()

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._held: tuple[float, object] | None = None
        HeldHere._every.add(self)

    def get(self, read):
        held = self._held
        if held is not None and time.monotonic() - held[0] < self.seconds:
            return held[1]
        value = read()
        self._held = (time.monotonic(), value)
        return value

    def forget(self, **_signal) -> None:
        self._held = None

    @classmethod
    def forget_everywhere(cls) -> None:
        """Drop every held value in this process (a test starting with an empty cache)."""
        for held in list(cls._every):
            held.forget()
