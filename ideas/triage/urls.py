"""Triage's URLs, included in the staff area's namespace (`staff:inbox`, `staff:idea`…)."""

from django.urls import path

from ideas.triage import views

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("bulk/", views.inbox_bulk, name="bulk"),
    path("overdue/", views.overdue, name="overdue"),
    path("figures/", views.figures, name="figures"),
    path("export/ideas.csv", views.export_ideas, name="export_ideas"),
    path("export/figures.csv", views.export_figures, name="export_figures"),
    path("ideas/<id:pk>/", views.idea_triage, name="idea"),
    path("ideas/<id:pk>/assign/", views.idea_assign, name="assign"),
    path("ideas/<id:pk>/merge/", views.idea_merge, name="merge"),
]
