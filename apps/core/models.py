from django.db import models


class Heartbeat(models.Model):
    """Last time a background process proved it was alive (worker, beat)."""

    name = models.CharField(max_length=64, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
