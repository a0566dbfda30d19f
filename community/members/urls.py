from django.urls import path

from community.members import views

urlpatterns = [
    path("members/<str:username>/", views.member_detail, name="member_detail"),
    path("account/profile/", views.profile_edit, name="profile_edit"),
    path("account/activity/", views.activity, name="member_activity"),
    path(
        "account/activity/unfollow/<id:pk>/",
        views.activity_unfollow,
        name="member_activity_unfollow",
    ),
    path("account/data.json", views.data_export, name="member_data_export"),
    path("account/delete/", views.account_delete, name="member_account_delete"),
    # Before the admin sites' own URLs: staff sign in through allauth's limits.
    path("admin/login/", views.staff_sign_in, name="staff_sign_in"),
    path("django-admin/login/", views.staff_sign_in),
    path("admin/password_reset/", views.staff_password_reset),
]
