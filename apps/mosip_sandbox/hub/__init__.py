"""MOSIP's WebSub hub (mosip/websub 1.2.0.1 on Ballerina websubhub), over HTTP.

- `views`: the `/hub` endpoint (subscribe, unsubscribe, register, publish).
- `subscriptions`: topics, subscriber records, intent verification.
- `delivery`: one ordered, at-least-once consumer per subscription, with faults.
- `wire`: the hub's text handling, authorisation rules and JSON re-serialisation.
"""

from apps.mosip_sandbox.hub import delivery  # noqa: F401  (registers the consumers)
from apps.mosip_sandbox.hub.views import urlpatterns

__all__ = ["urlpatterns"]
