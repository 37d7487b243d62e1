"""The manual's emergency playbooks (chapter 1), version 1, in Chinese and English."""

from django.db import migrations


def seed(apps, schema_editor):
    from ccops.incidents.manual import seed as seed_playbooks

    seed_playbooks(
        apps.get_model("incidents", "Playbook"),
        apps.get_model("incidents", "PlaybookStep"),
        apps.get_model("incidents", "PlaybookContact"),
    )


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
