"""`manage.py create_tracker --account NAME --name NAME --host HOST [--host HOST...] [--timezone TZ]`.

The new tracker's ID is the last word of the output, for scripts: `... | awk '{print $NF}'`.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from trackers import selectors, services


class Command(BaseCommand):
    help = "Create a tracker in an account; prints its tracker ID as the last word."

    def add_arguments(self, parser):
        parser.add_argument("--account", required=True, help="The account's name (or slug).")
        parser.add_argument("--name", required=True, help="The tracker's name.")
        parser.add_argument("--host", action="append", required=True, dest="hosts", metavar="HOST",
                            help="A host name the tracker accepts hits from; repeat for several.")
        parser.add_argument("--timezone", default=None, help="IANA time zone (default: the account's).")

    def handle(self, *args, account, name, hosts, timezone, **options):
        found = selectors.account_get_by_name(name=account)
        if found is None:
            raise CommandError(f"No account named {account!r}.")
        if not name.strip():
            raise CommandError("--name must not be empty.")
        try:
            tracker = services.tracker_create(account=found, name=name.strip(), hosts=hosts, timezone_name=timezone)
        except ValidationError as error:
            raise CommandError(_describe(error)) from None
        self.stdout.write(f"Created tracker {tracker.name} in {found.name} (view ID {tracker.view_id}). Tracker ID: {tracker.public_id}")


def _describe(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
    return " ".join(error.messages)
