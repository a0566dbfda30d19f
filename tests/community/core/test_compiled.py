"""A queryset compiled once runs again with new ids and answers as the queryset would."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Exists, OuterRef

from community.core.compiled import CompiledQuery
from ideas import services
from ideas.models import Comment, Idea
from tests.factories import UserFactory, make_idea

pytestmark = pytest.mark.django_db


def discussed_by(pk: int, author_id: int):
    return Idea.objects.filter(pk=pk).annotate(
        replies=Count("comments"),
        theirs=Exists(Comment.objects.filter(idea=OuterRef("pk"), author_id=author_id)),
    )


def test_the_same_answers_as_the_queryset_for_every_pair_of_ids():
    ada, bo = UserFactory(), UserFactory()
    first, second = make_idea(), make_idea()
    services.comment_create(author=ada, idea_id=first.pk, body="Yes")
    services.comment_create(author=bo, idea_id=first.pk, body="No")
    compiled = CompiledQuery(discussed_by, int, int)

    for idea in (first, second):
        for member in (ada, bo):
            got = compiled.first(idea.pk, member.pk)
            want = discussed_by(idea.pk, member.pk).get()
            assert (got.pk, got.title, got.replies, bool(got.theirs)) == (
                want.pk, want.title, want.replies, want.theirs,
            )  # fmt: skip
    assert compiled.first(999_999, ada.pk) is None


def test_a_query_that_leaves_an_id_out_is_refused():
    compiled = CompiledQuery(lambda pk, author_id: Idea.objects.filter(pk=pk), int, int)

    with pytest.raises(ImproperlyConfigured, match="each of its values"):
        compiled.first(1, 2)


def test_text_and_moments_as_well_as_ids():
    from datetime import datetime, timedelta

    from django.utils import timezone

    first, second = make_idea(title="Alpha the first"), make_idea(title="Beta the second")
    compiled = CompiledQuery(
        lambda title, after: Idea.objects.filter(title=title, created_at__gt=after), str, datetime
    )
    an_hour_ago = timezone.now() - timedelta(hours=1)

    assert compiled.first("Alpha the first", an_hour_ago).pk == first.pk
    assert compiled.first("Beta the second", an_hour_ago).pk == second.pk
    assert compiled.first("Beta the second", timezone.now() + timedelta(hours=1)) is None
