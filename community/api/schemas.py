"""The API's shapes, in and out. The OpenAPI schema is generated from these."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from ideas.choices import Status
from ideas.querysets import PERIODS, SORTS
from ideas.services import BODY_MAX, COMMENT_MAX, TAGS_MAX, TITLE_MAX, TITLE_MIN

StatusName = Literal[tuple(Status.values)]  # type: ignore[valid-type]
SortName = Literal[tuple(SORTS)]  # type: ignore[valid-type]
PeriodName = Literal[tuple(PERIODS)]  # type: ignore[valid-type]
Tag = Field(..., min_length=1, max_length=30)


class PersonOut(Schema):
    username: str
    name: str


class ProductAreaOut(Schema):
    id: int
    slug: str
    name: str
    description: str


class IdeaOut(Schema):
    id: int
    title: str
    url: str
    body: str = Field(description="Markdown, as the author wrote it.")
    body_html: str = Field(description="The body rendered and sanitised.")
    status: StatusName
    status_label: str
    visibility: Literal["published", "hidden", "withdrawn"]
    hidden_reason: str | None = Field(
        None, description="Why a moderator hid the idea; only its author and staff see it."
    )
    product_area: ProductAreaOut
    tags: list[str]
    author: PersonOut
    owner: PersonOut | None = Field(None, description="Staff only: who owns the answer.")
    promotes: int
    demotes: int
    score: int
    comment_count: int
    your_vote: Literal[-1, 1] | None = Field(None, description="The caller's vote, if any.")
    storm_session_id: int | None
    merged_into_id: int | None = Field(description="Set when merged into another idea.")
    locked: bool
    created_at: datetime
    updated_at: datetime
    last_activity_at: datetime
    first_staff_response_at: datetime | None
    status_changed_at: datetime | None


class OfficialResponseOut(Schema):
    id: int
    body: str
    body_html: str
    author: PersonOut
    author_role: str
    created_at: datetime


class StatusEventOut(Schema):
    from_status: StatusName
    to_status: StatusName
    message: str
    actor: PersonOut
    created_at: datetime


class IdeaDetailOut(IdeaOut):
    official_response: OfficialResponseOut | None
    status_events: list[StatusEventOut]
    following: bool


class IdeaPage(Schema):
    items: list[IdeaOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )
    search_backend: str | None = Field(
        None, description="With `q`: which engine answered (elasticsearch or database)."
    )


class IdeaIn(Schema):
    title: str = Field(..., min_length=TITLE_MIN, max_length=TITLE_MAX)
    body: str = Field(..., min_length=1, max_length=BODY_MAX, description="Markdown.")
    product_area_id: int
    tags: list[str] = Field(default_factory=list, max_length=TAGS_MAX)
    storm_session_id: int | None = None


class IdeaPatch(Schema):
    title: str | None = Field(None, min_length=TITLE_MIN, max_length=TITLE_MAX)
    body: str | None = Field(None, min_length=1, max_length=BODY_MAX)
    product_area_id: int | None = None
    tags: list[str] | None = Field(None, max_length=TAGS_MAX)


class VoteIn(Schema):
    value: Literal[-1, 0, 1] = Field(description="+1 promote, -1 demote, 0 withdraw.")


class VoteOut(Schema):
    idea_id: int
    value: Literal[-1, 0, 1]
    changed: bool
    promotes: int
    demotes: int
    score: int


class CommentOut(Schema):
    id: int
    idea_id: int
    parent_id: int | None
    state: Literal["visible", "hidden", "removed"]
    body: str | None = Field(description="Null when removed, or hidden (except to staff).")
    body_html: str | None
    hidden_reason: str | None = Field(None, description="To its author and staff only.")
    is_official: bool
    author: PersonOut | None = Field(description="Null when removed.")
    author_role: str
    created_at: datetime
    edited_at: datetime | None


class ThreadOut(CommentOut):
    replies: list[CommentOut]


class ThreadPage(Schema):
    items: list[ThreadOut]
    next_cursor: str | None


class CommentIn(Schema):
    body: str = Field(..., min_length=1, max_length=COMMENT_MAX)
    parent_id: int | None = Field(None, description="Reply to this comment (one level deep).")


class OfficialResponseIn(Schema):
    body: str = Field(..., min_length=1, max_length=COMMENT_MAX)
    near_copy_acknowledged: bool = Field(
        False, description="Post although it reads like an earlier response (409 otherwise)."
    )


class StatusChangeIn(Schema):
    status: StatusName
    message: str = Field(..., min_length=1, max_length=COMMENT_MAX)


class AssignmentIn(Schema):
    owner_id: int | None = Field(None, description="A staff member's id; null for nobody.")
    product_area_id: int | None = None


class MergeIn(Schema):
    into_id: int = Field(description="The idea this one repeats.")
    message: str = Field("", max_length=COMMENT_MAX)


class MergeOut(Schema):
    duplicate: IdeaOut
    into: IdeaOut
    moved_votes: int
    dropped_votes: int
    moved_followers: int


class TagOut(Schema):
    slug: str
    name: str
    ideas: int


class StormSessionOut(Schema):
    id: int
    title: str
    theme: str
    url: str
    product_area_id: int
    starts_at: datetime
    ends_at: datetime
    is_open: bool
    voting_policy: str


class ProfileOut(Schema):
    username: str
    name: str
    bio: str
    role: str | None
    joined: datetime
    points: int = Field(description="Net votes on the member's published ideas.")
    ideas: list[IdeaOut] = Field(description="Their latest 50 published ideas.")


class MeOut(PersonOut):
    id: int
    role: str
    email: str
    scope: str = Field(description="The token's scope, or 'session' for the site's session.")
    unread_notifications: int


class NotificationOut(Schema):
    id: int
    kind: str
    idea_id: int | None
    text: str
    url: str
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Schema):
    items: list[NotificationOut]
    next_cursor: str | None


class MarkReadIn(Schema):
    id: int | None = Field(None, description="One notification; omit for all.")


class MarkedOut(Schema):
    marked: int


class PublicFiguresOut(Schema):
    submitted: int
    answered: int
    answered_share: int = Field(description="Percent of ideas with a staff answer.")
    shipped: int


class FiguresRowOut(Schema):
    label: str
    posted: int
    answer_due: int
    answered_in_target: int
    share_in_target: float | None
    median_hours_to_answer: float | None
    decided: int = Field(description="Ideas whose first decision was made in this period.")
    shipped: int
    official_responses: int
    near_copy_share: float | None


class StaffFiguresOut(Schema):
    since: datetime
    target_hours: float
    total: FiguresRowOut
    by_month: list[FiguresRowOut]
    by_area: list[FiguresRowOut]
