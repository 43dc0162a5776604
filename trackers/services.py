"""Writes of tenant data: accounts, members, trackers, API keys."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from trackers import emails, keys
from trackers.models import Account, ApiKey, Membership, Role, Scope, Tracker
from trackers.signals import api_key_revoked, member_access_changed, tracker_changed

User = get_user_model()


def normalize_host(value: str) -> str:
    """A host name as trackers store it: lower case, no scheme, port, path or trailing dot."""
    host = value.strip().lower()
    for scheme in ("http://", "https://"):
        if host.startswith(scheme):
            host = host[len(scheme):]
    host = host.split("/", 1)[0].split(":", 1)[0].rstrip(".")
    if not host or any(c.isspace() for c in host):
        raise ValidationError(f"{value!r} is not a host name.")
    return host


def _unique_slug(name: str) -> str:
    base = slugify(name)[:90] or "account"
    slug, n = base, 2
    while Account.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def account_create(*, name: str, owner: AbstractBaseUser, timezone_name: str = "UTC") -> Account:
    """A new account with `owner` as its first Admin. Names are unique only among the accounts
    one user belongs to (where the account switcher must tell them apart)."""
    if Account.objects.filter(memberships__user=owner, name__iexact=name.strip()).exists():
        raise ValidationError({"name": f"You already have an account named {name!r}."})
    for _attempt in range(5):
        account = Account(name=name, slug=_unique_slug(name), timezone=timezone_name)
        account.full_clean(validate_unique=False)
        try:
            with transaction.atomic():  # a savepoint: a lost race on the slug is retried, not fatal
                account.save()
            break
        except IntegrityError:  # another signup of the same name took this slug meanwhile
            continue
    else:
        raise ValidationError({"name": "Could not find a free address for this name; try again."})
    Membership.objects.create(account=account, user=owner, role=Role.ADMIN)
    return account


def signup_request(*, email: str, account_name: str, base_url: str) -> None:
    """Mail the next step of a signup. A new address gets a link that finishes the signup (the
    account is created only then); an address that already has a login gets a note saying so.
    Nothing is written, and the caller answers the same either way: signup never tells whether
    an address is registered."""
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        emails.signup_confirm_send(email=email, account_name=account_name, base_url=base_url)
    else:
        emails.signup_existing_send(user=user, base_url=base_url)


@transaction.atomic
def account_update(*, account: Account, name: str, timezone_name: str, by: AbstractBaseUser) -> Account:
    """Rename an account or change its default time zone (existing trackers keep theirs). The
    name must differ from the other accounts of the Admin making the change."""
    others = Account.objects.filter(memberships__user=by, name__iexact=name.strip()).exclude(pk=account.pk)
    if others.exists():
        raise ValidationError({"name": f"You already have an account named {name!r}."})
    account.name, account.timezone = name.strip(), timezone_name
    account.full_clean()
    account.save(update_fields=["name", "timezone"])
    return account


@transaction.atomic
def account_signup(*, email: str, password: str, account_name: str,
                   timezone_name: str = "UTC") -> tuple[AbstractBaseUser, Account]:
    """A new user with their own account, as its Admin.

    Refuses an email that already has a user: signing up must never attach a new account (and
    then a session) to somebody else's existing user.
    """
    user, created = user_get_or_create(email=email, password=password)
    if not created:
        raise ValidationError("This signup is finished already. Log in, or reset your password.")
    account = account_create(name=account_name, owner=user, timezone_name=timezone_name)
    return user, account


def user_get_or_create(*, email: str, password: str | None = None) -> tuple[AbstractBaseUser, bool]:
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, False
    user = User(username=email, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user, True


def user_set_password(*, user: AbstractBaseUser, password: str) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])


@transaction.atomic
def member_invite(*, account: Account, email: str, role: str = Role.EDITOR, trackers: list[Tracker] | tuple = (),
                  invited_by: AbstractBaseUser | None = None, base_url: str) -> Membership:
    """Add the user with this email to the account, creating them without a usable password if
    they are new, and email them: a link to set their password, or a note that they were added.

    `base_url` (scheme and host of this NowMetrix) is where the links in the email point. The
    email leaves after commit, so an invitation that rolls back sends nothing.
    """
    user, _ = user_get_or_create(email=email)
    membership = membership_add(account=account, user=user, role=role, trackers=trackers)
    transaction.on_commit(
        lambda: emails.invitation_send(membership=membership, invited_by=invited_by, base_url=base_url)
    )
    return membership


@transaction.atomic
def membership_add(*, account: Account, user: AbstractBaseUser, role: str = Role.EDITOR,
                   trackers: list[Tracker] | tuple = ()) -> Membership:
    if Membership.objects.filter(account=account, user=user).exists():
        raise ValidationError("This user is already a member of the account.")
    membership = Membership.objects.create(account=account, user=user, role=role)
    membership.trackers.set([t for t in trackers if t.account_id == account.pk])
    _send_member_access_changed(membership)
    return membership


def _send_member_access_changed(membership: Membership) -> None:
    # The member's open dashboards re-check their access (the receiver waits for the commit).
    member_access_changed.send(sender=Membership, user_ids=[membership.user_id])


def _other_admins_exist(membership: Membership) -> bool:
    return (
        Membership.objects.select_for_update()
        .filter(account=membership.account, role=Role.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def membership_update(*, membership: Membership, role: str, trackers: list[Tracker] | tuple = ()) -> Membership:
    """Change a member's role and tracker list; an account always keeps at least one Admin."""
    if membership.role == Role.ADMIN and role != Role.ADMIN and not _other_admins_exist(membership):
        raise ValidationError("An account must keep at least one Admin.")
    membership.role = role
    membership.save(update_fields=["role"])
    membership.trackers.set([t for t in trackers if t.account_id == membership.account_id])
    _send_member_access_changed(membership)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    if membership.role == Role.ADMIN and not _other_admins_exist(membership):
        raise ValidationError("An account must keep at least one Admin.")
    membership.delete()
    _send_member_access_changed(membership)


