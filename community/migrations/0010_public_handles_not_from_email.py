"""Public handles no longer reveal the email: rename every handle that is its local part."""

import secrets

from django.db import migrations

ALPHABET = "bcdfghjkmnpqrstvwxz23456789"


def rename_revealing_handles(apps, schema_editor):
    User = apps.get_model("community", "User")
    taken = {name.lower() for name in User.objects.values_list("username", flat=True)}
    for user in User.objects.exclude(email="").only("pk", "username", "email"):
        if user.username.lower() != user.email.split("@")[0].lower():
            continue
        while True:
            handle = "member-" + "".join(secrets.choice(ALPHABET) for _ in range(6))
            if handle not in taken:
                break
        taken.add(handle)
        User.objects.filter(pk=user.pk).update(username=handle)


class Migration(migrations.Migration):
    dependencies = [("community", "0009_notifications_before_email_are_not_emailed")]

    operations = [migrations.RunPython(rename_revealing_handles, migrations.RunPython.noop)]
