"""ID schemas as MOSIP published them."""

import json

from django.db import models


class IdSchemaVersion(models.Model):
    """An ID schema as MOSIP published it (`GET /v1/syncdata/latestidschema`).

    `schema_json` keeps MOSIP's text unchanged: createPacket wants the schema as a
    JSON string (docs/mosip/packet-api.md §3.2), and the text we send is then the text we read.
    """

    version = models.CharField(max_length=20)
    schema_json = models.TextField()
    fetched_at = models.DateTimeField()

    class Meta:
        ordering = ["-fetched_at", "-id"]
        get_latest_by = ["fetched_at", "id"]
        verbose_name = "ID schema version"

    def __str__(self) -> str:
        return f"ID schema {self.version} ({self.fetched_at:%Y-%m-%d})"

    @property
    def schema(self) -> dict:
        return json.loads(self.schema_json)
