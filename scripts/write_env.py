"""Write a local .env with freshly generated secrets, once; an existing .env is kept.

Standard library only: it runs before the settings can load.
"""

import base64
import secrets
import sys
from pathlib import Path

ENV_FILE = Path(__file__).resolve().parent.parent / ".env"

TEMPLATE = """\
# Local embedded run: SQLite, a file-based broker, the MOSIP sandbox. Generated once;
# delete this file to start over with new secrets. Never commit it.
SECRET_KEY={secret_key}
FIELD_ENCRYPTION_KEY={field_key}
# The embedded run serves as production does (gunicorn, whitenoise, DEBUG off);
# mail is printed on the terminal.
DEBUG=false
EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend
ALLOWED_HOSTS=127.0.0.1,localhost
DATABASE_URL=sqlite:///var/portal.sqlite3
CELERY_BROKER_URL=filesystem://
WEBSUB_CALLBACK_BASE_URL=http://127.0.0.1:8000
"""


def main() -> int:
    if ENV_FILE.exists():
        text = ENV_FILE.read_text()
        lines = text.splitlines(keepends=True)
        fixed = [
            "DEBUG=false\n" if line.strip().lower() == "debug=true" else line
            for line in lines
        ]
        if fixed != lines:
            # Files written before the embedded run served the production way.
            ENV_FILE.write_text("".join(fixed))
            print(f"Using existing {ENV_FILE.name}, now with DEBUG=false")
        else:
            print(f"Using existing {ENV_FILE.name}")
        return 0
    ENV_FILE.write_text(
        TEMPLATE.format(
            secret_key=secrets.token_urlsafe(50),
            field_key=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        )
    )
    ENV_FILE.chmod(0o600)
    (ENV_FILE.parent / "var").mkdir(exist_ok=True)
    print(f"Wrote {ENV_FILE.name} with new secrets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
