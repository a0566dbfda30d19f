"""Run by test_database_settings: members vote at once on the embedded SQLite default.

It runs in its own process because the suite's settings point at PostgreSQL;
this one uses the development settings with a fresh SQLite file, as `make run`.
Prints one JSON line: the errors seen and the votes counted.
"""

import json
import sys
import threading

import django

MEMBERS = int(sys.argv[1]) if len(sys.argv) > 1 else 26


def main() -> None:
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)

    from ideas.models import Idea
    from ideas.services.votes import vote_cast
    from tests.factories import UserFactory, make_idea

    idea = make_idea()
    before = idea.promotes
    voters = [UserFactory() for _ in range(MEMBERS)]
    connection.close()
    barrier = threading.Barrier(MEMBERS)
    errors: list[str] = []

    def vote(voter) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            vote_cast(voter=voter, idea_id=idea.pk, value=1)
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=vote, args=(voter,)) for voter in voters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    idea = Idea.objects.get(pk=idea.pk)
    print(json.dumps({"errors": errors, "added": idea.promotes - before}))


if __name__ == "__main__":
    main()
