"""The production settings with two bare views added, for `manage.py bench_http`.

bench_http serves the site with these through a real ASGI server and compares
every page with /bench/hello/ and /bench/select1/ on the same stack. Nothing
else uses this module: the normal site's URLs (community.urls) have no bench
views.

Everything else is production's (DEBUG off, its middleware, the Redis cache and
channel layer, PostgreSQL through the pool, manifest static files). The HTTPS
redirect stays on: bench_http sends `X-Forwarded-Proto: https` on every request,
as the load balancer does, so the redirect and secure-cookie code paths are the
ones production runs.
"""

from .production import *  # noqa: F403

ROOT_URLCONF = "community.bench_urls"
