from django.urls import path

from community.api import views

app_name = "api"

urlpatterns = [
    path("", views.token_list, name="tokens"),
    path("<id:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
