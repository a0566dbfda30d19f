"""The site's error pages (404, 403, 400, 500): Django's own, minus a connection leak.

Under ASGI, Django renders the page for an exception raised in the request
(every 404, for one) in a worker thread of its own: `convert_exception_to_response`
calls it with `thread_sensitive=False`. The page's template reads the database
(the header), and nothing ever returns that thread's connection to the pool,
so each such thread kept one until the pool ran dry. These views give it back.
"""

from functools import wraps

from django.db import connections
from django.views import defaults


def _connections_returned(view):
    @wraps(view)
    def error_page(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        finally:
            for connection in connections.all(initialized_only=True):
                # Inside a transaction this runs in the request's own thread
                # (WSGI, the test client): that connection is the request's to close.
                if not connection.in_atomic_block:
                    connection.close_if_unusable_or_obsolete()

    return error_page


bad_request = _connections_returned(defaults.bad_request)
permission_denied = _connections_returned(defaults.permission_denied)
page_not_found = _connections_returned(defaults.page_not_found)
server_error = _connections_returned(defaults.server_error)
