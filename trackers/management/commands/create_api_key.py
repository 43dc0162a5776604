"""`manage.py create_api_key --account NAME [--tracker ID...] [--read-only] [--name NAME]`.

The secret is printed once, as the last word of the output; only its hash is stored.
"""

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from trackers import selectors, services
from trackers.models import Scope


class Command(BaseCommand):
    help = "Issue an API key for an account; prints the secret once, as the last word."

    def add_arguments(self, parser):
        parser.add_argument("--account", required=True, help="The account's name (or slug).")
        parser.add_argument("--tracker", action="append", dest="trackers", metavar="ID", default=None,
                            help="Limit the key to this tracker ID; repeat for several (default: all trackers).")
        parser.add_argument("--read-only", action="store_true", help="A read-only key (default: full).")
        parser.add_argument("--name", default="API key", help="A name telling keys apart.")

    def handle(self, *args, account, trackers, read_only, name, **options):
        found = selectors.account_get_by_name(name=account)
        if found is None:
            raise CommandError(f"No account named {account!r}.")
        chosen = None
        if trackers is not None:
            chosen = []
            for public_id in trackers:
                try:
                    chosen.append(selectors.tracker_get(account=found, public_id=public_id))
                except Http404:
                    raise CommandError(f"No tracker {public_id!r} in account {found.name!r}.") from None
        api_key, secret = services.api_key_issue(
            account=found, name=name.strip(), scope=Scope.READ_ONLY if read_only else Scope.FULL, trackers=chosen
        )
        reach = "all trackers" if chosen is None else ", ".join(t.public_id for t in chosen)
        self.stdout.write(
            f"Created {api_key.get_scope_display().lower()} API key {api_key.name!r} for {found.name} ({reach}). "
            "Store the secret now, it is not shown again:"
        )
        self.stdout.write(secret)
