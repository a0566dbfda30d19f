"""Moderation's URLs: flagging for members, the moderation area for staff.

`staff_urlpatterns` sit in the staff area's namespace (`staff:moderation…`);
`urlpatterns` are the members' flag forms under /ideas/ (`moderation:flag_idea`).
"""

from django.urls import path

from community.moderation import views

app_name = "moderation"

urlpatterns = [
    path("<id:pk>/flag/", views.flag_idea, name="flag_idea"),
    path("comments/<id:pk>/flag/", views.flag_comment, name="flag_comment"),
]

staff_urlpatterns = [
    path("audit/", views.audit_log, name="audit"),
    path("moderation/", views.queue, name="moderation"),
    path("moderation/rings/<id:pk>/review/", views.ring_review, name="moderation_ring_review"),
    path("moderation/ideas/<id:pk>/hide/", views.idea_hide, name="moderation_idea_hide"),
    path(
        "moderation/ideas/<id:pk>/restore/",
        views.idea_restore,
        name="moderation_idea_restore",
    ),
    path("moderation/ideas/<id:pk>/edit/", views.idea_edit, name="moderation_idea_edit"),
    path("moderation/ideas/<id:pk>/lock/", views.thread_lock, name="moderation_lock"),
    path(
        "moderation/ideas/<id:pk>/unlock/",
        views.thread_unlock,
        name="moderation_unlock",
    ),
    path(
        "moderation/ideas/<id:pk>/dismiss/",
        views.idea_flags_dismiss,
        name="moderation_idea_dismiss",
    ),
    path(
        "moderation/comments/<id:pk>/hide/",
        views.comment_hide,
        name="moderation_comment_hide",
    ),
    path(
        "moderation/comments/<id:pk>/remove/",
        views.comment_remove,
        name="moderation_comment_remove",
    ),
    path(
        "moderation/comments/<id:pk>/restore/",
        views.comment_restore,
        name="moderation_comment_restore",
    ),
    path(
        "moderation/comments/<id:pk>/edit/",
        views.comment_edit,
        name="moderation_comment_edit",
    ),
    path(
        "moderation/comments/<id:pk>/dismiss/",
        views.comment_flags_dismiss,
        name="moderation_comment_dismiss",
    ),
    path("moderation/members/<id:pk>/", views.member, name="moderation_member"),
    path(
        "moderation/members/<id:pk>/suspend/",
        views.member_suspend,
        name="moderation_member_suspend",
    ),
    path(
        "moderation/members/<id:pk>/lift/",
        views.member_lift,
        name="moderation_member_lift",
    ),
    path(
        "moderation/members/<id:pk>/hide-content/",
        views.member_content_hide,
        name="moderation_member_hide",
    ),
]
