from django.urls import path

from ideas.roadmap import feeds, views

app_name = "roadmap"

urlpatterns = [
    path("", views.roadmap, name="board"),
    path("feed/rss/", feeds.RoadmapFeed(), name="feed_rss"),
    path("feed/atom/", feeds.RoadmapAtomFeed(), name="feed_atom"),
]
