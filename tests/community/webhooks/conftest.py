import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@pytest.fixture(autouse=True)
def _tasks_in_process(settings):
    """Deliveries run in-process right after commit, as `make run` runs tasks.

    These tests are about what is delivered, signed, retried and refused; real
    worker processes are proven by tests/community/notifications/test_email_worker.py.
    """
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


class Receiver:
    """An HTTP server in a thread that answers with the next scripted status.

    `on_request(n)`, if given, runs before the n-th request (from 1) is answered,
    as something that happens while a batch is being sent.
    """

    def __init__(self, statuses=(200,), on_request=None):
        self.statuses = list(statuses)
        self.requests: list[dict] = []
        self.on_request = on_request
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["content-length"]))
                with receiver.lock:
                    receiver.requests.append({"headers": dict(self.headers), "body": body})
                    count = len(receiver.requests)
                    status = (
                        receiver.statuses.pop(0)
                        if len(receiver.statuses) > 1
                        else receiver.statuses[0]
                    )
                if receiver.on_request is not None:
                    receiver.on_request(count)
                reply = b"ok" if status < 400 else b"x" * 5000
                self.send_response(status)
                self.send_header("content-length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(statuses=(200,), on_request=None):
        r = Receiver(statuses, on_request)
        made.append(r)
        return r

    yield make
    for r in made:
        r.close()
