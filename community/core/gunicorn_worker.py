"""The worker class gunicorn serves the site with (`make run`, docs/deploy.md).

uvicorn's own worker for gunicorn, with the limits the site is served with: a
websocket message over 64 KiB closes its socket (1009) before it is buffered, and
no per-socket compression. The
live pages never send one (the consumers only push), and uvicorn's default, 16 MiB
a message, would let a few thousand sockets hold gigabytes. gunicorn imports this
before Django is set up, so it imports nothing of the site.

Once the site is loaded it freezes the heap it holds (`gc.freeze`): Python's oldest
garbage-collector generation then leaves Django's and the site's start-up objects
alone, where a full collection over them paused the worker for tens of milliseconds
and made the slowest 1% of requests several times slower (bench_http's p99).

It also leaves when its master is gone. gunicorn's own workers check their parent
each time they tell the master they are alive; uvicorn's does not, so a worker whose
master was killed (SIGKILL, the OOM killer) served on alone for good, with its
sockets and the listening port, and a master started again could not bind it.
"""

import gc
import os
import signal

from uvicorn_worker import UvicornWorker

WS_MAX_SIZE = 65536


class Worker(UvicornWorker):
    # No permessage-deflate: compressing every socket's copy of a broadcast nearly doubled
    # the CPU per delivered message and the memory per socket (bench_realtime).
    CONFIG_KWARGS = {
        **UvicornWorker.CONFIG_KWARGS,
        "ws_max_size": WS_MAX_SIZE,
        "ws_per_message_deflate": False,
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # An orphan has no master to kill it after --graceful-timeout: it keeps to it itself.
        self.config.timeout_graceful_shutdown = self.cfg.graceful_timeout

    def load_wsgi(self) -> None:
        super().load_wsgi()
        gc.collect()
        gc.freeze()

    async def callback_notify(self) -> None:
        """Every `--timeout` / 2 s. Orphaned (the master died), shut down as the master's
        SIGTERM would have it: stop accepting, close sockets (1012), finish requests."""
        if os.getppid() != self.ppid:
            self.log.info("Parent changed, shutting down: %s", self)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        await super().callback_notify()
