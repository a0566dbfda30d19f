"""Static files from WhiteNoise, in whichever mode the request comes."""

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings as django_settings
from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise's middleware, able to run async as well as sync.

    WhiteNoise's own runs sync only, so under ASGI Django took every request
    through two more thread hops around it: from the event loop to a thread for
    it, back to the loop for the middleware below, and to the thread again for
    the view (a tenth of a cached page's time, `make bench-http`). This one
    answers a static file from a thread and hands every other request on in the
    mode it came.
    """

    sync_capable = True
    async_capable = True

    def __init__(self, get_response, settings=django_settings):
        super().__init__(get_response, settings)
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)

    def __call__(self, request):
        if self.async_mode:
            return self._acall(request)
        return super().__call__(request)

    async def _acall(self, request):
        if self.autorefresh:  # development: looks on disk
            static_file = await sync_to_async(self.find_file)(request.path_info)
        else:
            static_file = self.files.get(request.path_info)
        if static_file is not None:
            return await sync_to_async(self.serve)(static_file, request)
        return await self.get_response(request)
