"""The listening report's background work."""

from django_tasks import task

from community.core.db_routing import replica_reads


@task()
def listening_report_refresh() -> int:
    """Recompute the shared listening figures (queued by the scheduler when due), from
    the read replica when there is one: the figures are minutes old by design."""
    from ideas.listening.selectors import listening_report_refresh as refresh

    with replica_reads():
        return refresh().total.posted
