"""Seed N synthetic vital events for demos and benchmarks (see apps.dashboards.seeding)."""

from django.core.management.base import BaseCommand, CommandError

from apps.dashboards.seeding import SeedingError, seed_events


class Command(BaseCommand):
    help = "Seed N synthetic vital events with history, packets and outbox rows."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument(
            "--days", type=int, default=730, help="Spread over the last DAYS days."
        )
        parser.add_argument(
            "--offices",
            type=int,
            default=0,
            help="Create offices until there are this many.",
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch", type=int, default=20000)

    def handle(self, *args, count, days, offices, seed, batch, **options):
        try:
            seed_events(
                count, days=days, offices=offices, seed=seed, batch=batch,
                progress=lambda done: self.stdout.write(f"  {done:,} events"),
            )  # fmt: skip
        except SeedingError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Seeded {count:,} events."))
