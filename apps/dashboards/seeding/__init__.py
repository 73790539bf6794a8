"""Seed N synthetic vital events for demos and benchmarks.

Events spread over the existing offices (a few large, many small), the four event
types, and the last `--days` days, each with the history, packet and outbox rows the
pipeline would have left: most reached their national ID, some were rejected or
failed, a few are stuck, the latest are still on their way, and many were certified.
Names and identity data are left empty; nothing here is anyone's personal data.

PostgreSQL gets the rows through COPY; other databases through bulk_create batches.
"""

from apps.dashboards.seeding.run import SeedingError, seed_events

__all__ = ["SeedingError", "seed_events"]
