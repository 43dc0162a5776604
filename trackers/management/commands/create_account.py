"""`manage.py create_account --name NAME --owner-email EMAIL --password PW`: an account and its first Admin."""

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from trackers import selectors, services


class Command(BaseCommand):
    help = "Create an account whose owner (created if new) is its first Admin."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="The account's name (unique among the owner's accounts).")
        parser.add_argument("--owner-email", required=True, help="The owner's email; the user is created if new.")
        parser.add_argument("--password", required=True, help="The owner's password, if the user is new.")

    def handle(self, *args, name, owner_email, password, **options):
        name, email = name.strip(), owner_email.strip().lower()
        if not name:
            raise CommandError("--name must not be empty.")
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"--owner-email {owner_email!r} is not an email address.") from None
        existing = selectors.user_exists(email=email)
        if not existing:
            try:
                password_validation.validate_password(password, get_user_model()(username=email, email=email))
            except ValidationError as error:
                raise CommandError("--password is too weak: " + " ".join(error.messages)) from None
        try:
            with transaction.atomic():
                owner, _ = services.user_get_or_create(email=email, password=password)
                account = services.account_create(name=name, owner=owner)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if existing:
            self.stdout.write(f"{email} already had a user: its password was left unchanged.")
        self.stdout.write(self.style.SUCCESS(f"Created account {account.name} (slug {account.slug}) owned by {email}."))
