"""`python manage.py mosip_config_changes`: what the MOSIP operator must add or change
for this portal (docs/mosip/operator-changes.md). Property lines ready to paste,
grouped by file, then the files and the objects; `--json` prints the same changes as
the body `PATCH /sandbox/api/config` takes."""

import json

from django.core.management.base import BaseCommand

from apps.onboarding import operator


class Command(BaseCommand):
    help = "Print the MOSIP configuration changes this portal needs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--json",
            action="store_true",
            help='print {"service": {"property": "value"}} (PATCH /sandbox/api/config)',
        )

    def handle(self, *args, **options):
        changes = operator.operator_changes()
        if not options["json"]:
            self.stdout.write(operator.as_text(changes), ending="")
            return
        self.stdout.write(json.dumps(changes.patch_body(), indent=2, sort_keys=True))
        for change in changes.missing_files():
            self.stderr.write(
                f"{change.name} is not in the JSON: it is {change.addition}, "
                "made from your deployment's file."
            )
