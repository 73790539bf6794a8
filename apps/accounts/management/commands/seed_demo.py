"""Create demo offices and one demo user per role; safe to run again."""

import secrets
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from apps.accounts import services
from apps.accounts.models import Office, Role, User

DEMO_OFFICES = [
    ("capital", "Capital City Registry Office", "Central Region"),
    ("northern", "Northern District Registry Office", "Northern Region"),
]
CREDENTIALS_FILE = Path(settings.BASE_DIR) / "var" / "demo-credentials.txt"


class Command(BaseCommand):
    help = "Seed demo offices and one demo user per role (idempotent)."

    def handle(self, *args, **options):
        offices = {}
        for code, name, region in DEMO_OFFICES:
            offices[code] = Office.objects.filter(code=code).first() or (
                services.office_create(code=code, name=name, region=region)
            )
        demo_users = [
            ("registrar", {"role": Role.REGISTRAR, "office": offices["capital"]}),
            (
                "supervisor",
                {"role": Role.SUPERVISOR, "supervised_offices": offices.values()},
            ),
            ("integration", {"role": Role.INTEGRATION_ADMIN}),
            ("backoffice", {"role": "", "is_superuser": True}),
        ]
        created = []
        for username, fields in demo_users:
            if User.objects.filter(username=username).exists():
                continue
            password = secrets.token_urlsafe(12)
            services.user_create(username=username, password=password, **fields)
            created.append((username, fields["role"] or "staff", password))
        if not created:
            self.stdout.write(
                f"Demo data already present; credentials are in {CREDENTIALS_FILE}."
            )
            return
        CREDENTIALS_FILE.parent.mkdir(parents=True, exist_ok=True)
        with CREDENTIALS_FILE.open("a") as out:
            for username, role, password in created:
                out.write(f"{username}\t{role}\t{password}\n")
        CREDENTIALS_FILE.chmod(0o600)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo users (shown once, also saved in {CREDENTIALS_FILE}):"
            )
        )
        for username, role, password in created:
            self.stdout.write(f"  {username:<12} {role:<18} {password}")
