from django.urls import path, re_path

from realtime import consumers

websocket_urlpatterns = [
    path("ws/healthz/", consumers.HealthConsumer.as_asgi()),
    path("ws/ideas/<id:idea_id>/", consumers.IdeaStreamConsumer.as_asgi()),
    path("ws/me/", consumers.MemberStreamConsumer.as_asgi()),
    path("ws/staff/", consumers.StaffStreamConsumer.as_asgi()),
    # Anything else is refused at the handshake, never an error page.
    re_path(r"", consumers.UnknownStreamConsumer.as_asgi()),
]