def _send_tracker_changed(tracker: Tracker) -> None:
    # Sent at once rather than on commit: the receiver only republishes the tracker's ingest
    # configuration, which is idempotent, and a rolled-back tracker's ID is known to nobody.
    tracker_changed.send(sender=Tracker, tracker=tracker)


@transaction.atomic
def tracker_create(*, account: Account, name: str, hosts: list[str], timezone_name: str | None = None,
                   live_window_minutes: int = 5, **options) -> Tracker:
    tracker = Tracker(
        account=account,
        name=name,
        hosts=sorted({normalize_host(h) for h in hosts}),
        timezone=timezone_name or account.timezone,
        live_window_minutes=live_window_minutes,
        **options,
    )
    tracker.full_clean()
    tracker.save()
    _send_tracker_changed(tracker)
    return tracker


@transaction.atomic
def tracker_update(*, tracker: Tracker, **fields) -> Tracker:
    if "hosts" in fields:
        fields["hosts"] = sorted({normalize_host(h) for h in fields["hosts"]})
    for name, value in fields.items():
        setattr(tracker, name, value)
    tracker.full_clean()
    tracker.save()
    _send_tracker_changed(tracker)
    return tracker


def tracker_deactivate(*, tracker: Tracker) -> Tracker:
    """Soft delete: the tracker stays listed with its history but accepts no more hits."""
    return tracker_update(tracker=tracker, is_active=False)


@transaction.atomic
def api_key_issue(*, account: Account, name: str, created_by: AbstractBaseUser | None = None,
                  scope: str = Scope.READ_ONLY, trackers: list[Tracker] | tuple | None = None) -> tuple[ApiKey, str]:
    """Create a key and return it with its secret. The secret is not stored: this is the only
    moment it exists outside the caller's hands."""
    secret = keys.api_key_generate()
    api_key = ApiKey.objects.create(
        account=account,
        name=name or "API key",
        prefix=keys.api_key_visible_prefix(secret),
        hashed_secret=keys.api_key_hash(secret),
        scope=scope,
        all_trackers=trackers is None,
        created_by=created_by,
    )
    if trackers is not None:
        api_key.trackers.set([t for t in trackers if t.account_id == account.pk])
    return api_key, secret


def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    """Revoke at once: the authentication cache entry is dropped with the same call."""
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
    api_key_revoked.send(sender=ApiKey, api_key=api_key)
    return api_key
