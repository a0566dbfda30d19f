from django.db import migrations


def mark_old(apps, schema_editor):
    # Notifications stored before email existed were seen in-app; never email them now.
    apps.get_model("community", "Notification").objects.filter(email="").update(email="off")


class Migration(migrations.Migration):
    dependencies = [("community", "0008_email_notifications")]

    operations = [migrations.RunPython(mark_old, migrations.RunPython.noop)]
