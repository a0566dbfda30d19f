"""The staff area: triage, response targets, figures, moderation and the audit log.

One place for everyone who answers or looks after the community; each view
checks the permission its work needs.
"""

from django.urls import path

from community import moderation_views
from ideas import staff_views

app_name = "staff"

urlpatterns = [
    path("", staff_views.inbox, name="inbox"),
    path("bulk/", staff_views.inbox_bulk, name="bulk"),
    path("overdue/", staff_views.overdue, name="overdue"),
    path("figures/", staff_views.figures, name="figures"),
    path("ideas/<int:pk>/", staff_views.idea_triage, name="idea"),
    path("ideas/<int:pk>/assign/", staff_views.idea_assign, name="assign"),
    path("ideas/<int:pk>/merge/", staff_views.idea_merge, name="merge"),
    path("audit/", moderation_views.audit_log, name="audit"),
    # Moderation (community managers).
    path("moderation/", moderation_views.queue, name="moderation"),
    path(
        "moderation/ideas/<int:pk>/hide/", moderation_views.idea_hide, name="moderation_idea_hide"
    ),
    path(
        "moderation/ideas/<int:pk>/restore/",
        moderation_views.idea_restore,
        name="moderation_idea_restore",
    ),
    path(
        "moderation/ideas/<int:pk>/edit/", moderation_views.idea_edit, name="moderation_idea_edit"
    ),
    path("moderation/ideas/<int:pk>/lock/", moderation_views.thread_lock, name="moderation_lock"),
    path(
        "moderation/ideas/<int:pk>/unlock/",
        moderation_views.thread_unlock,
        name="moderation_unlock",
    ),
    path(
        "moderation/ideas/<int:pk>/dismiss/",
        moderation_views.idea_flags_dismiss,
        name="moderation_idea_dismiss",
    ),
    path(
        "moderation/comments/<int:pk>/hide/",
        moderation_views.comment_hide,
        name="moderation_comment_hide",
    ),
    path(
        "moderation/comments/<int:pk>/restore/",
        moderation_views.comment_restore,
        name="moderation_comment_restore",
    ),
    path(
        "moderation/comments/<int:pk>/edit/",
        moderation_views.comment_edit,
        name="moderation_comment_edit",
    ),
    path(
        "moderation/comments/<int:pk>/dismiss/",
        moderation_views.comment_flags_dismiss,
        name="moderation_comment_dismiss",
    ),
    path("moderation/members/<int:pk>/", moderation_views.member, name="moderation_member"),
    path(
        "moderation/members/<int:pk>/suspend/",
        moderation_views.member_suspend,
        name="moderation_member_suspend",
    ),
    path(
        "moderation/members/<int:pk>/lift/",
        moderation_views.member_lift,
        name="moderation_member_lift",
    ),
    path(
        "moderation/members/<int:pk>/hide-content/",
        moderation_views.member_content_hide,
        name="moderation_member_hide",
    ),
]
