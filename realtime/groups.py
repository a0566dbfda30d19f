"""Stream names. Only realtime/ knows them; other apps pass ids."""

STAFF_STREAM = "staff"


def idea_stream(idea_id: int) -> str:
    return f"idea.{idea_id}"


def member_stream(user_id: int) -> str:
    return f"member.{user_id}"


def rights_stream(user_id: int) -> str:
    """Every socket a member has open, whatever it watches: told when their rights change."""
    return f"rights.{user_id}"
