"""`python manage.py mosip_check`: every readiness check, one line each; exit 0 only
when all hold. The run is kept as the latest, as the readiness page's is."""

import sys

from django.core.management.base import BaseCommand

from apps.onboarding import readiness, services


class Command(BaseCommand):
    help = "Re-verify every MOSIP prerequisite; exit status 0 only when all hold."

    def handle(self, *args, **options):
        outcomes = services.readiness_run()
        for outcome in outcomes:
            state = "OK  " if outcome.ok else "FAIL"
            style = self.style.SUCCESS if outcome.ok else self.style.ERROR
            self.stdout.write(style(f"[{state}] {outcome.label}: {outcome.reason}"))
        ready = readiness.all_ok(outcomes)
        self.stdout.write(
            f"{sum(o.ok for o in outcomes)}/{len(outcomes)} checks hold; "
            + ("ready." if ready else "not ready.")
        )
        if not ready:
            sys.exit(1)
