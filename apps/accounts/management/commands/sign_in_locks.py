"""List the sign-in locks that hold, or lift them: `sign_in_locks`,
`sign_in_locks --lift ID [ID …]`, `sign_in_locks --lift-all`."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.accounts import services
from apps.accounts.models import SignInLock


class Command(BaseCommand):
    help = "List sign-in locks that hold, or lift them (each lift is audited)."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--lift", nargs="+", type=int, metavar="ID")
        group.add_argument("--lift-all", action="store_true")

    def handle(self, *args, lift=None, lift_all=False, **options):
        holding = SignInLock.objects.filter(
            lifted_at=None, locked_until__gt=timezone.now()
        )
        if lift:
            locks = list(holding.filter(pk__in=lift))
            missing = set(lift) - {lock.pk for lock in locks}
            if missing:
                raise CommandError(
                    f"No lock holds with id {', '.join(map(str, sorted(missing)))}."
                )
        elif lift_all:
            locks = list(holding)
        else:
            for lock in holding:
                self.stdout.write(
                    f"{lock.pk}\t{lock.scope}\t{lock.username or '*'}\t"
                    f"{lock.client_address}\tuntil {lock.locked_until:%Y-%m-%d %H:%M:%S}"
                )
            return
        for lock in locks:
            services.sign_in_lock_lift(lock=lock, actor=None)
            self.stdout.write(f"Lifted {lock.pk}: {lock}")
