"""Benchmark webhook deliveries through the worker to a local receiver.

Starts an HTTP receiver on 127.0.0.1 (it checks nothing, answers 200 at once, or after --latency-ms)
and --workers (2) `manage.py db_worker` processes, waits for them to poll, then
records --deliveries (2,000) `idea.created` events for one endpoint in one
transaction, exactly as the domain does (`services.event_record`: the outbox
rows, and on commit one task per WEBHOOK_BATCH_SIZE deliveries), and prints how
long until the receiver had every signed request and every delivery was marked
delivered: from the commit, when the workers can start (the rate the target is
about: at least 200 deliveries per second), and from the first event recorded.
The workers' CPU is counted from the commit on (their start-up left out).

Needs the database task queue (TASKS_BACKEND=database) and PostgreSQL; the
workers get WEBHOOK_ALLOW_LOOPBACK=true so they may deliver to 127.0.0.1. Run
it with `make bench` or `make bench-api`.
"""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from community.core import bench
from community.models import User
from community.webhooks import services
from community.webhooks.models import DeliveryState, WebhookDelivery, WebhookEndpoint
from ideas import services as idea_services
from ideas.models import Category, Idea

ENDPOINT_NAME = "bench-webhooks"


class Receiver:
    """Counts the POSTs it answers; nothing else, so it is never the bottleneck. With
    `latency` (seconds) it takes that long over each answer, as a receiver across
    the internet does."""

    def __init__(self, latency: float = 0.0):
        self.count = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive: the client reuses its connection
            disable_nagle_algorithm = True  # the body is not held back behind the headers

            def do_POST(self):
                self.rfile.read(int(self.headers["content-length"]))
                if latency:
                    time.sleep(latency)
                self.send_response(200)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
                with receiver.lock:
                    receiver.count += 1

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Command(BaseCommand):
    help = "Time webhook deliveries through db_worker processes to a local receiver."

    def add_arguments(self, parser):
        parser.add_argument("--deliveries", type=int, default=2000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--timeout", type=float, default=300.0)
        parser.add_argument(
            "--latency-ms", type=float, default=0.0, help="How long the receiver takes to answer."
        )

    def handle(self, *args, deliveries: int, workers: int, timeout: float, latency_ms: float, **_):
        bench.require_postgresql()
        bench.require_task_queue()
        receiver = Receiver(latency=latency_ms / 1000)
        with override_settings(WEBHOOK_ALLOW_LOOPBACK=True):
            endpoint = self._endpoint(receiver.url)
        ideas = self._ideas(min(deliveries, 500))
        self.stdout.write(
            f"\nWebhook deliveries: {deliveries:,} idea.created events, one endpoint, "
            f"{workers} db_worker processes, receiver on 127.0.0.1 answering in "
            f"{latency_ms:g} ms, "
            f"batches of {settings.WEBHOOK_BATCH_SIZE} over up to "
            f"{settings.WEBHOOK_SEND_THREADS} threads"
        )
        procs = bench.Workers(
            workers, name="bench-webhooks", env={"WEBHOOK_ALLOW_LOOPBACK": "true"}
        )
        try:
            time.sleep(3)  # let them start and poll
            started = time.perf_counter()
            with transaction.atomic():
                for n in range(deliveries):
                    services.event_record("idea.created", idea_id=ideas[n % len(ideas)])
            committed = time.perf_counter()  # on-commit queueing included
            cpu_before = procs.cpu_seconds()
            deadline = committed + timeout
            while receiver.count < deliveries and time.perf_counter() < deadline:
                time.sleep(0.05)
            received = time.perf_counter()
            delivered = 0
            while time.perf_counter() < deadline:
                delivered = WebhookDelivery.objects.filter(
                    endpoint=endpoint, state=DeliveryState.SUCCEEDED
                ).count()
                if delivered >= deliveries:
                    break
                time.sleep(0.05)
            done = time.perf_counter()
            cpu = procs.cpu_seconds() - cpu_before
        finally:
            procs.stop()
            receiver.close()
        rate = delivered / (done - committed)
        self.stdout.write(f"recorded and queued in one transaction: {committed - started:.2f} s")
        self.stdout.write(
            f"after the commit: {receiver.count:,} requests received in "
            f"{received - committed:.2f} s, {delivered:,} deliveries marked delivered in "
            f"{done - committed:.2f} s: {rate:,.0f} deliveries/s "
            f"(target >= 200/s: {'met' if rate >= 200 else 'NOT met'})"
        )
        self.stdout.write(
            f"from the first event recorded: {done - started:.2f} s "
            f"({delivered / (done - started):,.0f} deliveries/s)"
        )
        self.stdout.write(
            f"worker CPU after the commit: {cpu:.1f} s ({cpu * 1000 / max(delivered, 1):.1f} ms "
            f"per delivery, all workers together; load average {bench.load_average():.1f})"
        )
        if delivered < deliveries:
            raise CommandError(
                f"Only {delivered} of {deliveries} delivered within {timeout:.0f} s."
            )

    # --- set-up -------------------------------------------------------------------------

    def _endpoint(self, url: str) -> WebhookEndpoint:
        WebhookEndpoint.objects.filter(name=ENDPOINT_NAME).delete()  # and its deliveries
        DBTaskResult.objects.all().delete()
        WebhookEndpoint.objects.filter(is_active=True).update(is_active=False)  # only this one
        endpoint = WebhookEndpoint(name=ENDPOINT_NAME, url=url, events=["idea.created"])
        endpoint.full_clean()
        endpoint.save()
        return endpoint

    def _ideas(self, count: int) -> list[int]:
        """Published ideas to announce: the loaded community's, or a few made here."""
        ids = list(Idea.objects.visible_to_customers().values_list("pk", flat=True)[:count])
        if ids:
            return ids
        author, _ = User.objects.get_or_create(
            username="bench_webhooks_author",
            defaults={"email": "bench-webhooks@example.com", "is_superuser": True},
        )  # staff are exempt from the posting limits
        EmailAddress.objects.get_or_create(
            user=author, email=author.email, defaults={"verified": True, "primary": True}
        )
        area, _ = Category.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
        WebhookEndpoint.objects.filter(name=ENDPOINT_NAME).update(is_active=False)
        made = [
            idea_services.idea_create(
                author=author, title=f"Benchmark idea {n}", body=f"For the webhook bench, {n}.",
                category=area,
            ).pk
            for n in range(20)
        ]  # fmt: skip
        WebhookEndpoint.objects.filter(name=ENDPOINT_NAME).update(is_active=True)
        return made
