# CallRecord.superseded_by: the later import that replaced a call record (kept, not deleted)

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('wfm', '0011_timeoffrequest_day_part'),
    ]

    operations = [
        migrations.AddField(
            model_name='callrecord',
            name='superseded_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='superseded'),
        ),
        migrations.AddField(
            model_name='callrecord',
            name='superseded_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='superseded_call_records', to='wfm.importbatch', verbose_name='superseded by'),
        ),
    ]
