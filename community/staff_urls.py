"""The staff area (`/staff/`): one namespace that includes each staff feature's URLs.

Each feature's views check the permission its work needs.
"""

from django.urls import include, path

from community.moderation.urls import staff_urlpatterns as moderation_urlpatterns
from community.webhooks.urls import staff_urlpatterns as webhooks_urlpatterns
from ideas.listening.urls import staff_urlpatterns as listening_urlpatterns

app_name = "staff"

urlpatterns = [
    path("", include("ideas.triage.urls")),
    path("", include(moderation_urlpatterns)),
    path("", include(listening_urlpatterns)),
    path("", include(webhooks_urlpatterns)),
]
