"""IdSchemaVersion now belongs to onboarding (its migration 0004 takes the model);
the table and its rows stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0006_drop_indexes_other_indexes_cover"),
        ("onboarding", "0004_id_schema_version_from_registrations"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="IdSchemaVersion")],
            database_operations=[],
        ),
    ]
