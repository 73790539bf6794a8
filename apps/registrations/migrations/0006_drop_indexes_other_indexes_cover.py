"""Indexes of foreign keys that a wider index or unique constraint already starts with:
they only slowed every insert and status change."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("registrations", "0005_retired_application_ids"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # Only the index goes; the foreign key constraint stays as it is.
            state_operations=[
                migrations.AlterField(
                    model_name="eventstatuschange",
                    name="event",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="status_changes",
                        to="registrations.vitalevent",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "registrations_eventstatuschange_event_id_9583f40d"',
                    reverse_sql=migrations.RunSQL.noop,
                ),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            # Only the index goes; the foreign key constraint stays as it is.
            state_operations=[
                migrations.AlterField(
                    model_name="outboxmessage",
                    name="packet",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="outbox_messages",
                        to="registrations.packet",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "registrations_outboxmessage_packet_id_bb366d79"',
                    reverse_sql=migrations.RunSQL.noop,
                ),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            # Only the index goes; the foreign key constraint stays as it is.
            state_operations=[
                migrations.AlterField(
                    model_name="packet",
                    name="event",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="packets",
                        to="registrations.vitalevent",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "registrations_packet_event_id_ec03e5b3"',
                    reverse_sql=migrations.RunSQL.noop,
                ),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            # Only the index goes; the foreign key constraint stays as it is.
            state_operations=[
                migrations.AlterField(
                    model_name="vitalevent",
                    name="office",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="vital_events",
                        to="accounts.office",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "registrations_vitalevent_office_id_de99d155"',
                    reverse_sql=migrations.RunSQL.noop,
                ),
            ],
        ),
    ]
