"""The site's URLs plus two bare views that show the serving stack's own cost.

Routed only by the benchmark settings (community.settings.bench); the normal
site (community.urls) never serves them. `manage.py bench_http` divides every
page's requests/s by /bench/hello/'s: the same ASGI server, workers and
middleware, with no template and no query (hello), or one query (select1).
"""

from django.db import connection
from django.http import HttpResponse
from django.urls import path

from community.urls import handler400, handler403, handler404, handler500  # noqa: F401
from community.urls import urlpatterns as site_urlpatterns


def hello(request):
    return HttpResponse(b"hello", content_type="text/plain")


def select1(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse(b"select1", content_type="text/plain")


# Before the site's: Wagtail's page tree answers every other path.
urlpatterns = [
    path("bench/hello/", hello, name="bench_hello"),
    path("bench/select1/", select1, name="bench_select1"),
    *site_urlpatterns,
]
