"""Tags in the admin: django-taggit's own, with its "merge" rights checked."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(TaggitTagAdmin):
    # Merging renames tags on every interview, published ones included: an editor's change.
    # (taggit's own view checks no permission, and fails on an empty selection.)

    @admin.action(description="Merge selected tags", permissions=["change"])
    def render_tag_form(self, request, queryset):
        return super().render_tag_form(request, queryset)

    def merge_tags_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        selected = request.session.get("selected_tag_ids", "").split(",")
        if not Tag.objects.filter(pk__in=[pk for pk in selected if pk.isdigit()]).exists():
            self.message_user(request, "Select the tags to merge in the list first.", messages.WARNING)
            return redirect("admin:taggit_tag_changelist")
        return super().merge_tags_view(request)
