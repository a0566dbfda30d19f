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
