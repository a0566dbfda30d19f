"""Reads that may be a moment old go to a PostgreSQL replica, when there is one.

Only code that asks for it reads from the replica (`replica_reads()`): heavy
reads whose result is already seconds to minutes old by design, such as the
listening report the worker recomputes. Everything else, and anything inside a
transaction, reads the primary: a page a member sees right after their own
write, and anything that decides who may see what, must never lag (a hidden
idea read back from a replica that has not replayed the hide yet would show).

`DATABASE_REPLICA_URL` names the replica; without it everything reads the
primary. A replica that does not answer is skipped for `REPLICA_COOLDOWN`
seconds: the work reads the primary instead of failing.
"""

import contextlib
import contextvars
import logging
import time

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
REPLICA_COOLDOWN = 30.0

_reading_replica = contextvars.ContextVar("reading_replica", default=False)
_replica_down_until = 0.0


class ReplicaRouter:
    """Writes, migrations and ordinary reads: the primary. Reads inside
    `replica_reads()`, outside a transaction on the primary: the replica."""

    def db_for_read(self, model, **hints):
        if _reading_replica.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        # Not the hinted instance's database: a row read from the replica must not
        # make its related rows come from there later, outside replica_reads().
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def replica_configured() -> bool:
    return REPLICA in connections.settings


def _replica_answers() -> bool:
    global _replica_down_until
    if time.monotonic() < _replica_down_until:
        return False
    try:
        connections[REPLICA].ensure_connection()
    except DatabaseError as exc:
        _replica_down_until = time.monotonic() + REPLICA_COOLDOWN
        logger.warning(
            "The read replica does not answer (%s); reading the primary for %.0f s",
            exc,
            REPLICA_COOLDOWN,
        )
        return False
    return True


@contextlib.contextmanager
def replica_reads():
    """Read from the replica inside this block, if there is one and it answers."""
    if not replica_configured() or not _replica_answers():
        yield
        return
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)
        connections[REPLICA].close()  # back to its pool; the next block may be far off


def reset_replica_breaker() -> None:
    """Try the replica again at the next block (tests; an operator after a repair)."""
    global _replica_down_until
    _replica_down_until = 0.0
