"""Listening's URLs: the public report and ratings (`listening:`), and staff's export."""

from django.urls import path

from ideas.listening import views

app_name = "listening"

urlpatterns = [
    path("", views.listening_report, name="report"),
    path("ideas/<id:pk>/rating/", views.rating_set, name="rate"),
]

# Included in the staff area's namespace (`staff:listening_csv`).
staff_urlpatterns = [
    path("figures/listening.csv", views.figures_csv, name="listening_csv"),
]
