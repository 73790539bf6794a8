from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("registrations", "0002_outcomes_and_dates"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="vitalevent",
            index=models.Index(
                fields=[
                    "submitted_at",
                    "office",
                    "event_type",
                    "status",
                    "no_packet_reason",
                    "outcome_at",
                    "event_date",
                    "id",
                ],
                name="vitalevent_dash_submitted",
            ),
        ),
        migrations.AddIndex(
            model_name="vitalevent",
            index=models.Index(
                fields=["certified_at", "office", "event_type"],
                name="vitalevent_dash_certified",
            ),
        ),
        migrations.AddIndex(
            model_name="vitalevent",
            index=models.Index(
                fields=["office", "event_type", "event_date"],
                name="vitalevent_dash_event_date",
            ),
        ),
        migrations.AddIndex(
            model_name="eventstatuschange",
            index=models.Index(
                fields=["event", "to_status", "id", "from_status"],
                name="statuschange_dash_left_from",
            ),
        ),
        migrations.AddIndex(
            model_name="packet",
            index=models.Index(
                fields=["status", "result_code"], name="packet_dash_result_code"
            ),
        ),
    ]
