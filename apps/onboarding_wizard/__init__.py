"""The onboarding wizard, on top of every other app: its steps, the readiness
checks, the unattended run of every step (`bootstrap`, `embedded`) and the embedded
run's launcher. It reads and writes the MOSIP connection through `apps.onboarding`,
and reaches into registrations and WebSub where a step or a check needs them; no
other app imports it."""
