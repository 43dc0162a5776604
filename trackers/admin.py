"""Django's admin, for staff."""

from django.contrib import admin

from trackers.models import Account, ApiKey, Membership, Tracker


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    filter_horizontal = ["trackers"]


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "timezone", "created_at"]
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]


@admin.register(Tracker)
class TrackerAdmin(admin.ModelAdmin):
    list_display = ["name", "public_id", "id", "account", "timezone", "live_window_minutes", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "public_id"]
    readonly_fields = ["public_id"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "account", "scope", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["scope"]
    # The hash is never shown or edited: a key is issued from the web admin, once.
    exclude = ["hashed_secret"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
