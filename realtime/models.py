from django.db import models


class StreamEvent(models.Model):
    """An event on an idea's stream, kept so a client that was offline can catch up.

    `seq` counts up by one per stream; services write events while holding the
    idea's row lock, so two events never take the same number.
    """

    stream = models.CharField(max_length=40)
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=30)
    html = models.TextField(blank=True)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stream", "seq"], name="stream_event_seq_once"),
        ]

    def __str__(self) -> str:
        return f"{self.stream}#{self.seq} {self.kind}"

    def as_message(self) -> dict:
        return {"seq": self.seq, "kind": self.kind, "html": self.html, "data": self.data}
