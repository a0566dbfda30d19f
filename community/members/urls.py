from django.urls import path

from community.members import views

urlpatterns = [
    path("members/<str:username>/", views.member_detail, name="member_detail"),
    path("account/profile/", views.profile_edit, name="profile_edit"),
]
