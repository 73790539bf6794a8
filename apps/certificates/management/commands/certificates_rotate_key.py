from django.core.management.base import BaseCommand

from apps.certificates import services


class Command(BaseCommand):
    help = (
        "Sign certificate QR codes with a new key from now on; "
        "earlier keys stay published so printed certificates still verify."
    )

    def handle(self, *args, **options):
        key = services.issuer_key_rotate(actor=None)
        self.stdout.write(f"New signing key {key.kid}.")
