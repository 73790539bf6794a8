"""Every read behind the supervisor dashboards, and who may read what.

Access is decided once, in `scope_for`: a supervisor sees the offices they oversee, a
national supervisor sees every office, nobody else sees anything. Every figure in
this package starts from `scope._events(scope)`, so no query can reach an office
outside the scope.

Figures are aggregated in the database (GROUP BY with date truncation, conditional
counts, percentiles); Python only reshapes the few rows that come back. Percentiles
use PostgreSQL's `percentile_cont`; other databases get the same interpolation from
ordered offsets.
"""

from apps.dashboards.queries.coverage import completeness
from apps.dashboards.queries.dashboard import overview
from apps.dashboards.queries.duplicates import duplicate_flags
from apps.dashboards.queries.errors import error_codes, error_events, error_packets
from apps.dashboards.queries.id_checks import (
    deaths_awaiting_decision,
    verified_id_shares,
)
from apps.dashboards.queries.keyset import keyset_rows, merged_keyset_rows
from apps.dashboards.queries.scope import (
    Scope,
    event_for,
    offices_overseen,
    scope_for,
)
from apps.dashboards.queries.stuck import (
    PIPELINE_STATUSES,
    stuck_event_for,
    stuck_events,
    stuck_pages,
)
from apps.dashboards.queries.throughput import (
    FUNNEL,
    TRUNCATE,
    TURNED_DOWN,
    certificates_issued,
    funnel,
    volumes,
)
from apps.dashboards.queries.timeliness import (
    ID_OUTCOMES,
    TIMELY_TYPES,
    latency_and_timeliness,
)

__all__ = [
    "event_for",
    "FUNNEL",
    "ID_OUTCOMES",
    "PIPELINE_STATUSES",
    "TIMELY_TYPES",
    "TRUNCATE",
    "TURNED_DOWN",
    "Scope",
    "certificates_issued",
    "completeness",
    "deaths_awaiting_decision",
    "duplicate_flags",
    "error_codes",
    "error_events",
    "error_packets",
    "funnel",
    "keyset_rows",
    "latency_and_timeliness",
    "merged_keyset_rows",
    "offices_overseen",
    "overview",
    "scope_for",
    "stuck_event_for",
    "stuck_events",
    "stuck_pages",
    "verified_id_shares",
    "volumes",
]
