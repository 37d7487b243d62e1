# Notifications moved to core (every app notifies, not only workforce management): copy the
# rows into core.Notification, then drop the wfm table.

from django.db import migrations


def copy_to_core(apps, schema_editor):
    columns = "user_id, message, template, params, url, read_at, created_at, updated_at"
    schema_editor.execute(
        f"INSERT INTO core_notification ({columns}) SELECT {columns} FROM wfm_notification"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("wfm", "0003_notification_translated_when_shown"),
        ("core", "0004_notification"),
    ]

    operations = [
        migrations.RunPython(copy_to_core, migrations.RunPython.noop),
        migrations.DeleteModel(name="Notification"),
    ]
