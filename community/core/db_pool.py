"""How the PostgreSQL connection pool recovers when the database restarts.

Two psycopg_pool behaviours made pages fail for many seconds after a restart
although the database was back:
- a request checks the idle connection it is lent, and after a failed check
  sleeps with backoff (1, 2, 4, 8 s) before trying the next one, all of which
  died in the same restart: past ten idle connections it timed out;
- reconnecting while the database is down also backs off (1, 2, 4, 8, 16 s…),
  so the next attempt could be far away once it is up again.
`connection_check` therefore drops every idle connection at the first failed
check (they share its fate; the pool replaces them), and the pool retries
connecting every second. Django builds the pool itself, passing its own check
and taking no pool class, so both are set once at start-up
(`CommunityConfig.ready`): the policy on psycopg_pool's retry class, the
check on the pool when its first connection is made. Both are private to
psycopg_pool (pinned in pyproject.toml); `tests/faults/test_outages.py`
restarts PostgreSQL with thirty idle connections to prove them.
"""

import logging

from psycopg_pool import ConnectionPool

logger = logging.getLogger(__name__)

RETRY_SECONDS = 1.0


def connection_check(conn) -> None:
    """The pool's check of a connection it is about to lend (its `check` option)."""
    try:
        ConnectionPool.check_connection(conn)
    except Exception:
        pool = getattr(conn, "_pool", None)
        if pool is not None:
            logger.warning("A pooled database connection was dead; checking every idle one")
            pool.check()  # dead ones are discarded and replaced, live ones kept
        raise


def pool_check_install(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: the pool's check becomes `connection_check`."""
    pool = connection.pool if getattr(connection, "vendor", "") == "postgresql" else None
    if pool is not None and pool._check is not connection_check:
        pool._check = connection_check


def restart_recovery_install() -> None:
    from django.db.backends.signals import connection_created
    from psycopg_pool.base import AttemptWithBackoff

    AttemptWithBackoff.INITIAL_DELAY = RETRY_SECONDS
    AttemptWithBackoff.DELAY_BACKOFF = 1.0
    connection_created.connect(pool_check_install, dispatch_uid="community.pool_check")
