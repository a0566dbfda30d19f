from django.urls import path

from realtime import consumers

websocket_urlpatterns = [
    path("ws/healthz/", consumers.HealthConsumer.as_asgi()),
    path("ws/ideas/<int:idea_id>/", consumers.IdeaStreamConsumer.as_asgi()),
    path("ws/me/", consumers.MemberStreamConsumer.as_asgi()),
    path("ws/staff/", consumers.StaffStreamConsumer.as_asgi()),
]
