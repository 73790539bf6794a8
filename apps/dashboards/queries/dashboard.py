"""The main dashboard's figures, read together in one short transaction."""

import contextlib

from django.db import connection, transaction

from apps.dashboards.queries.id_checks import (
    deaths_awaiting_decision,
    verified_id_shares,
)
from apps.dashboards.queries.scope import Scope
from apps.dashboards.queries.throughput import (
    certificates_issued,
    funnel,
    measure_bins_for,
    volume_rows_for,
    volumes,
)
from apps.dashboards.queries.timeliness import latency_and_timeliness


@contextlib.contextmanager
def _analytics():
    """Room for the sorts and hashes of a dashboard's aggregates (PostgreSQL).

    The default work_mem (4 MB) sends a quarter's grouping to disk; the raised
    limit holds for this transaction only.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '64MB'")
        yield


def overview(scope: Scope) -> dict:
    """Everything the main dashboard shows, read in one short transaction."""
    with _analytics():
        rows, bins = volume_rows_for(scope), measure_bins_for(scope)
        return {
            "volumes": volumes(scope, rows),
            "funnel": funnel(scope, rows),
            **latency_and_timeliness(scope, rows, bins),
            "certificates": certificates_issued(scope, bins),
            "id_checks": verified_id_shares(scope),
            "awaiting_decision": deaths_awaiting_decision(scope),
        }
