"""Indexes of foreign keys that a wider index or unique constraint already starts with:
they only slowed every insert and status change."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only_trigger"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # Only the index goes; the foreign key constraint stays as it is.
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent",
                    name="target_type",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "audit_auditevent_target_type_id_e2124f9f"',
                    reverse_sql=migrations.RunSQL.noop,
                ),
            ],
        ),
    ]
