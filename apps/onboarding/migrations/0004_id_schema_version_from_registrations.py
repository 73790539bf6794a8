"""The ID schemas MOSIP published move to onboarding, which fetches them: the model
only. The table keeps its name and its rows; the content type (and so the
permissions and admin history that point at it) follows the model."""

from django.db import migrations, models


def content_type_to(app_label: str):
    def move(apps, schema_editor):
        content_types = apps.get_model("contenttypes", "ContentType")
        other = "registrations" if app_label == "onboarding" else "onboarding"
        if content_types.objects.filter(
            app_label=app_label, model="idschemaversion"
        ).exists():
            return
        content_types.objects.filter(app_label=other, model="idschemaversion").update(
            app_label=app_label
        )

    return move


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("onboarding", "0003_credential_partner_ca_and_signed_certificate"),
        ("registrations", "0006_drop_indexes_other_indexes_cover"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="IdSchemaVersion",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("version", models.CharField(max_length=20)),
                        ("schema_json", models.TextField()),
                        ("fetched_at", models.DateTimeField()),
                    ],
                    options={
                        "verbose_name": "ID schema version",
                        "db_table": "registrations_idschemaversion",
                        "ordering": ["-fetched_at", "-id"],
                        "get_latest_by": ["fetched_at", "id"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            content_type_to("onboarding"), content_type_to("registrations")
        ),
    ]
