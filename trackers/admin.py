"""Django's admin, for staff. Writes with side effects go through the same services as the web
admin: saving a tracker republishes its ingest settings (services.tracker_update), revoking a
key marks it revoked for the API fast path (services.api_key_revoke). What has no service
(issuing keys, editing a key's grant, deleting trackers) is read-only here, and so are
memberships: their services keep an Admin in every account and announce the change to the
member's open dashboards, which an inline formset would bypass. Members are managed on the web
admin's members page."""

from django.contrib import admin, messages

from trackers import services
from trackers.models import Account, ApiKey, Membership, Tracker


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "trackers"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


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

    def save_model(self, request, obj, form, change):
        # The form has set the fields; the service normalises hosts, validates, saves and
        # republishes the ingest configuration, as the web admin does.
        services.tracker_update(tracker=obj, hosts=obj.hosts)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # trackers are deactivated (services.tracker_deactivate), never deleted


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "account", "scope", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["scope"]
    # The hash is never shown or edited: a key is issued from the web admin, once. Its grant
    # (scope, trackers) is read-only too: API processes remember grants, so it is fixed at issue.
    exclude = ["hashed_secret"]
    readonly_fields = ["account", "prefix", "scope", "all_trackers", "trackers", "created_by", "created_at",
                       "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoke instead: a deleted key's mark would never be set

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request, queryset):
        for api_key in queryset.filter(revoked_at__isnull=True):
            services.api_key_revoke(api_key=api_key)
        self.message_user(request, "Revoked.", messages.SUCCESS)
