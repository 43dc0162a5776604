"""`manage.py rotate_connector_key`: re-encrypt every channel's credentials with the first key of
NOWMETRIX_CONNECTOR_KEY (see `connectors/crypto.py` for the rotation steps)."""

from django.core.management.base import BaseCommand, CommandError

from connectors import crypto, services


class Command(BaseCommand):
    help = "Re-encrypt connector credentials with the first key of NOWMETRIX_CONNECTOR_KEY."

    def handle(self, *args, **options):
        try:
            count = services.channels_rotate_key()
        except crypto.CredentialsUnreadable as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Re-encrypted the credentials of {count} channel(s).")
