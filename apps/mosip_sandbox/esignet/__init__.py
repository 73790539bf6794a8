"""e-Signet (MOSIP's OpenID Connect provider), as the sandbox models it: release v1.4.2,
configured by mosip-config v1.2.4.2's `esignet-default.properties`, authenticating
against the sandbox's own identities as MOSIP IDA 1.2.0.1 does (docs/mosip/esignet.md).

Kept import-free so that the configuration layer can read `stock` without pulling in
the views; routes are in `urls.py`."""
