"""`manage.py create_demo`: a ready-to-use demo (account, owner, tracker, API key). Idempotent.

Only key hashes are stored, so the demo key's secret is kept in a local file (default
`.nowmetrix/demo-api-key`, gitignored, mode 0600); a new key is issued when that file is
missing or its key is revoked or unknown to this database.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from trackers import grants, selectors, services
from trackers.models import Role, Scope

ACCOUNT_NAME = "Demo"
OWNER_EMAIL = "demo@nowmetrix.local"
TRACKER_NAME = "Demo site"
TRACKER_HOSTS = ["localhost", "127.0.0.1"]
KEY_NAME = "Demo key"
DEFAULT_KEY_FILE = Path(settings.BASE_DIR) / ".nowmetrix" / "demo-api-key"


class Command(BaseCommand):
    help = "Create (or refresh) the demo account, its owner, a tracker and an API key."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="nowmetrix-demo", help="The demo owner's password.")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="Where NowMetrix is served.")
        parser.add_argument("--key-file", default=str(DEFAULT_KEY_FILE), help="Where the demo key's secret is kept.")

    def handle(self, *args, password, base_url, key_file, **options):
        if not password:
            raise CommandError("--password must not be empty.")
        base_url = base_url.rstrip("/")
        if not base_url.startswith(("http://", "https://")):
            raise CommandError(f"--base-url must start with http:// or https://, got {base_url!r}.")
        key_path = Path(key_file)
        with transaction.atomic():
            owner = self._owner(password)
            account = self._account(owner)
            tracker = self._tracker(account)
            secret, issued = self._secret(account, owner, key_path)
        if issued:
            # Written after commit: a rolled-back run must not leave a secret the database never knew.
            _write_private(key_path, secret)
        self.stdout.write(
            "\n".join(
                [
                    "NowMetrix demo is ready.",
                    f"Log in:     {base_url}{reverse('login')}",
                    f"Email:      {OWNER_EMAIL}",
                    f"Password:   {password}",
                    f"Tracker ID: {tracker.public_id}",
                    f"Dashboard:  {base_url}/trackers/{tracker.public_id}/live",
                    f"API key:    {secret}",
                ]
            )
        )

    def _owner(self, password: str):
        owner, created = services.user_get_or_create(email=OWNER_EMAIL, password=password)
        if not created and not owner.check_password(password):
            services.user_set_password(user=owner, password=password)
        return owner

    def _account(self, owner):
        account = selectors.account_get_by_name(name=ACCOUNT_NAME)
        if account is None:
            return services.account_create(name=ACCOUNT_NAME, owner=owner, timezone_name="UTC")
        membership = selectors.membership_get(user=owner, account=account)
        if membership is None:
            services.membership_add(account=account, user=owner, role=Role.ADMIN)
        elif not membership.is_admin:
            services.membership_update(membership=membership, role=Role.ADMIN)
        return account

    def _tracker(self, account):
        tracker = selectors.tracker_list(account=account).filter(name=TRACKER_NAME).first()
        if tracker is None:
            return services.tracker_create(
                account=account, name=TRACKER_NAME, hosts=TRACKER_HOSTS, timezone_name="UTC", public_counter=True
            )
        hosts = sorted(set(tracker.hosts) | set(TRACKER_HOSTS))
        if not tracker.is_active or not tracker.public_counter or hosts != tracker.hosts:
            services.tracker_update(tracker=tracker, is_active=True, public_counter=True, hosts=hosts)
        return tracker

    def _secret(self, account, owner, key_path: Path) -> tuple[str, bool]:
        """The kept secret if it still opens a live key of the demo account, else a new one."""
        secret = key_path.read_text().strip() if key_path.is_file() else ""
        grant = grants.grant_authenticate(secret) if secret else None
        if grant is not None and grant.account_id == account.pk:
            return secret, False
        _, secret = services.api_key_issue(account=account, name=KEY_NAME, created_by=owner, scope=Scope.READ_ONLY)
        return secret, True


def _write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read (0600), also when it existed with wider permissions."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text + "\n")
    os.chmod(path, 0o600)
