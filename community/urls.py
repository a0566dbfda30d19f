from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from community import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("ideas/", include("ideas.urls")),
    path("search/", include("search.urls")),
    path("members/<str:username>/", views.member_detail, name="member_detail"),
    path("account/profile/", views.profile_edit, name="profile_edit"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/unread/", views.notifications_unread, name="notifications_unread"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("accounts/", include("allauth.urls")),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every other path from the page tree, so it comes last.
urlpatterns += [path("", include(wagtail_urls))]
