from django.db import models


class PendingIndexUpdate(models.Model):
    """An idea whose search document must be rewritten (the outbox).

    Rows are written in the same transaction as the change, so an update is
    never lost: if Elasticsearch is down the row stays until a later sync.
    """

    idea_id = models.BigIntegerField(db_index=True)
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"reindex idea #{self.idea_id}"


class SearchVersion(models.Model):
    """How many times an idea's search document had to change: its external version.

    Bumped in the writer's transaction by every change that queues an update,
    so per idea it only grows, in commit order (the upsert locks the row). A
    document is written with the version read before the idea's state, and
    Elasticsearch refuses an older version over a newer one: two syncs racing
    can never leave the older document last.
    """

    idea_id = models.BigIntegerField(primary_key=True)
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"idea #{self.idea_id} v{self.version}"
