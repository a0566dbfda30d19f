from django.urls import path

from community.members import views

urlpatterns = [
    path("members/<str:username>/", views.member_detail, name="member_detail"),
    path("account/profile/", views.profile_edit, name="profile_edit"),
    # Before the admin sites' own URLs: staff sign in through allauth's limits.
    path("admin/login/", views.staff_sign_in, name="staff_sign_in"),
    path("django-admin/login/", views.staff_sign_in),
    path("admin/password_reset/", views.staff_password_reset),
]
