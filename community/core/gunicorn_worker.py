"""The worker class gunicorn serves the site with (`make run`, docs/deploy.md).

uvicorn's own worker for gunicorn, with the limits the site is served with: a
websocket message over 64 KiB closes its socket (1009) before it is buffered, and
no per-socket compression. The
live pages never send one (the consumers only push), and uvicorn's default, 16 MiB
a message, would let a few thousand sockets hold gigabytes. gunicorn imports this
before Django is set up, so it imports nothing of the site.
"""

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
