"""Domain objects as the API's dicts. Only what the viewer may see leaves here.

The rules are the site's: `ideas.permissions` and `community.permissions`
decide what a viewer sees; these functions only read their answers.
"""

from community import permissions
from ideas.models import Comment, Idea, Status, Visibility


def person(user) -> dict:
    return {"username": user.username, "name": user.public_name}


def product_area(category) -> dict:
    return {
        "id": category.pk,
        "slug": category.slug,
        "name": category.name,
        "description": category.description,
    }


def idea(idea: Idea, *, viewer) -> dict:
    staff = permissions.can_see_hidden(viewer)
    own = permissions.is_member(viewer) and idea.author_id == viewer.pk
    vote = getattr(idea, "user_vote", None)
    return {
        "id": idea.pk,
        "title": idea.title,
        "url": idea.get_absolute_url(),
        "body": idea.body,
        "body_html": idea.body_html,
        "status": idea.status,
        "status_label": str(Status(idea.status).label),
        "visibility": idea.visibility,
        "hidden_reason": (
            idea.moderation_reason or None
            if idea.visibility == Visibility.HIDDEN and (staff or own)
            else None
        ),
        "product_area": product_area(idea.category),
        "tags": [tag.name for tag in idea.tag_list],
        "author": person(idea.author),
        "owner": person(idea.owner) if staff and idea.owner_id else None,
        "promotes": idea.promotes,
        "demotes": idea.demotes,
        "score": idea.score,
        "comment_count": idea.comment_count,
        "your_vote": vote if vote in (-1, 1) else None,
        "storm_session_id": idea.storm_session_id,
        "merged_into_id": idea.merged_into_id,
        "locked": idea.is_locked,
        "created_at": idea.created_at,
        "updated_at": idea.updated_at,
        "last_activity_at": idea.last_activity_at,
        "first_staff_response_at": idea.first_staff_response_at,
        "status_changed_at": idea.status_changed_at,
    }


def idea_detail(detail, *, viewer) -> dict:
    official = detail.official_response
    return {
        **idea(detail.idea, viewer=viewer),
        "official_response": (
            {
                "id": official.pk,
                "body": official.body,
                "body_html": official.body_html,
                "author": person(official.author),
                "author_role": official.author_role,
                "created_at": official.created_at,
            }
            if official
            else None
        ),
        "status_events": [
            {
                "from_status": event.from_status,
                "to_status": event.to_status,
                "message": event.message,
                "actor": person(event.actor),
                "created_at": event.created_at,
            }
            for event in detail.status_events
        ],
        "following": detail.is_following,
    }


def comment(comment: Comment, *, viewer) -> dict:
    staff = permissions.can_see_hidden(viewer)
    own = permissions.is_member(viewer) and comment.author_id == viewer.pk
    if comment.is_removed:
        state = "removed"
    elif comment.is_hidden:
        state = "hidden"
    else:
        state = "visible"
    readable = state == "visible" or (state == "hidden" and staff)
    return {
        "id": comment.pk,
        "idea_id": comment.idea_id,
        "parent_id": comment.parent_id,
        "state": state,
        "body": comment.body if readable else None,
        "body_html": comment.body_html if readable else None,
        "hidden_reason": (
            comment.hidden_reason or None if state == "hidden" and (staff or own) else None
        ),
        "is_official": comment.is_official,
        "author": person(comment.author) if state != "removed" else None,
        "author_role": comment.author_role if state != "removed" else "",
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
    }


def thread(top: Comment, *, viewer) -> dict:
    return {
        **comment(top, viewer=viewer),
        "replies": [comment(reply, viewer=viewer) for reply in top.replies.all()],
    }


def figures_row(row) -> dict:
    return {
        "label": str(row.label),
        "posted": row.posted,
        "answer_due": row.answer_due,
        "answered_in_target": row.answered_in_target,
        "share_in_target": row.share_in_target,
        "median_hours_to_answer": row.median_hours,
        "decided": row.decided,
        "shipped": row.shipped,
        "official_responses": row.official_responses,
        "near_copy_share": row.near_copy_share,
    }
