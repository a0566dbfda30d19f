"""The listening report's background work."""

from django_tasks import task


@task()
def listening_report_refresh() -> int:
    """Recompute the shared listening figures (queued by the scheduler when due)."""
    from ideas.listening.selectors import listening_report_refresh as refresh

    return refresh().total.posted
