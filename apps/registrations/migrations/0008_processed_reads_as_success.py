"""Packets MOSIP processed were stored with the error wording; they read as success."""

from django.db import migrations

OLD = "MOSIP answered with error PROCESSED."
NEW = "MOSIP processed the packet."


def processed_reads_as_success(apps, schema_editor):
    Packet = apps.get_model("registrations", "Packet")
    Packet.objects.filter(result_code="PROCESSED", result_message=OLD).update(
        result_message=NEW
    )


def processed_reads_as_before(apps, schema_editor):
    Packet = apps.get_model("registrations", "Packet")
    Packet.objects.filter(result_code="PROCESSED", result_message=NEW).update(
        result_message=OLD
    )


class Migration(migrations.Migration):
    dependencies = [("registrations", "0007_id_schema_version_to_onboarding")]

    operations = [
        migrations.RunPython(processed_reads_as_success, processed_reads_as_before)
    ]
