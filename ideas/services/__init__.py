"""Writes to the ideas domain. Each runs in one transaction and checks its rules.

Counters move with F() in the same transaction as the rows they count. Where a
rule must hold at write time, the idea row is locked with select_for_update()
first, which also serialises concurrent votes and comments on one idea.

Callers import this package (`from ideas import services`); the modules split
the writes by what they change.
"""

from ideas.services.comments import comment_create, comment_delete, comment_update
from ideas.services.counters import CounterDrift, idea_counters_repair
from ideas.services.departures import (
    member_content_remove,
    member_content_renamed,
    member_votes_remove,
)
from ideas.services.idea import (
    follow_set,
    idea_create,
    idea_status_change,
    idea_update,
    idea_withdraw,
)
from ideas.services.merge import MergeResult, idea_merge
from ideas.services.rules import (
    BODY_MAX,
    COMMENT_MAX,
    STATUS_TRANSITIONS,
    TAGS_MAX,
    TITLE_MAX,
    TITLE_MIN,
    VOTE_VALUES,
)
from ideas.services.votes import VoteResult, vote_cast

__all__ = [
    "member_content_remove",
    "member_content_renamed",
    "member_votes_remove",
    "BODY_MAX",
    "COMMENT_MAX",
    "STATUS_TRANSITIONS",
    "TAGS_MAX",
    "TITLE_MAX",
    "TITLE_MIN",
    "VOTE_VALUES",
    "CounterDrift",
    "MergeResult",
    "VoteResult",
    "comment_create",
    "comment_delete",
    "comment_update",
    "follow_set",
    "idea_counters_repair",
    "idea_create",
    "idea_merge",
    "idea_status_change",
    "idea_update",
    "idea_withdraw",
    "vote_cast",
]
