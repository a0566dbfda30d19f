"""Thin views: parse input with a form, call one service or selector, render.

Split by what they serve: lists, the idea page, writing ideas, comments.
"""

from ideas.views.comments import comment_create, comment_delete, comment_edit
from ideas.views.detail import idea_detail, idea_events
from ideas.views.ideas import (
    idea_create,
    idea_edit,
    idea_follow,
    idea_status_change,
    idea_vote,
    idea_withdraw,
)
from ideas.views.lists import idea_list, shipped

__all__ = [
    "comment_create",
    "comment_delete",
    "comment_edit",
    "idea_create",
    "idea_detail",
    "idea_edit",
    "idea_events",
    "idea_follow",
    "idea_list",
    "idea_status_change",
    "idea_vote",
    "idea_withdraw",
    "shipped",
]
