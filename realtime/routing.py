from django.urls import path

from realtime.consumers import HealthConsumer

websocket_urlpatterns = [
    path("ws/healthz/", HealthConsumer.as_asgi()),
]
