"""The worker class gunicorn serves the site with (`make run`, docs/deploy.md).

uvicorn's own worker for gunicorn, with the limits the site is served with: a
websocket message over 64 KiB closes its socket (1009) before it is buffered. The
live pages never send one (the consumers only push), and uvicorn's default, 16 MiB
a message, would let a few thousand sockets hold gigabytes. gunicorn imports this
before Django is set up, so it imports nothing of the site.
"""

from uvicorn_worker import UvicornWorker

WS_MAX_SIZE = 65536


class Worker(UvicornWorker):
    CONFIG_KWARGS = {**UvicornWorker.CONFIG_KWARGS, "ws_max_size": WS_MAX_SIZE}
