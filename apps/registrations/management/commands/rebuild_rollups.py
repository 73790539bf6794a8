"""Recount the daily event counts from the events, or check a sample of them."""

from django.core.management.base import BaseCommand, CommandError

from apps.registrations.rollups import rollups_drift, rollups_rebuild


class Command(BaseCommand):
    help = (
        "Recount the dashboards' event counts and histograms from the events (after an "
        "upgrade, a bulk load or a change of TIME_ZONE); with --check, only recount "
        "a sample of (office, day) pairs and report the differences (exit 1)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Compare a sample with the events instead of rebuilding.",
        )
        parser.add_argument(
            "--sample", type=int, default=50, help="(office, day) pairs to recount."
        )
        parser.add_argument("--seed", type=int, default=None)

    def handle(self, *args, check, sample, seed, **options):
        if not check:
            rows = rollups_rebuild()
            self.stdout.write(self.style.SUCCESS(f"Rebuilt {rows:,} event counts."))
            return
        differences = rollups_drift(sample=sample, seed=seed)
        for d in differences:
            where = " ".join(
                f"{name}={value}"
                for name, value in d.items()
                if name not in ("rollup", "events")
            )
            self.stdout.write(
                f"{where}: counted {d['rollup']}, from the events {d['events']}"
            )
        if differences:
            raise CommandError(
                f"{len(differences)} event count(s) differ from the events; "
                "run rebuild_rollups to recount."
            )
        self.stdout.write(self.style.SUCCESS("The sampled event counts hold."))
