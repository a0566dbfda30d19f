"""A Redis cache that degrades instead of failing when Redis is unreachable.

The cache holds nothing that cannot be recomputed (list counts, rate-limit
windows), so while Redis restarts, reads miss and writes are dropped, with a
warning, and pages keep being served.
"""

import logging
from functools import wraps

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

OUTAGE = (RedisConnectionError, RedisTimeoutError, OSError)


def _tolerant(method, fallback):
    @wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except OUTAGE as exc:
            logger.warning("Cache unavailable (%s); carrying on without it", exc)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    return wrapper


class ResilientRedisCache(RedisCache):
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
