import pytest
from django.core.management import call_command

from ideas import services
from ideas.models import Idea
from tests.factories import UserFactory, make_idea

pytestmark = pytest.mark.django_db


def test_repair_command_finds_and_fixes_drift(capsys):
    idea = make_idea()
    services.vote_cast(voter=UserFactory(), idea_id=idea.pk, value=-1)
    services.comment_create(author=UserFactory(), idea_id=idea.pk, body="Hello")
    Idea.objects.filter(pk=idea.pk).update(promotes=7, score=7 - 1, comment_count=0)

    with pytest.raises(SystemExit):
        call_command("repair_idea_counters")
    assert "promotes" in capsys.readouterr().out

    call_command("repair_idea_counters", "--fix")

    idea.refresh_from_db()
    assert (idea.promotes, idea.demotes, idea.score, idea.comment_count) == (1, 1, 0, 1)
    call_command("repair_idea_counters")
    assert "All idea counters match" in capsys.readouterr().out
