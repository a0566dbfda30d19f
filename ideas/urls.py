from django.urls import path

from ideas import views

app_name = "ideas"

urlpatterns = [
    path("", views.idea_list, name="list"),
    path("new/", views.idea_create, name="create"),
    path("shipped/", views.shipped, name="shipped"),
    path("<int:pk>/", views.idea_detail, name="detail_by_id"),
    path("<int:pk>-<slug:slug>/", views.idea_detail, name="detail"),
    path("<int:pk>/edit/", views.idea_edit, name="edit"),
    path("<int:pk>/withdraw/", views.idea_withdraw, name="withdraw"),
    path("<int:pk>/vote/", views.idea_vote, name="vote"),
    path("<int:pk>/follow/", views.idea_follow, name="follow"),
    path("<int:pk>/comments/", views.comment_create, name="comment"),
    path("<int:pk>/status/", views.idea_status_change, name="status"),
    path("<int:pk>/events/", views.idea_events, name="events"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
]
