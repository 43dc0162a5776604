"""`manage.py create_connector --tracker ID --kind webhook|slack|telegram|bluesky --url URL [--secret S]
[--token T --chat CHAT] [--handle H --app-password P] --threshold N [--min-minutes M] [--hourly-limit K]
[--stop-word W ...]`

The connector's ID is the last word of the output, for scripts: `... | awk '{print $NF}'`.
`--url` is the webhook's or Slack's URL; for Telegram and Bluesky it is the Bot API base or the
PDS, and may be left out (the settings' defaults).
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from connectors import services
from connectors.models import ChannelKind
from trackers.models import Tracker

OPTION_KINDS = {"secret": ChannelKind.WEBHOOK, "token": ChannelKind.TELEGRAM, "chat": ChannelKind.TELEGRAM,
                "handle": ChannelKind.BLUESKY, "app_password": ChannelKind.BLUESKY}


class Command(BaseCommand):
    help = "Create a connector with one channel on a tracker; prints its ID as the last word."

    def add_arguments(self, parser):
        parser.add_argument("--tracker", required=True, help="The tracker's ID.")
        parser.add_argument("--kind", required=True, choices=[k.value for k in ChannelKind])
        parser.add_argument("--url", default="", help="Webhook or Slack URL; Telegram API base or Bluesky PDS (optional).")
        parser.add_argument("--secret", default="", help="Webhook signing secret (16 characters or more).")
        parser.add_argument("--token", default="", help="Telegram bot token.")
        parser.add_argument("--chat", default="", help="Telegram chat id or @channel.")
        parser.add_argument("--handle", default="", help="Bluesky handle.")
        parser.add_argument("--app-password", default="", dest="app_password", help="Bluesky app password.")
        parser.add_argument("--threshold", required=True, type=int, help="Live readers an article needs.")
        parser.add_argument("--min-minutes", type=int, default=None, dest="min_minutes")
        parser.add_argument("--hourly-limit", type=int, default=4, dest="hourly_limit")
        parser.add_argument("--stop-word", action="extend", nargs="+", default=[], dest="stop_words", metavar="W")
        parser.add_argument("--name", default="", help="The connector's name (default: kind and tracker).")

    def handle(self, *args, tracker, kind, url, threshold, min_minutes, hourly_limit, stop_words, name, **options):
        found = Tracker.objects.select_related("account").filter(public_id=tracker).first()
        if found is None:
            raise CommandError(f"No tracker with ID {tracker!r}.")
        misplaced = [f"--{opt.replace('_', '-')}" for opt, for_kind in OPTION_KINDS.items()
                     if options[opt] and for_kind != kind]
        if misplaced:
            raise CommandError(f"{', '.join(misplaced)} do(es) not apply to --kind {kind}.")
        given = {opt: options[opt] for opt in OPTION_KINDS}
        try:
            connector = services.connector_create(
                account=found.account, tracker=found, name=name.strip() or f"{ChannelKind(kind).label} on {found.name}",
                threshold=threshold, min_minutes=min_minutes, hourly_limit=hourly_limit, stop_words=stop_words,
                channels=[{"kind": kind, "url": url, "given": given}])
        except ValidationError as error:
            raise CommandError(_describe(error)) from None
        self.stdout.write(f"Created connector {connector.name} on {found.name} ({kind}, threshold {threshold}). "
                          f"Connector ID: {connector.public_id}")


def _describe(error: ValidationError) -> str:
    flags = {"url": "--url", "secret": "--secret", "token": "--token", "chat": "--chat", "handle": "--handle",
             "app_password": "--app-password", "threshold": "--threshold", "min_minutes": "--min-minutes",
             "hourly_limit": "--hourly-limit", "name": "--name", "stop_words": "--stop-word"}
    if hasattr(error, "error_dict"):
        return " ".join(f"{flags.get(field, field)}: {' '.join(messages)}" for field, messages in error.message_dict.items())
    return " ".join(error.messages)
