from django.urls import path

from ideas import views

app_name = "ideas"

urlpatterns = [
    path("", views.idea_list, name="list"),
    path("new/", views.idea_create, name="create"),
    path("shipped/", views.shipped, name="shipped"),
    path("<id:pk>/", views.idea_detail, name="detail_by_id"),
    path("<id:pk>-<slug:slug>/", views.idea_detail, name="detail"),
    path("<id:pk>/edit/", views.idea_edit, name="edit"),
    path("<id:pk>/withdraw/", views.idea_withdraw, name="withdraw"),
    path("<id:pk>/vote/", views.idea_vote, name="vote"),
    path("<id:pk>/follow/", views.idea_follow, name="follow"),
    path("<id:pk>/comments/", views.comment_create, name="comment"),
    path("<id:pk>/status/", views.idea_status_change, name="status"),
    path("<id:pk>/events/", views.idea_events, name="events"),
    path("comments/<id:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<id:pk>/delete/", views.comment_delete, name="comment_delete"),
]
