"""A circuit breaker for Elasticsearch: after repeated failures, stop asking for a while.

Each request to a hung node costs the full timeout. Once `failures` requests
in a row have failed, the breaker opens and every caller takes its fallback
(database search, no related ideas, the outbox keeps index updates) without
asking, for `cooldown` seconds; then one caller tries again, and a success
closes it. The state is per process, like the connections it protects.
"""

import logging
import threading
import time

from django.conf import settings

logger = logging.getLogger(__name__)


class CircuitBreaker:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures = 0
        self._open_until = 0.0

    @property
    def threshold(self) -> int:
        return settings.SEARCH_BREAKER_FAILURES

    @property
    def cooldown(self) -> float:
        return settings.SEARCH_BREAKER_COOLDOWN

    def allows(self) -> bool:
        """Whether a caller may ask Elasticsearch now."""
        with self._lock:
            if self._failures < self.threshold:
                return True
            if time.monotonic() >= self._open_until:
                # Half open: let this caller try; others wait for its answer.
                self._open_until = time.monotonic() + self.cooldown
                return True
            return False

    def is_open(self) -> bool:
        with self._lock:
            return self._failures >= self.threshold and time.monotonic() < self._open_until

    def succeeded(self) -> None:
        with self._lock:
            if self._failures >= self.threshold:
                logger.info("Elasticsearch answers again; search uses it")
            self._failures = 0
            self._open_until = 0.0

    def failed(self, exc: BaseException) -> None:
        with self._lock:
            self._failures += 1
            if self._failures >= self.threshold:
                self._open_until = time.monotonic() + self.cooldown
                logger.warning(
                    "Elasticsearch failed %d time(s) in a row (%s); "
                    "not asking it for %.0f s, the database answers meanwhile",
                    self._failures,
                    exc,
                    self.cooldown,
                )

    def reset(self) -> None:
        with self._lock:
            self._failures = 0
            self._open_until = 0.0


breaker = CircuitBreaker()
