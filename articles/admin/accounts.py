"""Sign-in lockouts (django-axes) in the editors' words: who is locked out, and unlocking them."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages

admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class SignInAttemptAdmin(AccessAttemptAdmin):
    actions = ["unlock"]

    @admin.action(description="Unlock: forget these failed sign-ins", permissions=["delete"])
    def unlock(self, request, queryset):
        names = sorted({attempt.username or attempt.ip_address for attempt in queryset})
        queryset.delete()
        self.message_user(request, f"Unlocked: {', '.join(names)}. They can sign in again.", messages.SUCCESS)
