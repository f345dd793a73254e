"""Shareable preview links for people without an account."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from .. import previews, workflow
from ..models import PreviewLink


@admin.register(PreviewLink)
class PreviewLinkAdmin(admin.ModelAdmin):
    """Links for people without an account, such as an interviewee checking quotes."""

    list_display = ["article", "state", "expires_at", "created_by", "created_at"]
    list_select_related = ["article", "created_by"]
    search_fields = ["article__title"]
    autocomplete_fields = ["article"]
    actions = ["revoke"]
    change_readonly = ["address", "article", "created_by", "created_at", "expires_at", "revoked_at"]

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = previews.PreviewLinkChangeForm if obj else previews.PreviewLinkAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return [*self.change_readonly, "revoke"] if obj else ["article", "days"]

    def get_readonly_fields(self, request, obj=None):
        return self.change_readonly if obj else []

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        # Straight to the link's page, where its address can be copied.
        self.message_user(request, "Preview link created. Send the address below.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_previewlink_change", args=[obj.pk]))

    @admin.display(description="Address to send")
    def address(self, obj):
        if not obj.is_valid:
            return "This link no longer works."
        url = previews.link_url(obj)
        return format_html('<a href="{}" class="preview-link-address">{}</a>', url, url)

    @admin.display(description="State")
    def state(self, obj):
        if obj.revoked_at:
            return "Revoked"
        if not obj.is_valid:
            return "Expired"
        return f"Works until {workflow.format_when(obj.expires_at)}"

    @admin.action(description="Revoke the selected links", permissions=["change"])
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"Revoked {count} preview link(s).", messages.SUCCESS)
