"""PostgreSQL statistics on how packets' status and MOSIP result code go together.

A result code is only ever set on a rejected or failed packet, so the planner,
taking the two columns as independent, expects a few hundred of the packets
rejected with a code where there are hundreds of thousands, and pages through
the events behind the code by re-reading every such packet per page. Extended
statistics tell it the two columns depend on each other.
"""

from django.db import migrations

NAME = "registrations_packet_status_result_code"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS {NAME} (dependencies, mcv) "
            "ON status, result_code FROM registrations_packet"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("registrations", "0014_event_counts")]

    operations = [migrations.RunPython(create, drop)]
