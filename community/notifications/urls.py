from django.urls import path

from community.notifications import views

urlpatterns = [
    path("", views.notification_list, name="notification_list"),
    path("read/", views.notifications_read, name="notifications_read"),
    path("unread/", views.notifications_unread, name="notifications_unread"),
    path("<int:pk>/", views.notification_open, name="notification_open"),
]
