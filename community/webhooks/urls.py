"""Webhooks' staff pages, in the staff area's namespace (`staff:webhooks`, `staff:webhook`…)."""

from django.urls import path

from community.webhooks import views

staff_urlpatterns = [
    path("webhooks/", views.endpoint_list, name="webhooks"),
    path("webhooks/new/", views.endpoint_create, name="webhook_create"),
    path("webhooks/<id:pk>/", views.endpoint_detail, name="webhook"),
    path("webhooks/<id:pk>/edit/", views.endpoint_edit, name="webhook_edit"),
    path("webhooks/<id:pk>/switch/", views.endpoint_switch, name="webhook_switch"),
    path("webhooks/<id:pk>/secret/", views.endpoint_secret_rotate, name="webhook_secret"),
    path("webhooks/<id:pk>/delete/", views.endpoint_delete, name="webhook_delete"),
    path(
        "webhooks/<id:pk>/deliveries/<id:delivery_pk>/redeliver/",
        views.delivery_redeliver,
        name="webhook_redeliver",
    ),
]
