"""Index django-voting's table by the voted object.

Its unique constraint leads with the user, which serves "my vote on this idea"
but not "every vote on this idea" (counter repair, merges).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0001_initial"),
        ("voting", "0002_alter_vote_object_id"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS votes_object_idx ON votes (content_type_id, object_id)",
            "DROP INDEX IF EXISTS votes_object_idx",
        ),
    ]
